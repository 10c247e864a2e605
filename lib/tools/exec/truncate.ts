/** Bytes per token in the approximation the model-facing budgets use (the reference's). */
const BYTES_PER_TOKEN = 4;

/**
 * A cheap token estimate: UTF-8 bytes / 4, rounded up.
 *
 * @example
 * approxTokenCount('one\ntwo\n'); // 2
 */
export const approxTokenCount = (text: string): number => Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);

const isContinuationByte = (byte: number) => (byte & 0xc0) === 0x80;

/**
 * Keeps the head and tail of `text` within `maxTokens` (as bytes ≈ 4 × tokens) and says how much
 * of the middle was cut, never splitting a UTF-8 character. Unchanged when it fits.
 *
 * @example
 * truncateMiddle('a'.repeat(40), 2); // 'aaaa…8 tokens truncated…aaaa'
 */
export function truncateMiddle(text: string, maxTokens: number): string {
  const bytes = Buffer.from(text, 'utf8');
  const budget = Math.max(0, Math.floor(maxTokens)) * BYTES_PER_TOKEN;
  if (bytes.length <= budget) return text;
  let headEnd = Math.floor(budget / 2);
  while (headEnd > 0 && isContinuationByte(bytes[headEnd]!)) headEnd--;
  let tailStart = bytes.length - (budget - Math.floor(budget / 2));
  while (tailStart < bytes.length && isContinuationByte(bytes[tailStart]!)) tailStart++;
  const removedTokens = Math.ceil((tailStart - headEnd) / BYTES_PER_TOKEN);
  return `${bytes.subarray(0, headEnd).toString('utf8')}…${removedTokens} tokens truncated…${bytes.subarray(tailStart).toString('utf8')}`;
}

/**
 * {@link truncateMiddle}, prefixed with the line count of the whole output when something was cut,
 * so the model knows how big what it did not see is.
 *
 * @example
 * formattedTruncate('x\n'.repeat(100), 10); // 'Total output lines: 100\n\nx\nx\n…'
 */
export function formattedTruncate(text: string, maxTokens: number): string {
  const truncated = truncateMiddle(text, maxTokens);
  if (truncated === text) return text;
  return `Total output lines: ${countLines(text)}\n\n${truncated}`;
}

/** Lines as a reader counts them: a trailing newline does not start another line. */
export const countLines = (text: string): number => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
