/**
 * The thread index: what `thread/list` serves from, so that listing never opens rollout files.
 *
 * Design. The index mirrors the rollout folders. In memory it holds, per rollout file, its name
 * (creation second and thread id), size, mtime and inode, and the head summary the reference's
 * scanner would extract (first `session_meta` and first `user_message` in the head window, and
 * whether that window is final). On disk it keeps one shard per day folder
 * (`CODEX_HOME/rxagent/thread-index/sessions~YYYY~MM~DD.shard`, plus `archived_sessions.shard`:
 * a header with the folder's mtime, then one tab-separated line per file), replaced by temp file
 * + rename, so a change to today's threads rewrites one small file, and a corrupt or missing shard
 * costs one folder's rebuild, never an error (shards rather than one file or SQLite: no new
 * dependency, writes in proportion to what changed, and the layout of the folders the reference
 * walks). Pages are cut from two cached orders — the
 * reference's walk order for `created_at`, (mtime second, id) for `updated_at` — with the
 * reference's own paging rules, so both sort keys cost the same: a walk along an array.
 * Freshness without reading files: every folder is watched (inotify on Linux), so a call only
 * looks at what changed since the last one — folders named by an event are listed again, files
 * named by an event or reported by this process's writers ({@link ThreadIndex.noteWritten}) are
 * stat'ed — and every file a page looks at is stat'ed too, so what it returns is exact even if an
 * event was lost. A changed file's head is read again only if its head window was not yet final.
 * A full check — folders stat'ed and listed again if their mtime moved (or moved too recently to
 * trust), every file stat'ed — runs at the first call, every minute as a backstop, and at every
 * call when watching is unavailable. Day folders are loaded lazily, newest first, as the
 * `created_at` walk reaches them, so the first page after a start reads a few shards, not a
 * year's; the rest (and the stat of every file, about 30 ms per 10,000 files) is done in slices
 * between requests, or at once when an `updated_at` page needs every mtime. File I/O here is
 * synchronous on purpose: a stat or a head read costs microseconds, ten times less than a round
 * trip through libuv's thread pool, and each page is computed from one consistent state.
 */
import { readdirSync, statSync, watch, type Dirent, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ThreadView } from '../../reducers/threadSummaryReducer.js';
import { log } from '../log.js';
import { parseRolloutFileName, type ListCursor } from './cursor.js';
import { readHead as readHeadFromFile, UNREADABLE_HEAD, type HeadSummary } from './headScan.js';
import {
  createdAtPage,
  MAX_SCAN_FILES,
  providerMatches,
  updatedAtPage,
  type InteractiveSource,
  type SortPosition,
} from './listing.js';
import { decodeHead, ShardStore } from './shardStore.js';

/** Live rollouts: `CODEX_HOME/sessions/YYYY/MM/DD/`. */
export const SESSIONS_DIR = 'sessions';
/** Archived rollouts: `CODEX_HOME/archived_sessions/`, flat. */
export const ARCHIVED_DIR = 'archived_sessions';

/** A folder listed less than this long after its last change may change again within the same mtime tick. */
const RACY_MS = 2_000;
/** Long file work (a cold build, a full stat) yields to the event loop this often, so other requests still flow. */
const SLICE_MS = 10;

/** Something that stops when closed: a folder watch. */
export interface Closable {
  close(): void;
}

/**
 * Watches one folder: `onChange` gets the name of an entry created, changed or removed in it (or
 * `null` when the platform does not say). Throws or calls `onError` when watching is not possible.
 */
export type WatchFolder = (dir: string, onChange: (name: string | null) => void, onError: (error: unknown) => void) => Closable;

/**
 * {@link WatchFolder} by `fs.watch` (inotify on Linux). Not persistent: watches never keep the
 * process alive.
 *
 * @example
 * const watcher = watchFolder('/home/u/.codex/sessions/2026/11/24', (name) => …, (error) => …);
 */
export const watchFolder: WatchFolder = (dir, onChange, onError) => {
  const watcher = watch(dir, { persistent: false }, (_event, name) => onChange(name));
  watcher.on('error', onError);
  return watcher;
};

export interface ThreadIndexOptions {
  readonly codexHome: string;
  /**
   * Watches the folders so changes by other programs are seen at the next call (default
   * {@link watchFolder}); `false`, or watches that fail, make every call a full check instead.
   */
  readonly watch?: WatchFolder | false;
  /** Keep the shards under `CODEX_HOME/rxagent/thread-index` (default true). */
  readonly persist?: boolean;
  /** Even with watches, run a full check when the last one is older than this (default 60 s). */
  readonly fullCheckMs?: number;
  /** Wall clock in ms; injected so tests control the full-check schedule. */
  readonly now?: () => number;
  /** Reads a rollout's head window; injected so tests can count reads. */
  readonly readHead?: (path: string) => HeadSummary;
  /** Files a page may visit (the reference's `MAX_SCAN_FILES`). */
  readonly maxScanFiles?: number;
  /** Where warnings go (watches failing, shards that cannot be saved); default `log.warn`. */
  readonly warn?: (message: string, fields?: Record<string, unknown>) => void;
}

/** One `thread/list` scan over the index (the handler's loop may run several per request). */
export interface IndexQuery {
  readonly archived: boolean;
  readonly sortKey: 'created_at' | 'updated_at';
  readonly pageSize: number;
  readonly cursor: ListCursor | null;
  /** Sources the scan itself keeps; empty keeps every source. */
  readonly sources: readonly InteractiveSource[];
  /** Providers to keep; `null` keeps every provider. */
  readonly modelProviders: readonly string[] | null;
  /** The configured provider, which a meta without one counts as. */
  readonly defaultProvider: string;
}

/** A listed thread: its rollout, summary and `updatedAt` (the file's mtime in seconds). */
export interface IndexedThread {
  readonly path: string;
  readonly summary: ThreadView;
  readonly updatedAt: number;
}

export interface IndexPage {
  readonly items: readonly IndexedThread[];
  /** Where the next page starts, or `null` at the end. */
  readonly next: ListCursor | null;
}

interface Dir {
  readonly rel: string;
  readonly abs: string;
  /** 0 for a root; in `sessions/`, 1 year, 2 month, 3 day. */
  readonly depth: number;
  /** Numeric folder names from the root down: the walk order. */
  readonly order: readonly number[];
  readonly holdsFiles: boolean;
  /** A folder of files has been seeded from its shard and checked against the disk (they load lazily). */
  loaded: boolean;
  /** mtime when last listed; `NaN` until listed. */
  mtimeMs: number;
  listedAtMs: number;
  /** List again at the next check, whatever the mtime says. */
  forceList: boolean;
  /** Gone from disk (and from the index); a pending event for it is ignored. */
  removed: boolean;
  readonly subdirs: Map<string, Dir>;
  readonly files: Map<string, Entry>;
  /** The files in walk order; `null` after files came or went. */
  sorted: Entry[] | null;
  watcher: Closable | undefined;
}

interface Entry {
  readonly dir: Dir;
  readonly name: string;
  readonly path: string;
  readonly created: SortPosition;
  updated: SortPosition;
  size: number;
  mtimeMs: number;
  ino: number;
  /** The summary; its shard JSON until a page needs it; `null` until read (a new or changed file). */
  head: HeadSummary | string | null;
}

interface Tree {
  readonly root: Dir;
  /** The folders that hold files, in walk order; `null` after folders came or went. */
  days: Dir[] | null;
  /** Every file in walk order (every folder loaded); `null` after files came or went. */
  walk: Entry[] | null;
  /** The walk's first `maxScanFiles` files by (mtime second, id) descending; `null` after an mtime moved. */
  byUpdated: Entry[] | null;
  /** When the last full check ran; `-Infinity` before the first. */
  lastFullCheckMs: number;
  /** Every folder is loaded and every file stat'ed since the last full check: the `updated_at` order holds. */
  mtimesChecked: boolean;
  /** Files the current full check has yet to stat; `null` until it gets there. */
  unchecked: Set<Entry> | null;
  /** The rest of a full check is being done between requests. */
  checking: boolean;
  /** Paths (relative to `CODEX_HOME`) reported changed since the last call. */
  readonly reported: Set<string>;
  /** Files to stat at the next call: new, reported, or named by a watch event. */
  readonly dirty: Set<Entry>;
  /** Folders to check at the next call: named by a watch event or a report. */
  readonly dirtyDirs: Set<Dir>;
}

const U16 = 0xffff;
const U8 = 0xff;

/** The reference parses year folders as `u16` and month/day folders as `u8`; others are not walked. */
const folderNumber = (name: string, depth: number): number | null => {
  if (!/^\+?\d+$/.test(name)) return null;
  const value = Number(name.replace('+', ''));
  return value <= (depth === 1 ? U16 : U8) ? value : null;
};

const newDir = (codexHome: string, rel: string, depth: number, order: readonly number[], holdsFiles: boolean): Dir => ({
  rel,
  abs: join(codexHome, rel),
  depth,
  order,
  holdsFiles,
  loaded: false,
  mtimeMs: Number.NaN,
  listedAtMs: Number.NaN,
  forceList: false,
  removed: false,
  subdirs: new Map(),
  files: new Map(),
  sorted: null,
  watcher: undefined,
});

const descending = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/** Folders newest first by number, as the reference walks them (ties, e.g. `9` and `09`, by name). */
const byFolderOrder = (a: Dir, b: Dir): number => b.order[b.order.length - 1]! - a.order[a.order.length - 1]! || descending(a.rel, b.rel);

/** Files of one folder by (file-name time, id) descending, as the reference sorts them. */
const byNameOrder = (a: Entry, b: Entry): number =>
  b.created.seconds - a.created.seconds || descending(a.created.id, b.created.id) || descending(a.name, b.name);

// Stable sort: equal (second, id) pairs keep the walk order, as in the reference.
const byUpdatedDesc = (a: Entry, b: Entry): number => b.updated.seconds - a.updated.seconds || descending(a.updated.id, b.updated.id);

/** Lets the event loop pass one poll phase, so watch events the kernel already queued are delivered. */
const settle = async (): Promise<void> => {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
};

const yieldToLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A path's stat, or `undefined` when it cannot be had: missing, or not reachable (permissions, a
 * loop of links). Such a file is not listed, as the reference lists nothing it cannot read, and a
 * listing never fails for one bad path.
 */
const statOf = (path: string): Stats | undefined => {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
};

/**
 * The index of one `CODEX_HOME`'s rollouts (see the design note at the top of this file). One
 * instance per process and home ({@link threadIndexFor}); all methods may be called at any time,
 * pages are computed one at a time.
 *
 * @example
 * const index = new ThreadIndex({ codexHome });
 * const page = await index.page({ archived: false, sortKey: 'created_at', pageSize: 25, cursor: null,
 *   sources: ['cli', 'vscode'], modelProviders: ['openai'], defaultProvider: 'openai' });
 * const writer = RolloutWriter.create(path, index.noteWritten);
 */
export class ThreadIndex {
  readonly codexHome: string;
  private readonly watchFolder: WatchFolder | false;
  private readonly fullCheckMs: number;
  private readonly now: () => number;
  private readonly readHead: (path: string) => HeadSummary;
  private readonly maxScanFiles: number;
  private readonly warn: (message: string, fields?: Record<string, unknown>) => void;
  private readonly store: ShardStore | undefined;
  private readonly sessions: Tree;
  private readonly archived: Tree;
  /** Folders with a shard not read yet; `undefined` until the index folder was listed. */
  private shardFolders: Set<string> | undefined;
  private readonly shardsToSave = new Set<Dir>();
  private readonly shardsToRemove = new Set<string>();
  private watchBroken = false;
  private persistWarned = false;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: ThreadIndexOptions) {
    this.codexHome = options.codexHome;
    this.watchFolder = options.watch ?? watchFolder;
    this.fullCheckMs = options.fullCheckMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.readHead = options.readHead ?? readHeadFromFile;
    this.maxScanFiles = options.maxScanFiles ?? MAX_SCAN_FILES;
    this.warn = options.warn ?? log.warn;
    this.store = options.persist === false ? undefined : new ShardStore(join(this.codexHome, 'rxagent', 'thread-index'));
    const tree = (name: string, holdsFiles: boolean): Tree => ({
      root: newDir(this.codexHome, name, 0, [], holdsFiles),
      days: null,
      walk: null,
      byUpdated: null,
      lastFullCheckMs: Number.NEGATIVE_INFINITY,
      mtimesChecked: false,
      unchecked: null,
      checking: false,
      reported: new Set(),
      dirty: new Set(),
      dirtyDirs: new Set(),
    });
    this.sessions = tree(SESSIONS_DIR, false);
    this.archived = tree(ARCHIVED_DIR, true);
  }

  /**
   * One scan of `thread/list` (SPEC §4.6) over live or archived threads, after bringing the index
   * up to date with the files.
   *
   * @example
   * const { items, next } = await index.page({ archived: false, sortKey: 'updated_at', pageSize: 50,
   *   cursor: null, sources: [], modelProviders: null, defaultProvider: 'openai' });
   */
  async page(query: IndexQuery): Promise<IndexPage> {
    if (this.watching) await settle();
    const tree = query.archived ? this.archived : this.sessions;
    const page = await this.serialized(async () => {
      await this.refresh(tree, query.sortKey === 'updated_at');
      const page = this.scan(tree, query);
      this.persist();
      return page;
    });
    this.finishCheckLater(tree);
    return page;
  }

  /**
   * Reports that `path` (a rollout under `sessions/` or `archived_sessions/`) was created or
   * appended to by this process; the next page stats it, and reads its head if still needed.
   * Cheap enough for every write: it only records the path. Bound, so it can be handed over as
   * the writer's callback (the lines it is also given are not needed).
   *
   * @example
   * RolloutWriter.create(path, index.noteWritten);
   */
  readonly noteWritten = (path: string): void => this.report(path);

  /**
   * Reports that a rollout was renamed, e.g. by `thread/archive` (`sessions/…` → `archived_sessions/…`)
   * or `thread/unarchive` (back, with a fresh mtime). Call it after the rename.
   *
   * @example
   * await rename(from, to); index.noteMoved(from, to);
   */
  readonly noteMoved = (from: string, to: string): void => {
    this.report(from);
    this.report(to);
  };

  /**
   * Reports that a rollout was deleted.
   *
   * @example
   * await rm(path); index.noteRemoved(path);
   */
  readonly noteRemoved = (path: string): void => this.report(path);

  /**
   * Starts the first full check of the live threads now, its file half in slices between
   * requests, so that the first page after a start finds the work done (at 10,000 rollouts an
   * `updated_at` page otherwise waits ~100 ms for it). Call once when the server starts.
   *
   * @example
   * threadIndexFor(codexHome).warm();
   */
  warm(): void {
    this.serialized(() => this.refresh(this.sessions, false)).then(
      () => this.finishCheckLater(this.sessions),
      (error: unknown) => this.warn('thread index: warm-up failed', { error: String(error) }),
    );
  }

  /** Stops the watches and background work (the index still answers, with a full check at each call). */
  close(): void {
    this.closed = true;
    for (const tree of [this.sessions, this.archived]) this.forEachDir(tree.root, (dir) => this.unwatch(dir));
  }

  private get watching(): boolean {
    return this.watchFolder !== false && !this.watchBroken && !this.closed;
  }

  private report(path: string): void {
    const rel = relative(this.codexHome, path).split(sep).join('/');
    const tree = rel.startsWith(`${SESSIONS_DIR}/`) ? this.sessions : rel.startsWith(`${ARCHIVED_DIR}/`) ? this.archived : undefined;
    tree?.reported.add(rel);
  }

  private serialized<T>(task: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ---- keeping up with the files ---------------------------------------------------------------

  /**
   * Brings a tree up to date for one page. A full check (see the design note) lists changed
   * folders at once; loading every folder and stating every file follows between requests, or
   * now when the page needs every mtime (`updated_at`). Between full checks only what watch
   * events and reports named is looked at, plus the root while it cannot be watched (it may not
   * exist yet).
   */
  private async refresh(tree: Tree, needsMtimes: boolean): Promise<void> {
    if (this.shardFolders === undefined) {
      this.shardFolders = this.store?.folders() ?? new Set();
      // A shard for no folder the index knows (hand-made, or from another layout) is stale.
      for (const dir of this.shardFolders) if (!dir.startsWith(`${SESSIONS_DIR}/`) && dir !== ARCHIVED_DIR) this.dropShard(dir);
    }
    this.applyReports(tree);
    const now = this.now();
    if (!this.watching || now - tree.lastFullCheckMs >= this.fullCheckMs) {
      const first = tree.lastFullCheckMs === Number.NEGATIVE_INFINITY;
      tree.lastFullCheckMs = now;
      tree.mtimesChecked = false;
      tree.unchecked = null;
      this.checkDir(tree, tree.root, true);
      if (first) this.dropStaleShards(tree);
    } else {
      if (tree.root.watcher === undefined) tree.dirtyDirs.add(tree.root);
      for (const dir of tree.dirtyDirs) if (!dir.removed) this.checkDir(tree, dir, false);
    }
    tree.dirtyDirs.clear();
    if (needsMtimes) while (!this.checkFiles(tree, SLICE_MS)) await yieldToLoop();
    await this.statAndRead(tree, [...tree.dirty]);
  }

  /**
   * Does up to `budgetMs` of the file half of a full check: load every folder, then stat every
   * file (reading the heads that need it). True once all is done.
   */
  private checkFiles(tree: Tree, budgetMs: number): boolean {
    if (tree.mtimesChecked) return true;
    const start = performance.now();
    for (const day of this.daysOf(tree)) {
      if (day.loaded) continue;
      this.loadDir(tree, day);
      if (performance.now() - start > budgetMs) return false;
    }
    tree.unchecked ??= new Set(this.walkOf(tree));
    for (const entry of tree.unchecked) {
      tree.unchecked.delete(entry);
      // `head` may still be shard JSON: decoding it would cost more than the stat.
      if (!this.statEntry(tree, entry).gone && entry.head === null) this.readEntryHead(tree, entry);
      if (performance.now() - start > budgetMs) return false;
    }
    tree.unchecked = null;
    tree.mtimesChecked = true;
    return true;
  }

  /** With watches, what a full check left undone is done in slices between requests. */
  private finishCheckLater(tree: Tree): void {
    if (tree.checking || tree.mtimesChecked || !this.watching) return;
    tree.checking = true;
    const slice = (): void => {
      this.serialized(() => {
        if (this.closed) return true;
        const done = this.checkFiles(tree, SLICE_MS);
        this.persist();
        return done;
      }).then(
        (done) => {
          if (done || this.closed) tree.checking = false;
          else setImmediate(slice);
        },
        (error: unknown) => {
          // The next page finishes the check instead.
          tree.checking = false;
          this.warn('thread index: background check failed', { error: String(error) });
        },
      );
    };
    setImmediate(slice);
  }

  /** Stats files and reads the heads that need it, yielding now and then (a cold start reads thousands). */
  private async statAndRead(tree: Tree, entries: readonly Entry[]): Promise<void> {
    for (const entry of entries) tree.dirty.delete(entry);
    let sliceStart = performance.now();
    for (const entry of entries) {
      if (!this.statEntry(tree, entry).gone && entry.head === null) this.readEntryHead(tree, entry);
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
  }

  /** Turns reported paths into work: a known file is stat'ed, an unknown one has its folder listed again. */
  private applyReports(tree: Tree): void {
    for (const rel of tree.reported) {
      const parts = rel.split('/').slice(1);
      let dir = tree.root;
      for (const part of parts.slice(0, -1)) {
        const next = dir.subdirs.get(part);
        if (next === undefined) break;
        dir = next;
      }
      const entry = dir.files.get(parts[parts.length - 1] ?? '');
      if (entry !== undefined) tree.dirty.add(entry);
      else this.flagDir(tree, dir);
    }
    tree.reported.clear();
  }

  private flagDir(tree: Tree, dir: Dir): void {
    dir.forceList = true;
    tree.dirtyDirs.add(dir);
  }

  /**
   * Stats a folder and lists it again if it changed (or may have); then checks its subfolders:
   * all of them in a sweep, else only those met for the first time (the others are watched). A
   * folder of files not loaded yet is left alone: it is checked when loaded.
   */
  private checkDir(tree: Tree, dir: Dir, sweep: boolean): void {
    if (dir.holdsFiles && !dir.loaded) return;
    const stats = statOf(dir.abs);
    if (stats === undefined || !stats.isDirectory()) {
      this.clearDir(tree, dir);
      return;
    }
    // Watched before it is listed, so nothing created in between goes unseen.
    if (dir.watcher === undefined) this.watch(tree, dir);
    // Listed within the mtime's granularity of a change, the folder may have changed again since
    // without its mtime moving (the "racy clean" case): it is listed until that window has passed.
    const trusted = stats.mtimeMs === dir.mtimeMs && dir.listedAtMs - dir.mtimeMs >= RACY_MS;
    const opened = dir.forceList || !trusted ? this.listDir(tree, dir, stats) : [];
    for (const sub of sweep ? dir.subdirs.values() : opened) this.checkDir(tree, sub, sweep);
  }

  /** Lists a folder, adding and dropping files or subfolders to match; returns the subfolders it opened. */
  private listDir(tree: Tree, dir: Dir, stats: Stats): Dir[] {
    const listedAtMs = this.now();
    let dirents: Dirent[];
    try {
      dirents = readdirSync(dir.abs, { withFileTypes: true });
    } catch (error) {
      this.warn('thread index: cannot list rollout folder', { dir: dir.abs, error: (error as Error).message });
      dirents = [];
    }
    const seen = new Set<string>();
    for (const dirent of dirents) {
      const wanted = dir.holdsFiles
        ? dirent.isFile() && parseRolloutFileName(dirent.name) !== null
        : dirent.isDirectory() && folderNumber(dirent.name, dir.depth + 1) !== null;
      if (wanted) seen.add(dirent.name);
    }
    const opened: Dir[] = [];
    if (dir.holdsFiles) {
      // Saved when its names changed, or when a listing the shard holds as too recent to trust
      // is now trusted, so that the next start need not list the folder again.
      let save = stats.mtimeMs !== dir.mtimeMs || dir.listedAtMs - dir.mtimeMs < RACY_MS;
      for (const [name, entry] of dir.files) {
        if (seen.has(name)) continue;
        this.removeEntry(tree, entry);
        save = true;
      }
      for (const name of seen) {
        if (dir.files.has(name)) continue;
        const parsed = parseRolloutFileName(name)!;
        this.addEntry(tree, dir, name, parsed.seconds, parsed.id);
        save = true;
      }
      if (save) this.shardsToSave.add(dir);
    } else {
      for (const [name, sub] of dir.subdirs) {
        if (seen.has(name)) continue;
        this.clearDir(tree, sub);
        dir.subdirs.delete(name);
        this.forgetDays(tree);
      }
      for (const name of seen) {
        if (dir.subdirs.has(name)) continue;
        const depth = dir.depth + 1;
        const sub = newDir(this.codexHome, `${dir.rel}/${name}`, depth, [...dir.order, folderNumber(name, depth)!], depth === 3);
        dir.subdirs.set(name, sub);
        this.forgetDays(tree);
        opened.push(sub);
      }
    }
    dir.mtimeMs = stats.mtimeMs;
    dir.listedAtMs = listedAtMs;
    dir.forceList = false;
    return opened;
  }

  /** Loads a folder of files: seeded from its shard when there is one, then checked against the disk. */
  private loadDir(tree: Tree, dir: Dir): void {
    dir.loaded = true;
    this.seed(tree, dir);
    this.checkDir(tree, dir, false);
  }

  private seed(tree: Tree, dir: Dir): void {
    if (this.shardFolders?.delete(dir.rel) !== true) return;
    const shard = this.store!.read(dir.rel);
    if (shard === null) return;
    dir.mtimeMs = shard.mtimeMs;
    dir.listedAtMs = shard.listedAtMs;
    for (const file of shard.files) {
      const entry = this.addEntry(tree, dir, file.name, file.seconds, file.id);
      entry.size = file.size;
      entry.mtimeMs = file.mtimeMs;
      entry.ino = file.ino;
      entry.updated = { seconds: Math.floor(file.mtimeMs / 1000), id: file.id };
      entry.head = file.head;
      // As good as the shard: stat'ed when a page looks at it or by the full check, not now.
      tree.dirty.delete(entry);
    }
  }

  /** A file met for the first time; stat'ed at the next call (or by the page that meets it). */
  private addEntry(tree: Tree, dir: Dir, name: string, seconds: number, id: string): Entry {
    const entry: Entry = {
      dir,
      name,
      // Concatenated, not joined: `dir.abs` is already normal, and this runs for every file at start.
      path: `${dir.abs}${sep}${name}`,
      created: { seconds, id },
      updated: { seconds: 0, id },
      size: -1,
      mtimeMs: Number.NaN,
      ino: -1,
      head: null,
    };
    dir.files.set(name, entry);
    dir.sorted = null;
    tree.dirty.add(entry);
    tree.walk = null;
    tree.byUpdated = null;
    return entry;
  }

  private removeEntry(tree: Tree, entry: Entry): void {
    if (entry.dir.files.get(entry.name) !== entry) return;
    entry.dir.files.delete(entry.name);
    entry.dir.sorted = null;
    tree.dirty.delete(entry);
    tree.walk = null;
    tree.byUpdated = null;
    this.shardsToSave.add(entry.dir);
  }

  /** Forgets a folder that is gone, with everything below it. */
  private clearDir(tree: Tree, dir: Dir): void {
    this.forEachDir(dir, (gone) => {
      this.unwatch(gone);
      if (gone !== tree.root) gone.removed = true;
      for (const entry of gone.files.values()) this.removeEntry(tree, entry);
      if (gone.holdsFiles) {
        this.shardsToSave.delete(gone);
        this.shardsToRemove.add(gone.rel);
        this.shardFolders?.delete(gone.rel);
      }
    });
    dir.subdirs.clear();
    dir.mtimeMs = Number.NaN;
    dir.listedAtMs = Number.NaN;
    this.forgetDays(tree);
  }

  /** A day folder came or went: the walk (which loads day folders lazily) must be cut again. */
  private forgetDays(tree: Tree): void {
    tree.days = null;
    tree.walk = null;
    tree.byUpdated = null;
  }

  /** The entry's head, decoded from its shard JSON on first use (a bad one is read from the file again). */
  private headOf(entry: Entry): HeadSummary | null {
    if (typeof entry.head === 'string') entry.head = decodeHead(entry.head);
    return entry.head;
  }

  /**
   * Brings one file's stat up to date. Returns what moved: `gone` (the file vanished), `order`
   * (its mtime second changed, so the `updated_at` order did). A head is dropped, to be read
   * again, when the file was replaced (new inode), shrank, or grew while its window was open.
   */
  private statEntry(tree: Tree, entry: Entry): { readonly gone: boolean; readonly order: boolean } {
    const stats = statOf(entry.path);
    if (stats === undefined || !stats.isFile()) {
      this.removeEntry(tree, entry);
      return { gone: true, order: true };
    }
    if (stats.size === entry.size && stats.mtimeMs === entry.mtimeMs && stats.ino === entry.ino) return { gone: false, order: false };
    const head = this.headOf(entry);
    if (head !== null && (stats.ino !== entry.ino || stats.size < entry.size || (!head.final && stats.size !== entry.size))) entry.head = null;
    const seconds = Math.floor(stats.mtimeMs / 1000);
    const order = seconds !== entry.updated.seconds;
    entry.size = stats.size;
    entry.mtimeMs = stats.mtimeMs;
    entry.ino = stats.ino;
    if (order) {
      entry.updated = { seconds, id: entry.created.id };
      tree.byUpdated = null;
    }
    this.shardsToSave.add(entry.dir);
    return { gone: false, order };
  }

  private readEntryHead(tree: Tree, entry: Entry): void {
    try {
      entry.head = this.readHead(entry.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.removeEntry(tree, entry);
        return;
      }
      // As the reference: an unreadable file is not listed; it is read again once it changes.
      entry.head = UNREADABLE_HEAD;
    }
    this.shardsToSave.add(entry.dir);
  }

  // ---- watches ---------------------------------------------------------------------------------

  private watch(tree: Tree, dir: Dir): void {
    const watchFolder = this.watchFolder;
    if (watchFolder === false || !this.watching) return;
    const onChange = (name: string | null): void => {
      const entry = name === null ? undefined : dir.files.get(name);
      if (entry !== undefined) tree.dirty.add(entry);
      else this.flagDir(tree, dir);
    };
    try {
      dir.watcher = watchFolder(dir.abs, onChange, (error) => this.breakWatches(error));
    } catch (error) {
      // A folder removed since it was stat'ed is no reason to stop watching the others.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.breakWatches(error);
    }
  }

  private unwatch(dir: Dir): void {
    dir.watcher?.close();
    dir.watcher = undefined;
  }

  private breakWatches(error: unknown): void {
    if (this.watchBroken) return;
    this.watchBroken = true;
    this.warn('thread index: file watching unavailable; every listing checks every rollout', { error: String(error) });
    for (const tree of [this.sessions, this.archived]) this.forEachDir(tree.root, (dir) => this.unwatch(dir));
  }

  // ---- paging ----------------------------------------------------------------------------------

  private daysOf(tree: Tree): Dir[] {
    if (tree.days === null) {
      const days: Dir[] = [];
      const visit = (dir: Dir): void => {
        if (dir.holdsFiles) days.push(dir);
        else for (const sub of [...dir.subdirs.values()].sort(byFolderOrder)) visit(sub);
      };
      visit(tree.root);
      tree.days = days;
    }
    return tree.days;
  }

  private sortedOf(dir: Dir): Entry[] {
    dir.sorted ??= [...dir.files.values()].sort(byNameOrder);
    return dir.sorted;
  }

  /** The files in walk order, loading folders only as the walk reaches them. */
  private *lazyWalk(tree: Tree): Generator<Entry> {
    for (const day of this.daysOf(tree)) {
      if (!day.loaded) this.loadDir(tree, day);
      yield* this.sortedOf(day);
    }
  }

  private walkOf(tree: Tree): Entry[] {
    tree.walk ??= [...this.lazyWalk(tree)];
    return tree.walk;
  }

  private byUpdatedOf(tree: Tree): Entry[] {
    tree.byUpdated ??= this.walkOf(tree).slice(0, this.maxScanFiles).sort(byUpdatedDesc);
    return tree.byUpdated;
  }

  private isListed(entry: Entry, query: IndexQuery): boolean {
    const head = this.headOf(entry);
    if (head === null || head.meta === null || head.preview === null) return false;
    const source = head.meta.source;
    if (query.sources.length > 0 && !(typeof source === 'string' && (query.sources as readonly string[]).includes(source))) return false;
    return providerMatches(head.meta.modelProvider, query.modelProviders, query.defaultProvider);
  }

  /**
   * Cuts the page. Each file the scan looks at is stat'ed first, so what a page returns is current
   * even if an event was lost; if that reveals a move in the order being paged, the page is cut
   * again from the corrected order (at most twice more).
   */
  private scan(tree: Tree, query: IndexQuery): IndexPage {
    for (let attempt = 0; ; attempt++) {
      let moved = false;
      const accept = (entry: Entry): boolean => {
        const change = this.statEntry(tree, entry);
        if (change.gone || (change.order && query.sortKey === 'updated_at')) moved = true;
        if (change.gone) return false;
        if (this.headOf(entry) === null) this.readEntryHead(tree, entry);
        // Read as gone: the file vanished between the stat and the read.
        if (entry.head === null) moved = true;
        return this.isListed(entry, query);
      };
      const options = { pageSize: query.pageSize, cursor: query.cursor, accept, maxScanFiles: this.maxScanFiles };
      const page =
        query.sortKey === 'created_at'
          ? createdAtPage(tree.walk ?? this.lazyWalk(tree), { ...options, position: (entry: Entry) => entry.created })
          : updatedAtPage(this.byUpdatedOf(tree), this.walkOf(tree).length, { ...options, position: (entry: Entry) => entry.updated });
      if (!moved || attempt === 2) {
        return {
          items: page.items.map((entry) => {
            const head = this.headOf(entry)!;
            return { path: entry.path, summary: { meta: head.meta, preview: head.preview, updatedAt: null }, updatedAt: entry.updated.seconds };
          }),
          next: page.next === null ? null : { at: { seconds: page.next.seconds, nanos: 0 }, id: page.next.id },
        };
      }
    }
  }

  // ---- persistence -----------------------------------------------------------------------------

  /** Shards of this tree whose folders its first check did not find describe folders that are gone. */
  private dropStaleShards(tree: Tree): void {
    if (tree.root.holdsFiles) return;
    const days = new Set(this.daysOf(tree).map((day) => day.rel));
    for (const dir of this.shardFolders!) if (dir.startsWith(`${tree.root.rel}/`) && !days.has(dir)) this.dropShard(dir);
  }

  private dropShard(dir: string): void {
    this.shardsToRemove.add(dir);
    this.shardFolders!.delete(dir);
  }

  private persist(): void {
    const store = this.store;
    if (store === undefined || this.closed) return;
    try {
      for (const rel of this.shardsToRemove) store.remove(rel);
      this.shardsToRemove.clear();
      for (const dir of this.shardsToSave) {
        if (dir.removed || Number.isNaN(dir.mtimeMs)) {
          this.shardsToSave.delete(dir);
          continue;
        }
        const files = [];
        for (const entry of dir.files.values()) {
          if (entry.head === null || entry.size < 0) break;
          const head = typeof entry.head === 'string' ? entry.head : JSON.stringify(entry.head);
          files.push({ name: entry.name, size: entry.size, mtimeMs: entry.mtimeMs, ino: entry.ino, seconds: entry.created.seconds, id: entry.created.id, head });
        }
        // A start trusts a shard to name every file of its folder: one with files not yet read waits.
        if (files.length < dir.files.size) continue;
        store.save({ dir: dir.rel, mtimeMs: dir.mtimeMs, listedAtMs: dir.listedAtMs, files });
        this.shardsToSave.delete(dir);
      }
    } catch (error) {
      // The index still works from memory; the shards are retried after the next change.
      if (!this.persistWarned) this.warn('thread index: cannot save', { dir: store.dir, error: (error as Error).message });
      this.persistWarned = true;
    }
  }

  private forEachDir(dir: Dir, visit: (dir: Dir) => void): void {
    visit(dir);
    for (const sub of dir.subdirs.values()) this.forEachDir(sub, visit);
  }
}
