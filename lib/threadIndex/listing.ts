import type { SessionSource, ThreadSourceKind } from '../protocol/index.js';
import { compareToCursor, type ListCursor } from './cursor.js';

/** Files one `thread/list` page may visit (`MAX_SCAN_FILES`); past it the reference stops looking. */
export const MAX_SCAN_FILES = 10_000;

/** The interactive sources the reference lists when `sourceKinds` is omitted or empty. */
export const INTERACTIVE_SOURCES: readonly InteractiveSource[] = ['cli', 'vscode'];
export type InteractiveSource = 'cli' | 'vscode';

/**
 * How `sourceKinds` filters (SPEC §4.6, the reference's `compute_source_filters`): omitted or
 * empty lists the interactive sources; only `cli`/`vscode` filter the scan itself; any other kind
 * makes the scan unfiltered (`scan: []`) and the handler filters its results by kind.
 *
 * @example
 * sourceFilters(['exec']); // { scan: [], kinds: ['exec'] }
 * sourceFilters(undefined); // { scan: ['cli', 'vscode'], kinds: null }
 */
export const sourceFilters = (
  kinds: readonly ThreadSourceKind[] | null | undefined,
): { readonly scan: readonly InteractiveSource[]; readonly kinds: readonly ThreadSourceKind[] | null } => {
  if (kinds === null || kinds === undefined || kinds.length === 0) return { scan: INTERACTIVE_SOURCES, kinds: null };
  const interactive = kinds.filter((kind): kind is InteractiveSource => kind === 'cli' || kind === 'vscode');
  return { scan: interactive.length === kinds.length ? interactive : [], kinds };
};

const matchesKind = (source: SessionSource, kind: ThreadSourceKind): boolean => {
  const subAgent = typeof source === 'object' ? source.subAgent : undefined;
  switch (kind) {
    case 'cli':
    case 'vscode':
    case 'exec':
    case 'appServer':
    case 'unknown':
      return source === kind;
    case 'subAgent':
      return subAgent !== undefined;
    case 'subAgentReview':
      return subAgent === 'review';
    case 'subAgentCompact':
      return subAgent === 'compact';
    case 'subAgentThreadSpawn':
      return typeof subAgent === 'object' && 'thread_spawn' in subAgent;
    case 'subAgentOther':
      return typeof subAgent === 'object' && 'other' in subAgent;
  }
};

/**
 * Whether a thread's source is one of `kinds` (the reference's `source_kind_matches`).
 *
 * @example
 * sourceKindMatches({ subAgent: 'review' }, ['subAgentReview']); // true
 */
export const sourceKindMatches = (source: SessionSource, kinds: readonly ThreadSourceKind[]): boolean =>
  kinds.some((kind) => matchesKind(source, kind));

/**
 * Whether a thread recorded under `provider` passes a `modelProviders` filter (`null`: any). A meta
 * without a provider counts as `defaultProvider`, the configured one (SPEC §4.6).
 *
 * @example
 * providerMatches(null, ['openai'], 'openai'); // true
 */
export const providerMatches = (provider: string | null, filter: readonly string[] | null, defaultProvider: string): boolean =>
  filter === null || filter.includes(provider ?? defaultProvider);

/** Where a candidate sorts: its time (file-name stamp or mtime, whole seconds) and thread id. */
export interface SortPosition {
  readonly seconds: number;
  readonly id: string;
}

/** A page as the reference's scanner returns it, before the handler formats the cursor. */
export interface ScanPage<E> {
  readonly items: readonly E[];
  /** Position of the last item when more may follow, else `null`. */
  readonly next: SortPosition | null;
}

export interface ScanOptions<E> {
  readonly pageSize: number;
  readonly cursor: ListCursor | null;
  /** Where an entry sorts for this scan (and what the next cursor says). */
  readonly position: (entry: E) => SortPosition;
  /** Whether an entry is listed (listable and passing the scan's filters). */
  readonly accept: (entry: E) => boolean;
  readonly maxScanFiles?: number;
}

/**
 * The page loop both scans share: skip up to and including the cursor (the anchor latches: once
 * one entry sorts after it, every later entry is taken), collect `pageSize` accepted entries, and
 * report whether another entry follows a full page. Stops pulling entries as soon as it knows.
 */
const collect = <E>(entries: Iterable<E>, options: ScanOptions<E>): { readonly items: E[]; readonly more: boolean } => {
  const items: E[] = [];
  let passed = options.cursor === null;
  for (const entry of entries) {
    if (!passed) {
      const { seconds, id } = options.position(entry);
      if (compareToCursor(seconds, id, options.cursor!) < 0) passed = true;
      else continue;
    }
    if (items.length === options.pageSize) return { items, more: true };
    if (options.accept(entry)) items.push(entry);
  }
  return { items, more: false };
};

/**
 * A `created_at` page over the files in the reference's walk order (year, month, day folders
 * newest first; in a folder, file-name time then id, descending): skip up to and including the
 * cursor, collect `pageSize` accepted files, and report more when another file follows a full page.
 * As in the reference, at most `maxScanFiles` files are visited, counting skipped ones, and when
 * that cap is reached a non-empty page always gets a cursor. The walk is consumed lazily, so it
 * may load folders as it goes.
 *
 * @example
 * createdAtPage(walk, { pageSize: 25, cursor: null, position: (e) => e.created, accept: listable });
 */
export const createdAtPage = <E>(walk: Iterable<E>, options: ScanOptions<E>): ScanPage<E> => {
  const max = options.maxScanFiles ?? MAX_SCAN_FILES;
  let visited = 0;
  const capped = function* (): Generator<E> {
    for (const entry of walk) {
      if (visited === max) return;
      visited += 1;
      yield entry;
    }
  };
  const { items, more } = collect(capped(), options);
  return finish(items, more || (visited >= max && items.length > 0), options.position);
};

/**
 * An `updated_at` page: the first `maxScanFiles` files of the walk are the candidates, ordered by
 * (mtime second, id) descending — `candidates` must come in that order — then paged from the
 * cursor like {@link createdAtPage}. `walkLength` is how many files the walk holds in all.
 *
 * @example
 * updatedAtPage(byMtime, walk.length, { pageSize: 25, cursor, position: (e) => e.updated, accept: listable });
 */
export const updatedAtPage = <E>(candidates: readonly E[], walkLength: number, options: ScanOptions<E>): ScanPage<E> => {
  const { items, more } = collect(candidates, options);
  return finish(items, more || (walkLength >= (options.maxScanFiles ?? MAX_SCAN_FILES) && items.length > 0), options.position);
};

const finish = <E>(items: readonly E[], more: boolean, position: (entry: E) => SortPosition): ScanPage<E> => {
  const last = items[items.length - 1];
  return { items, next: more && last !== undefined ? position(last) : null };
};
