import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RolloutLine } from './rolloutLine.js';
import type { PositionedLine } from './storedLines.js';

/** Told after every write, e.g. so the thread index can follow the file. */
export type RolloutWritten = (path: string, lines: readonly RolloutLine[]) => void;

/**
 * Appends rollout lines to one file (SPEC §6.2).
 *
 * - **Lazy**: a new thread's writer buffers lines in memory until `materialize()` (the first user
 *   message, or at once for forks); then it creates the folders and the file and writes the
 *   buffer. A resumed thread's writer starts materialized and appends.
 * - **Durable before visible**: `append` resolves once its lines are written to the file, and
 *   callers publish events only then, so nothing a client saw can be missing from the file.
 * - **Group commit**: lines appended while a write is in flight go out together in the next
 *   write, one `write(2)` for many lines, in order.
 *
 * @example
 * const writer = RolloutWriter.create(path);          // nothing on disk yet
 * writer.append([metaLine]);                           // buffered
 * await writer.materialize();                          // file created, buffer written
 * await writer.append([line]);                         // on disk
 */
export class RolloutWriter {
  private file: FileHandle | undefined;
  private materialized: boolean;
  private buffered: RolloutLine[] = [];
  private queued: string[] = [];
  private queuedLines: RolloutLine[] = [];
  private waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  private writing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    /** Resumed: the file exists and is never created again (see `openFile`). */
    private readonly existing: boolean,
    private readonly onWritten: RolloutWritten,
  ) {
    this.materialized = existing;
  }

  /** A writer for a file that does not exist yet. */
  static create(path: string, onWritten: RolloutWritten = () => undefined): RolloutWriter {
    return new RolloutWriter(path, false, onWritten);
  }

  /** A writer appending to an existing rollout (resume). */
  static resume(path: string, onWritten: RolloutWritten = () => undefined): RolloutWriter {
    return new RolloutWriter(path, true, onWritten);
  }

  get isMaterialized(): boolean {
    return this.materialized;
  }

  /** Appends lines; before materialization they are only buffered (and the promise resolves at once). */
  append(lines: readonly RolloutLine[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`rollout ${this.path} is closed`));
    if (!this.materialized) {
      this.buffered.push(...lines);
      return Promise.resolve();
    }
    return this.enqueue(lines);
  }

  /**
   * Appends lines read from another rollout as they were written there (a fork's copy): no
   * re-encoding, and members this version does not know survive. For a materialized writer.
   */
  appendVerbatim(read: readonly PositionedLine[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`rollout ${this.path} is closed`));
    if (!this.materialized) return Promise.reject(new Error(`rollout ${this.path} is not created yet`));
    for (const { line, text } of read) {
      this.queued.push(text);
      this.queuedLines.push(line);
    }
    return this.commit();
  }

  /** Creates the file and writes what was buffered. Idempotent. */
  async materialize(): Promise<void> {
    if (this.materialized) return;
    this.materialized = true;
    const buffered = this.buffered;
    this.buffered = [];
    await this.enqueue(buffered);
  }

  /** Waits for pending writes, then closes the file. Later appends fail. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await this.writing.catch(() => undefined);
    await this.file?.close();
    this.file = undefined;
  }

  private enqueue(lines: readonly RolloutLine[]): Promise<void> {
    for (const line of lines) {
      this.queued.push(JSON.stringify(RolloutLine.encode(line)));
      this.queuedLines.push(line);
    }
    return this.commit();
  }

  /** Resolves once what is queued now is written. */
  private commit(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    // Started a microtask later: a drain with nothing to write finishes synchronously, and must
    // not clear `writing` before it is assigned (which would leave later appends unwritten).
    this.writing ??= Promise.resolve().then(() => this.drain());
    return done;
  }

  private async drain(): Promise<void> {
    while (this.waiters.length > 0) {
      const text = this.queued.length > 0 ? `${this.queued.join('\n')}\n` : '';
      const lines = this.queuedLines;
      const waiters = this.waiters;
      this.queued = [];
      this.queuedLines = [];
      this.waiters = [];
      try {
        if (text !== '') {
          if (this.file === undefined) {
            this.file = await this.openFile();
            // A file cut in the middle of a line (a crash mid-write) ends the cut line first, so
            // the first line appended does not merge into it: the fragment stays one bad line,
            // skipped on reading, and what is appended now is read back whole.
            if (await endsInsideLine(this.file)) await this.file.write('\n');
          }
          await this.file.write(text);
          this.onWritten(this.path, lines);
        }
        waiters.forEach((w) => w.resolve());
      } catch (err) {
        waiters.forEach((w) => w.reject(err));
      }
    }
    this.writing = undefined;
  }

  /**
   * A resumed file is opened without `O_CREAT`: if it was moved away meanwhile (archived while
   * the thread loaded), the append fails instead of starting a stray file at the old path.
   */
  private async openFile(): Promise<FileHandle> {
    if (this.existing) return open(this.path, constants.O_RDWR | constants.O_APPEND);
    await mkdir(dirname(this.path), { recursive: true });
    return open(this.path, 'a+');
  }
}

/** Whether a file's last byte is not a newline (an empty file ends no line). */
const endsInsideLine = async (file: FileHandle): Promise<boolean> => {
  const { size } = await file.stat();
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  await file.read(last, 0, 1, size - 1);
  return last[0] !== 0x0a;
};
