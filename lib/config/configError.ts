import type { TextRange } from '../protocol/v2/common.js';

/**
 * A config file that cannot be used: unreadable, not TOML, or values of the wrong type. Carries
 * the file and, when the problem maps to a place in it, a 1-based line/column range, so a
 * `configWarning` can point there (SPEC §10.5). `message` reads `<file>:<line>:<column>: <problem>`
 * like the reference's.
 *
 * @example
 * throw new ConfigLoadError('invalid value', { file: '/home/u/.codex/config.toml', range });
 */
export class ConfigLoadError extends Error {
  constructor(
    /** What is wrong, without the location. */
    readonly problem: string,
    /** Where, when the problem maps to a place in a file. */
    readonly location?: { readonly file: string; readonly range: TextRange },
  ) {
    super(location ? `${location.file}:${location.range.start.line}:${location.range.start.column}: ${problem}` : problem);
    this.name = 'ConfigLoadError';
  }
}

/**
 * The 1-based line/column of a character offset in `text` (columns count Unicode code points).
 *
 * @example
 * positionAt('a = 1\nb = ?', 10); // { line: 2, column: 5 }
 */
export const positionAt = (text: string, offset: number): { line: number; column: number } => {
  const clamped = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', clamped - 1) + 1;
  const line = text.slice(0, lineStart).split('\n').length;
  return { line, column: [...text.slice(lineStart, clamped)].length + 1 };
};

/**
 * The range covering `text[start, end)` (the end position is the last character, as the
 * reference reports it; an empty span is a single position).
 *
 * @example
 * rangeOf('model = 5\n', 8, 9); // { start: { line: 1, column: 9 }, end: { line: 1, column: 9 } }
 */
export const rangeOf = (text: string, start: number, end: number): TextRange => ({
  start: positionAt(text, start),
  end: positionAt(text, end > start ? end - 1 : start),
});
