// Splits streamed assistant text into normal text and tagged blocks whose open and close tags
// each fill a whole line: the reference's `TaggedLineParser` (SPEC Part II §7.2), made an
// immutable reducer so it can be replayed and tested without RxJS, plus the operator around it.
import { Observable, type OperatorFunction } from 'rxjs';

/**
 * One kind of block: `open` and `close` are the exact lines (surrounding whitespace allowed)
 * that start and end it. A bare name `n` passed to {@link taggedBlocks} stands for
 * `{ tag: n, open: '<n>', close: '</n>' }`.
 *
 * @example
 * const note: TagSpec<'note'> = { tag: 'note', open: '<note>', close: '</note>' };
 */
export interface TagSpec<T extends string = string> {
  readonly tag: T;
  readonly open: string;
  readonly close: string;
}

/**
 * A piece of a tagged stream: text outside any block, a block's start, text inside it, or its end.
 * Text pieces are never empty; tag lines themselves produce no text.
 *
 * @example
 * // "Hi\n<note>\nx\n</note>\n" →
 * [{ kind: 'text', text: 'Hi\n' }, { kind: 'blockStart', tag: 'note' },
 *  { kind: 'blockText', tag: 'note', text: 'x\n' }, { kind: 'blockEnd', tag: 'note' }]
 */
export type Segment<T extends string = string> =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'blockStart'; readonly tag: T }
  | { readonly kind: 'blockText'; readonly tag: T; readonly text: string }
  | { readonly kind: 'blockEnd'; readonly tag: T };

/**
 * Where the parser stands between two chunks. Immutable: {@link stepTaggedBlocks} returns a new
 * state, or the same object when nothing changed.
 *
 * @example
 * const [s] = stepTaggedBlocks(initTaggedBlocks(['note']), 'a\n  <no');
 * s.held; // '  <no' — the only text ever held back is the current, still undecided line
 */
export interface TaggedBlocksState<T extends string = string> {
  readonly specs: readonly TagSpec<T>[];
  /** The block we are inside, if any. */
  readonly active: T | undefined;
  /** At the start of a line, or the line so far could still be a tag line. */
  readonly detecting: boolean;
  /** The undecided start of the current line (empty unless `detecting`). */
  readonly held: string;
  /** How many characters of `held` follow its leading whitespace (`candidates` is meaningful only when > 0). */
  readonly matched: number;
  /**
   * Which tag lines begin with those `matched` characters, as a bit set (spec k's open is bit
   * 2k, its close bit 2k + 1): narrowing it by one comparison per character is what keeps
   * undecided lines cheap.
   */
  readonly candidates: number;
}

/**
 * The state before any text, for the given tags (bare names or full specs, at most 16).
 * Throws a `RangeError` for a tag that could never match a trimmed line (empty, containing a
 * line break, or with surrounding whitespace), so a typo fails at setup rather than silently.
 *
 * @example
 * const s0 = initTaggedBlocks(['proposed_plan']); // matches '<proposed_plan>' … '</proposed_plan>'
 */
export function initTaggedBlocks<T extends string>(
  tags: readonly (T | TagSpec<T>)[],
): TaggedBlocksState<T> {
  const specs = tags.map((t) => (typeof t === 'string' ? { tag: t, open: `<${t}>`, close: `</${t}>` } : t));
  if (specs.length > 16) throw new RangeError(`taggedBlocks: ${specs.length} tags, at most 16 fit the candidate bit set`);
  for (const spec of specs) {
    for (const line of [spec.open, spec.close]) {
      if (line === '' || line.includes('\n') || isWhitespace(line.charCodeAt(0)) || isWhitespace(line.charCodeAt(line.length - 1))) {
        throw new RangeError(`taggedBlocks: tag line ${JSON.stringify(line)} of '${spec.tag}' can never match a trimmed line`);
      }
    }
  }
  return { specs, active: undefined, detecting: true, held: '', matched: 0, candidates: 0 };
}

const LF = 0x0a;

/**
 * Feeds one chunk. Returns the next state and the segments this chunk decided, with
 * consecutive text of the same kind merged (as the reference merges within one delta).
 *
 * @example
 * let [s, out] = stepTaggedBlocks(initTaggedBlocks(['note']), 'Hi\n<no');
 * // out: [{ kind: 'text', text: 'Hi\n' }]   ('<no' is held: it may become '<note>')
 * [s, out] = stepTaggedBlocks(s, 'te>\nx');
 * // out: [{ kind: 'blockStart', tag: 'note' }, { kind: 'blockText', tag: 'note', text: 'x' }]
 */
export function stepTaggedBlocks<T extends string>(
  state: TaggedBlocksState<T>,
  chunk: string,
): [TaggedBlocksState<T>, Segment<T>[]] {
  const out: Segment<T>[] = [];
  if (!state.detecting && chunk.indexOf('\n') < 0) {
    // Most chunks fall in the middle of a line already decided: pass them straight through.
    pushText(out, state.active, chunk);
    return [state, out];
  }
  const { specs } = state;
  const everyTag = (2 ** (2 * specs.length) - 1) | 0;
  const n = chunk.length;
  let { active, detecting, matched, candidates } = state;
  // Content between two tag lines is contiguous in the chunk, so it is emitted as one slice
  // (`runHead` + chunk[runStart, …)) instead of being concatenated piece by piece.
  let lineHead = state.held; // earlier part of the line that continues at `lineStart`
  let lineStart = 0;
  let runHead = '';
  let runStart = 0;
  let i = 0;
  while (i < n) {
    if (!detecting) {
      const nl = chunk.indexOf('\n', i);
      if (nl < 0) break;
      i = lineStart = nl + 1;
      detecting = true;
      continue;
    }
    const c = chunk.charCodeAt(i);
    if (c === LF) {
      const tagLine = classifyLine(specs, active, trimWhitespace(lineHead + chunk.slice(lineStart, i)));
      if (tagLine === undefined) {
        if (lineHead !== '') runHead = lineHead;
      } else {
        pushText(out, active, runHead + chunk.slice(runStart, lineStart));
        out.push(tagLine);
        active = tagLine.kind === 'blockStart' ? tagLine.tag : undefined;
        runHead = '';
        runStart = i + 1;
      }
      lineHead = '';
      matched = 0;
      i = lineStart = i + 1;
      continue;
    }
    i++;
    const space = isWhitespace(c);
    if (matched === 0) {
      if (space) continue; // leading whitespace is not compared
      candidates = everyTag;
    }
    for (let rest = candidates; rest !== 0; rest &= rest - 1) {
      const bit = rest & -rest;
      const spec = specs[(31 - Math.clz32(bit)) >> 1];
      const line = bit & 0x55555555 ? spec.open : spec.close;
      if (line.charCodeAt(matched) !== c) candidates &= ~bit;
    }
    matched++;
    // Whitespace never decides: a tag line may end in it. Otherwise no candidate left means the
    // line cannot be a tag line: release it now and pass the rest of it through.
    if (candidates === 0 && !space) {
      if (lineHead !== '') runHead = lineHead;
      lineHead = '';
      matched = 0;
      detecting = false;
    }
  }
  let held = '';
  if (detecting) {
    pushText(out, active, runHead + chunk.slice(runStart, lineStart));
    held = lineHead + chunk.slice(lineStart);
  } else {
    pushText(out, active, runHead + chunk.slice(runStart));
  }
  if (active === state.active && detecting === state.detecting && held === state.held) return [state, out];
  return [{ specs, active, detecting, held, matched, candidates }, out];
}

/**
 * Ends the stream: classifies a held partial line (it may be a tag line without its newline),
 * then closes a block left open. The reference does the same, so a missing close tag still
 * yields a complete block.
 *
 * @example
 * const [s] = stepTaggedBlocks(initTaggedBlocks(['note']), '<note>\nx\n</note>');
 * finishTaggedBlocks(s); // [{ kind: 'blockEnd', tag: 'note' }]
 */
export function finishTaggedBlocks<T extends string>(state: TaggedBlocksState<T>): Segment<T>[] {
  const out: Segment<T>[] = [];
  let active = state.active;
  if (state.held !== '') {
    const tagLine = classifyLine(state.specs, active, trimWhitespace(state.held));
    if (tagLine === undefined) {
      pushText(out, active, state.held);
    } else {
      out.push(tagLine);
      active = tagLine.kind === 'blockStart' ? tagLine.tag : undefined;
    }
  }
  if (active !== undefined) out.push({ kind: 'blockEnd', tag: active });
  return out;
}

/**
 * Splits a stream of text deltas into {@link Segment}s. A line is held back only while it could
 * still be a tag line; each delta's segments are emitted synchronously, merged within that delta
 * (not across deltas, so downstream sees text as soon as it is decided). On completion a held
 * line is classified and an open block is closed. Errors pass through; unsubscribing
 * unsubscribes from the source. Each subscription parses independently.
 *
 * @example
 * from(['Hi\n<propo', 'sed_plan>\n- a\n', '</proposed_plan>\nBye'])
 *   .pipe(taggedBlocks(['proposed_plan']))
 *   .subscribe(console.log);
 * // text 'Hi\n' · blockStart · blockText '- a\n' · blockEnd · text 'Bye'
 */
export function taggedBlocks<T extends string>(
  tags: readonly (T | TagSpec<T>)[],
): OperatorFunction<string, Segment<T>> {
  const initial = initTaggedBlocks(tags);
  return (source) =>
    new Observable<Segment<T>>((subscriber) => {
      let state = initial;
      return source.subscribe({
        next: (chunk) => {
          const [next, segments] = stepTaggedBlocks(state, chunk);
          state = next;
          for (const segment of segments) subscriber.next(segment);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          for (const segment of finishTaggedBlocks(state)) subscriber.next(segment);
          subscriber.complete();
        },
      });
    });
}

/**
 * Merges consecutive text pieces of the same kind (and drops empty ones): what a consumer that
 * collects a whole stream sees, independent of how the text was chunked.
 *
 * @example
 * coalesceSegments([{ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' }]);
 * // [{ kind: 'text', text: 'ab' }]
 */
export function coalesceSegments<T extends string>(segments: Iterable<Segment<T>>): Segment<T>[] {
  const out: Segment<T>[] = [];
  let run: Extract<Segment<T>, { text: string }> | undefined;
  let texts: string[] = [];
  const flush = () => {
    if (run !== undefined) out.push(texts.length === 1 ? run : { ...run, text: texts.join('') });
    run = undefined;
  };
  for (const segment of segments) {
    if (segment.kind === 'blockStart' || segment.kind === 'blockEnd') {
      flush();
      out.push(segment);
    } else if (segment.text !== '') {
      if (run !== undefined && continuesRun(run, segment)) {
        texts.push(segment.text);
      } else {
        flush();
        run = segment;
        texts = [segment.text];
      }
    }
  }
  flush();
  return out;
}

/**
 * Parses a complete message: all of it as one chunk, then finish, coalesced.
 *
 * @example
 * parseTaggedBlocks('a\n<note>\nb\n</note>\nc', ['note']);
 * // text 'a\n' · blockStart · blockText 'b\n' · blockEnd · text 'c'
 */
export function parseTaggedBlocks<T extends string>(
  message: string,
  tags: readonly (T | TagSpec<T>)[],
): Segment<T>[] {
  const [state, body] = stepTaggedBlocks(initTaggedBlocks(tags), message);
  return coalesceSegments([...body, ...finishTaggedBlocks(state)]);
}

function continuesRun<T extends string>(run: Segment<T>, next: Segment<T>): boolean {
  if (next.kind === 'text') return run.kind === 'text';
  return next.kind === 'blockText' && run.kind === 'blockText' && run.tag === next.tag;
}

/** A tag line (`blockStart`/`blockEnd`) for the trimmed line `slug`, or undefined for content. */
function classifyLine<T extends string>(
  specs: readonly TagSpec<T>[],
  active: T | undefined,
  slug: string,
): Segment<T> | undefined {
  // The reference takes the first spec whose open (then close) matches; an open tag inside a
  // block and a close tag of another (or no) block are plain content.
  if (active === undefined) {
    for (const spec of specs) if (spec.open === slug) return { kind: 'blockStart', tag: spec.tag };
  }
  for (const spec of specs) {
    if (spec.close === slug) return spec.tag === active ? { kind: 'blockEnd', tag: spec.tag } : undefined;
  }
  return undefined;
}

function pushText<T extends string>(out: Segment<T>[], active: T | undefined, text: string): void {
  if (text === '') return;
  out.push(active === undefined ? { kind: 'text', text } : { kind: 'blockText', tag: active, text });
}

function trimWhitespace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isWhitespace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/**
 * Rust's `char::is_whitespace` (what the reference trims with), not JavaScript's `trim`: it
 * includes U+0085 and excludes U+FEFF. All such characters are single UTF-16 units.
 */
function isWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}
