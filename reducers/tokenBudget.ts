// The reference estimates tokens as bytes / 4 (rounded up) and truncates in the middle on UTF-8
// character boundaries (`core/src/truncate.rs`); these mirror it so rebuilt histories match.

const BYTES_PER_TOKEN = 4;

const utf8Length = (codePoint: number): number => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/** UTF-8 length of a string, without an encoder (reducers stay free of platform APIs). */
export const utf8ByteLength = (text: string): number => {
  let bytes = 0;
  for (const char of text) bytes += utf8Length(char.codePointAt(0) ?? 0);
  return bytes;
};

/**
 * The reference's token estimate: `ceil(utf8 bytes / 4)`.
 *
 * @example
 * approxTokenCount('hello'); // 2
 */
export const approxTokenCount = (text: string): number => Math.ceil(utf8ByteLength(text) / BYTES_PER_TOKEN);

/**
 * Keeps the head and tail of `text` within `maxTokens * 4` bytes, replacing the middle with
 * `…N tokens truncated…` (N = removed bytes / 4, rounded up), as the reference's
 * `truncate_text(text, TruncationPolicy::Tokens(maxTokens))`.
 *
 * @example
 * truncateToTokens('a'.repeat(20), 2); // 'aaaa…3 tokens truncated…aaaa'
 */
export const truncateToTokens = (text: string, maxTokens: number): string => {
  const totalBytes = utf8ByteLength(text);
  const maxBytes = maxTokens * BYTES_PER_TOKEN;
  if (text === '' || (maxTokens > 0 && totalBytes <= maxBytes)) return text;
  const marker = (removedBytes: number): string => `…${Math.ceil(removedBytes / BYTES_PER_TOKEN)} tokens truncated…`;
  if (maxBytes === 0) return marker(totalBytes);
  const headBudget = Math.floor(maxBytes / 2);
  const tailStart = totalBytes - (maxBytes - headBudget);
  let head = '';
  let tail = '';
  let offset = 0;
  for (const char of text) {
    const end = offset + utf8Length(char.codePointAt(0) ?? 0);
    if (end <= headBudget) head += char;
    else if (offset >= tailStart) tail += char;
    offset = end;
  }
  return `${head}${marker(totalBytes - maxBytes)}${tail}`;
};
