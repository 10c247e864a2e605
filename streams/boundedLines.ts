import { Observable, type OperatorFunction } from 'rxjs';

/**
 * One line out of {@link boundedLines}: its text and its size in bytes (without the `\n`, with a
 * stripped `\r`, so a reader can tell where each line sits), or the size of a line that was skipped.
 */
export type LineFrame =
  | { readonly kind: 'line'; readonly text: string; readonly bytes: number }
  | { readonly kind: 'oversized'; readonly bytes: number; readonly limit: number };

/** Default cap on a line: 16 MiB (SPEC §I.4). */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Splits a byte stream into `\n`-terminated lines, decoded as UTF-8, with one trailing `\r`
 * stripped. Every line is emitted, empty ones included; an unterminated last line is emitted when
 * the source completes (a torn write still yields its text; the reader decides what to do with it).
 *
 * Lines are outside input, so their size is capped: a line longer than `maxBytes` (not counting
 * the `\n`) is not kept in memory; it becomes one `oversized` frame, in order, when it ends, and
 * the next line is read normally. Memory stays bounded by `maxBytes` plus one chunk.
 *
 * Splitting works on bytes (a `\n` byte never occurs inside a UTF-8 sequence), so any chunking
 * of the input yields the same frames.
 *
 * @example
 * fromEvent<Buffer>(stdin, 'data').pipe(boundedLines(1024)).subscribe((frame) =>
 *   frame.kind === 'line' ? handle(frame.text) : warn(`skipped a ${frame.bytes}-byte line`));
 */
export function boundedLines(maxBytes: number = DEFAULT_MAX_LINE_BYTES): OperatorFunction<Uint8Array | string, LineFrame> {
  if (!(Number.isInteger(maxBytes) && maxBytes >= 0)) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
  return (source) =>
    new Observable<LineFrame>((subscriber) => {
      let parts: Buffer[] = [];
      let pending = 0; // bytes of the current line seen so far
      let skipping = false; // the current line is already over the cap; its bytes are not kept

      const endLine = (last: Buffer): void => {
        const bytes = pending + last.length;
        if (skipping || bytes > maxBytes) {
          subscriber.next({ kind: 'oversized', bytes, limit: maxBytes });
        } else {
          const line = parts.length === 0 ? last : Buffer.concat([...parts, last], bytes);
          const end = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
          subscriber.next({ kind: 'line', text: line.toString('utf8', 0, end), bytes });
        }
        parts = [];
        pending = 0;
        skipping = false;
      };

      const keep = (rest: Buffer): void => {
        if (rest.length === 0) return;
        if (!skipping && pending + rest.length > maxBytes) {
          skipping = true;
          parts = [];
        }
        if (!skipping) parts.push(rest);
        pending += rest.length;
      };

      return source.subscribe({
        next: (chunk) => {
          const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          let start = 0;
          for (;;) {
            const newline = buffer.indexOf(0x0a, start);
            if (newline === -1) break;
            endLine(buffer.subarray(start, newline));
            if (subscriber.closed) return;
            start = newline + 1;
          }
          // Copy what is kept: the caller may reuse its chunk buffer.
          keep(skipping ? buffer.subarray(start) : Buffer.from(buffer.subarray(start)));
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (pending > 0 || skipping) endLine(Buffer.alloc(0));
          subscriber.complete();
        },
      });
    });
}
