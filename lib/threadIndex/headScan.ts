import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { RolloutLine } from '../rollout/rolloutLine.js';
import { parseRfc3339 } from './cursor.js';
import { DEFAULT_MAX_LINE_BYTES } from '../../streams/boundedLines.js';
import { initialThreadSummary, threadSummaryReducer, type ThreadSummaryMeta } from '../../reducers/threadSummaryReducer.js';

/** Non-empty lines the reference always reads from a rollout's head (`HEAD_RECORD_LIMIT`). */
export const HEAD_RECORD_LIMIT = 10;
/** Further lines it reads while a `session_meta` was seen but no `user_message` yet (`USER_EVENT_SCAN_LIMIT`). */
export const USER_EVENT_SCAN_LIMIT = 200;

/** What `thread/list` needs from a rollout, taken from its head window (SPEC §4.6). */
export interface HeadSummary {
  /** The first `session_meta` in the window; `null` when there is none (the file is not listed). */
  readonly meta: ThreadSummaryMeta | null;
  /** Preview text of the first `user_message` in the window; `null` when there is none (not listed). */
  readonly preview: string | null;
  /**
   * The window is decided: appending to the file cannot change this summary, so an index may keep
   * it while the file grows. False when the read stopped at the end of the file (or in a line not
   * yet terminated), where a later append may add the meta or the first user message.
   */
  readonly final: boolean;
}

/** A head that yields nothing listable and must be read again when the file changes. */
export const UNREADABLE_HEAD: HeadSummary = { meta: null, preview: null, final: false };

const CHUNK_BYTES = 16 * 1024;

// The reference's writers put `timestamp`, `type` and then the payload's own `type` first, so a
// line's kind shows in its first bytes. Lines that cannot affect the summary (response items, turn
// contexts, compactions, events other than `user_message`) are counted without being parsed: the
// head of a real rollout holds a few 20 KB lines of instructions that would otherwise be decoded
// for nothing. Anything not in this form is parsed in full.
const KIND = /^\{"timestamp":"[^"\\]*","type":"([a-z_]+)"(?:,"payload":\{"type":"([a-z_]+)")?/;
const PEEK_BYTES = 160;

const mayChangeSummary = (line: Buffer): boolean => {
  const kind = KIND.exec(line.toString('latin1', 0, Math.min(line.length, PEEK_BYTES)));
  if (kind === null) return true;
  switch (kind[1]) {
    case 'session_meta':
      return true;
    case 'event_msg':
      return kind[2] === undefined || kind[2] === 'user_message';
    default:
      return false;
  }
};

const isBlank = (line: Buffer): boolean => {
  for (const byte of line) {
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
    // Past ASCII, Unicode spaces (U+00A0, U+3000…) are blank to the reference's `trim` too.
    return byte >= 0x80 ? line.toString('utf8').trim() === '' : false;
  }
  return true;
};

/** The scan of one file: the reference's `read_head_summary` loop, one line at a time. */
class HeadWindow {
  private scanned = 0;
  private summary = initialThreadSummary;
  private invalid = false;

  /** Whether the reference would read another line. */
  get wantsMore(): boolean {
    if (this.invalid) return false;
    const sawMeta = this.summary.meta !== null;
    const sawUser = this.summary.preview !== null;
    if (sawMeta && sawUser) return false;
    return this.scanned < HEAD_RECORD_LIMIT || (sawMeta && this.scanned < HEAD_RECORD_LIMIT + USER_EVENT_SCAN_LIMIT);
  }

  /** Folds one line (without its `\n`); `null` stands for a line over the size cap, never held in memory. */
  take(line: Buffer | null): void {
    if (line === null) {
      this.scanned += 1;
      return;
    }
    // The reference reads lines as UTF-8 and gives up on the file at the first invalid one.
    if (!isUtf8(line)) {
      this.invalid = true;
      return;
    }
    if (isBlank(line)) return;
    this.scanned += 1;
    if (!mayChangeSummary(line)) return;
    let json: unknown;
    try {
      json = JSON.parse(line.toString('utf8'));
    } catch {
      return;
    }
    const decoded = RolloutLine.decode(json);
    if (decoded._tag === 'Left') return;
    const record = decoded.right;
    const before = this.summary;
    this.summary = threadSummaryReducer(before, record);
    if (before.meta === null && this.summary.meta !== null && record.type === 'session_meta') {
      // The listing's `createdAt` is the meta's RFC 3339 time, or 0 when it does not parse (the
      // reference's rule; the reducer would fall back to the line's own time).
      const createdAt = parseRfc3339(record.payload.timestamp)?.seconds ?? 0;
      this.summary = { ...this.summary, meta: { ...this.summary.meta, createdAt } };
    }
  }

  result(final: boolean): HeadSummary {
    if (this.invalid) return { meta: null, preview: null, final };
    return { meta: this.summary.meta, preview: this.summary.preview, final };
  }
}

/** One line of the file: its bytes without `\n` (`null` when over the cap), and whether a `\n` ended it. */
interface Line {
  readonly bytes: Buffer | null;
  readonly terminated: boolean;
}

/** Reads a file line by line through one reused chunk; memory stays bounded by `maxLineBytes`. */
class LineReader {
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private start = 0;
  private end = 0;
  private eof = false;

  constructor(
    private readonly fd: number,
    private readonly maxLineBytes: number,
  ) {}

  /** The next line, or `undefined` at the end of the file. Its bytes are valid until the next call. */
  next(): Line | undefined {
    const parts: Buffer[] = [];
    let size = 0;
    let oversized = false;
    for (;;) {
      if (this.start === this.end) {
        if (this.eof) break;
        this.start = 0;
        this.end = readSync(this.fd, this.chunk, 0, CHUNK_BYTES, null);
        if (this.end === 0) {
          this.eof = true;
          break;
        }
      }
      const newline = this.chunk.subarray(0, this.end).indexOf(0x0a, this.start);
      const stop = newline === -1 ? this.end : newline;
      const piece = this.chunk.subarray(this.start, stop);
      this.start = newline === -1 ? this.end : newline + 1;
      if (!oversized && size + piece.length > this.maxLineBytes) oversized = true;
      if (oversized) parts.length = 0;
      else if (newline !== -1 && parts.length === 0) return { bytes: piece, terminated: true };
      // A line that spans chunks is copied out, since the chunk is about to be overwritten.
      else parts.push(Buffer.from(piece));
      size += piece.length;
      if (newline !== -1) return { bytes: oversized ? null : Buffer.concat(parts), terminated: true };
    }
    if (size === 0 && !oversized) return undefined;
    return { bytes: oversized ? null : Buffer.concat(parts), terminated: false };
  }
}

/**
 * Reads the head window of a rollout exactly as the reference's listing does (SPEC §4.6): up to
 * {@link HEAD_RECORD_LIMIT} non-empty lines, extended by up to {@link USER_EVENT_SCAN_LIMIT} more
 * while a `session_meta` was seen but no `user_message`, stopping once both were seen. Lines that
 * do not parse still count. The meta is the first `session_meta`, the preview the first
 * `user_message` (text after `## My request for Codex:` when present). Synchronous: a head is a
 * few tens of kilobytes, and one blocking read costs less than a round trip through libuv's pool.
 * Memory is bounded by `maxLineBytes` (default 16 MiB): a longer line is counted but never held.
 * Throws the `open`/`read` error (e.g. `ENOENT`) for the caller to handle.
 *
 * @example
 * const head = readHead('/home/u/.codex/sessions/2026/11/24/rollout-….jsonl');
 * head.meta !== null && head.preview !== null; // listable
 */
export const readHead = (path: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES): HeadSummary => {
  const window = new HeadWindow();
  const fd = openSync(path, 'r');
  try {
    const lines = new LineReader(fd, maxLineBytes);
    for (;;) {
      if (!window.wantsMore) return window.result(true);
      const line = lines.next();
      if (line === undefined) return window.result(false);
      window.take(line.bytes);
      // A writer may still be in the middle of an unterminated last line: nothing is final yet.
      if (!line.terminated) return window.result(false);
    }
  } finally {
    closeSync(fd);
  }
};
