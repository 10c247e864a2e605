// Test support for the taggedBlocks specs: a deliberately naive model of the line-based tagged
// block parser, written from the rules of SPEC Part II §7.2 with plain string operations and no
// attempt at speed, so that each step can be checked against the SPEC by reading it. The specs
// compare the real reducer's per-delta output with this model's.
import {
  finishTaggedBlocks,
  initTaggedBlocks,
  stepTaggedBlocks,
  type Segment,
  type TagSpec,
  type TaggedBlocksState,
} from '../../streams/taggedBlocks.js';

/**
 * Every character Rust's `char::is_whitespace` accepts (Unicode White_Space), which is what
 * the SPEC's `trim` means: U+0085 is in, U+FEFF (a BOM, not whitespace) is out. All of them are
 * single UTF-16 units.
 */
export const RUST_WHITESPACE =
  '\t\n\u000b\u000c\r \u0085\u00a0\u1680' +
  '\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' +
  '\u2028\u2029\u202f\u205f\u3000';

/** `s` without leading and trailing Rust whitespace. */
export function rustTrim(s: string): string {
  let from = 0;
  let to = s.length;
  while (from < to && RUST_WHITESPACE.includes(s[from]!)) from++;
  while (to > from && RUST_WHITESPACE.includes(s[to - 1]!)) to--;
  return s.slice(from, to);
}

/**
 * The model's output for `chunks`: one array per chunk, then one for completion. Within one
 * array, adjacent text of the same kind (and tag) is merged and empty text is left out.
 *
 * The model keeps the line it is on. While that line is undecided every character is added to
 * it; the line stays undecided as long as, trimmed, it is still the beginning of some open or
 * close line (an all-whitespace line is the beginning of every one). A newline ends the line
 * and decides it: a tag line or content. A character that makes the line impossible as a tag
 * line decides it too: everything so far becomes content, and so does the rest of the line as
 * it arrives. Characters are taken one UTF-16 unit at a time.
 *
 * @example
 * oracleDeltas([{ tag: 'note', open: '<note>', close: '</note>' }], ['a\n<no', 'te>\nb']);
 * // [[text 'a\n'], [blockStart note, blockText note 'b'], [blockEnd note]]
 */
export function oracleDeltas(specs: readonly TagSpec[], chunks: readonly string[]): Segment[][] {
  const tagLines = specs.flatMap((spec) => [spec.open, spec.close]);
  let block: string | undefined; // the tag of the block we are in
  let line = ''; // the current line, while it is undecided
  let restIsContent = false; // the current line was decided to be content

  // What a whole (trimmed) line means here: a block start, a block end, or nothing special.
  const asTagLine = (whole: string): Segment | undefined => {
    const trimmed = rustTrim(whole);
    if (block === undefined) {
      const opener = specs.find((spec) => spec.open === trimmed);
      if (opener !== undefined) return { kind: 'blockStart', tag: opener.tag };
    }
    const closer = specs.find((spec) => spec.close === trimmed);
    if (closer !== undefined && closer.tag === block) return { kind: 'blockEnd', tag: closer.tag };
    return undefined;
  };

  const out: Segment[][] = [];
  let pieces: Segment[] = [];
  const content = (text: string) => {
    pieces.push(block === undefined ? { kind: 'text', text } : { kind: 'blockText', tag: block, text });
  };
  const decide = (whole: string) => {
    const tagLine = asTagLine(whole);
    if (tagLine === undefined) {
      content(whole);
    } else {
      pieces.push(tagLine);
      block = tagLine.kind === 'blockStart' ? tagLine.tag : undefined;
    }
  };

  for (const chunk of chunks) {
    pieces = [];
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (restIsContent) {
        content(ch);
        if (ch === '\n') restIsContent = false;
        continue;
      }
      line += ch;
      if (ch === '\n') {
        decide(line);
        line = '';
      } else if (!tagLines.some((tagLine) => tagLine.startsWith(rustTrim(line)))) {
        content(line);
        line = '';
        restIsContent = true;
      }
    }
    out.push(merged(pieces));
  }

  // Completion: the last line may be a tag line without its newline; then an open block ends.
  pieces = [];
  if (line !== '') decide(line);
  if (block !== undefined) pieces.push({ kind: 'blockEnd', tag: block });
  out.push(merged(pieces));
  return out;
}

/**
 * The real reducer's output for `chunks`, shaped like {@link oracleDeltas} so the two compare
 * delta by delta.
 *
 * @example
 * expect(ourDeltas(specs, chunks)).to.deep.equal(oracleDeltas(specs, chunks));
 */
export function ourDeltas(specs: readonly TagSpec[], chunks: readonly string[]): Segment[][] {
  let state: TaggedBlocksState = initTaggedBlocks(specs);
  const out: Segment[][] = [];
  for (const chunk of chunks) {
    const [next, segments] = stepTaggedBlocks(state, chunk);
    state = next;
    out.push(segments);
  }
  out.push(finishTaggedBlocks(state));
  return out;
}

function merged(pieces: readonly Segment[]): Segment[] {
  const result: Segment[] = [];
  for (const piece of pieces) {
    if ((piece.kind === 'text' || piece.kind === 'blockText') && piece.text === '') continue;
    const prev = result[result.length - 1];
    if (prev?.kind === 'text' && piece.kind === 'text') {
      result[result.length - 1] = { kind: 'text', text: prev.text + piece.text };
    } else if (prev?.kind === 'blockText' && piece.kind === 'blockText' && prev.tag === piece.tag) {
      result[result.length - 1] = { kind: 'blockText', tag: prev.tag, text: prev.text + piece.text };
    } else {
      result.push(piece);
    }
  }
  return result;
}
