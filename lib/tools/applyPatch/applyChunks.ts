import * as E from 'fp-ts/lib/Either.js';
import { diffLines } from './lineDiff.js';
import type { UpdateChunk } from './patch.js';
import { seekSequence } from './seekSequence.js';

interface Replacement {
  readonly at: number;
  readonly remove: number;
  readonly insert: readonly string[];
}

/**
 * The new content of a file after the hunks of an `*** Update File` operation, or a message for
 * the model saying which hunk could not be placed. Hunks are located by content, in order, each
 * after the previous one (see {@link seekSequence} for how loosely lines may match); a `@@ <line>`
 * header first moves the search past that line. A hunk without `-` or context lines is inserted
 * right after its `@@` line, or at the end of the file when it has none.
 *
 * Unchanged lines keep the file's own text even when the hunk quoted them with different
 * whitespace or punctuation, a file whose lines all end in CRLF keeps CRLF, and the result always
 * ends with a line break (unless it is empty).
 *
 * @example
 * applyChunks('a\nb\n', [{ context: undefined, oldLines: ['b'], newLines: ['c'], isEndOfFile: false, line: 3 }], 'x.txt');
 * // right('a\nc\n')
 */
export const applyChunks = (original: string, chunks: readonly UpdateChunk[], path: string): E.Either<string, string> => {
  const crlf = usesCrlf(original);
  const lines = (crlf ? original.replaceAll('\r\n', '\n') : original).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();

  const replacements: Replacement[] = [];
  let from = 0;
  for (const [n, chunk] of chunks.entries()) {
    const where = `hunk ${n + 1} (patch line ${chunk.line}) of ${path}`;
    if (chunk.context !== undefined) {
      const found = seekSequence(lines, [chunk.context], from, false);
      if (found === undefined) {
        return E.left(`Could not find the line '${chunk.context}' named by the '@@' header of ${where}. ` +
          'Check the file\'s current content and use a line that occurs in it (or a bare \'@@\').');
      }
      from = found.index + 1;
    }
    if (chunk.oldLines.length === 0) {
      const at = chunk.context !== undefined && !chunk.isEndOfFile ? from : lines.length;
      replacements.push({ at, remove: 0, insert: chunk.newLines });
      continue;
    }
    const placed = place(lines, chunk, from);
    if (placed === undefined) {
      return E.left(`Could not find the lines of ${where}:\n${excerpt(chunk.oldLines)}\n` +
        'The context and \'-\' lines must match the file\'s current content; read the file again and resend the patch.');
    }
    replacements.push(placed);
    from = placed.at + placed.remove;
  }

  // Later hunks first, so earlier positions stay valid; the sort is stable, so two insertions at
  // the same place keep the order of their hunks.
  const ordered = replacements.map((r, i) => ({ r, i })).sort((p, q) => p.r.at - q.r.at || p.i - q.i).reverse();
  for (const { r } of ordered) lines.splice(r.at, r.remove, ...r.insert);
  const eol = crlf ? '\r\n' : '\n';
  return E.right(lines.length === 0 ? '' : lines.join(eol) + eol);
};

// Enough of a hunk to recognise it; the model has the rest in its own patch.
const MAX_QUOTED_LINES = 40;
const excerpt = (lines: readonly string[]): string =>
  lines.length > MAX_QUOTED_LINES
    ? `${lines.slice(0, MAX_QUOTED_LINES).join('\n')}\n… (${lines.length - MAX_QUOTED_LINES} more lines)`
    : lines.join('\n');

const usesCrlf = (text: string): boolean => {
  const lf = text.split('\n').length - 1;
  return lf > 0 && text.split('\r\n').length - 1 === lf;
};

const place = (lines: readonly string[], chunk: UpdateChunk, from: number): Replacement | undefined => {
  let oldLines = chunk.oldLines;
  let newLines = chunk.newLines;
  let found = seekSequence(lines, oldLines, from, chunk.isEndOfFile);
  // A blank line after a hunk's last line reads as one more (empty) unchanged line, which the
  // file usually doesn't have; retry without such trailing empty lines.
  while (found === undefined && oldLines.length > 1 && oldLines[oldLines.length - 1] === '') {
    oldLines = oldLines.slice(0, -1);
    if (newLines[newLines.length - 1] === '') newLines = newLines.slice(0, -1);
    found = seekSequence(lines, oldLines, from, chunk.isEndOfFile);
  }
  if (found === undefined) return undefined;

  const insert: string[] = [];
  let oldAt = 0;
  let newAt = 0;
  for (const op of diffLines(oldLines, newLines)) {
    if (op === '=') insert.push(lines[found.index + oldAt]!);
    else if (op === '+') insert.push(newLines[newAt]!);
    if (op !== '+') oldAt++;
    if (op !== '-') newAt++;
  }
  return { at: found.index, remove: oldLines.length, insert };
};
