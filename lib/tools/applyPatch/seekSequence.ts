/**
 * How loosely a hunk's lines had to be compared to be found, from strictest to loosest. Models
 * copy context from memory, so trailing blanks, indentation and typographic punctuation drift.
 */
export type MatchTier = 'exact' | 'trailingWhitespace' | 'surroundingWhitespace' | 'punctuation';

const PUNCTUATION: ReadonlyMap<string, string> = new Map([
  ...[...'\u2010\u2011\u2012\u2013\u2014\u2015\u2212'].map((c): [string, string] => [c, '-']),
  ...[...'\u2018\u2019\u201A\u201B'].map((c): [string, string] => [c, "'"]),
  ...[...'\u201C\u201D\u201E\u201F'].map((c): [string, string] => [c, '"']),
  ...[...'\u00A0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000'].map(
    (c): [string, string] => [c, ' '],
  ),
]);
const PUNCTUATION_CLASS = new RegExp(`[${[...PUNCTUATION.keys()].join('')}]`, 'g');

const asciiPunctuation = (line: string): string =>
  line.normalize('NFC').replace(PUNCTUATION_CLASS, (c) => PUNCTUATION.get(c)!).trim();

const TIERS: readonly (readonly [MatchTier, (line: string) => string])[] = [
  ['exact', (line) => line],
  ['trailingWhitespace', (line) => line.trimEnd()],
  ['surroundingWhitespace', (line) => line.trim()],
  ['punctuation', asciiPunctuation],
];

/**
 * Finds `pattern` as a run of consecutive `lines` starting at or after `start`. Every position is
 * tried with an exact comparison first, then ignoring trailing whitespace, then ignoring
 * surrounding whitespace, then also mapping typographic dashes, quotes and spaces to ASCII; the
 * first tier that matches anywhere wins, so a loose match never beats an exact one further down.
 * With `atEnd`, the position that puts the pattern at the very end of the file is tried first
 * (`*** End of File` hunks). An empty pattern matches at `start`.
 *
 * @example
 * seekSequence(['a', '  b  ', 'c'], ['b', 'c'], 0, false); // { index: 1, tier: 'surroundingWhitespace' }
 */
export const seekSequence = (
  lines: readonly string[],
  pattern: readonly string[],
  start: number,
  atEnd: boolean,
): { readonly index: number; readonly tier: MatchTier } | undefined => {
  if (pattern.length === 0) return { index: start, tier: 'exact' };
  const last = lines.length - pattern.length;
  if (last < start) return undefined;
  if (atEnd) {
    const found = search(lines, pattern, last, last);
    if (found !== undefined) return found;
  }
  return search(lines, pattern, start, last);
};

const search = (lines: readonly string[], pattern: readonly string[], from: number, to: number) => {
  for (const [tier, normalize] of TIERS) {
    const wanted = pattern.map(normalize);
    const have = lines.map(normalize);
    for (let index = from; index <= to; index++) {
      if (wanted.every((line, k) => have[index + k] === line)) return { index, tier };
    }
  }
  return undefined;
};
