import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Errors } from 'io-ts';
import { map, Observable, tap } from 'rxjs';
import { boundedLines, DEFAULT_MAX_LINE_BYTES } from '../../streams/boundedLines.js';
import { log } from '../log.js';
import { RolloutLine } from './rolloutLine.js';
import type { LineRef, PositionedLine } from './storedLines.js';

/** Why a rollout could not be read at all (as opposed to a bad line, which is skipped). */
export type RolloutReadErrorKind = 'notFound' | 'notAFile' | 'permissionDenied' | 'io';

/**
 * A rollout that cannot be read: missing, a directory, not permitted, or an I/O failure. Always
 * delivered through the stream's error channel, never thrown into the caller.
 *
 * @example
 * readRollout('/nope.jsonl').subscribe({ error: (e: RolloutReadError) => e.kind }); // 'notFound'
 */
export class RolloutReadError extends Error {
  override readonly name = 'RolloutReadError';
  constructor(
    readonly kind: RolloutReadErrorKind,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What one read of a rollout met, reported once when the read ends (just before completion, or on failure or unsubscribe). */
export interface RolloutReadStats {
  /** Lines seen, blank and bad ones included. */
  readonly lines: number;
  readonly decoded: number;
  readonly blank: number;
  /** Lines that are not JSON or not a rollout line; skipped, as the reference skips them. */
  readonly undecodable: number;
  /** Lines over `maxLineBytes`; skipped without being held in memory. */
  readonly oversized: number;
  /** The file ends in an unterminated line that does not decode (a crash mid-write); skipped. */
  readonly tornTail: boolean;
}

export interface RolloutReadOptions {
  /** Cap on one line; longer lines are skipped with a warning. Default 16 MiB (SPEC §I.4). */
  readonly maxLineBytes?: number;
  /** Size of each read from the file. Default 64 KiB. */
  readonly chunkBytes?: number;
  /** Where warnings go; default `log.warn` (stderr). */
  readonly warn?: (message: string, fields?: Record<string, unknown>) => void;
  /** Receives the counts once the read ends. */
  readonly onStats?: (stats: RolloutReadStats) => void;
  /**
   * Keep reading what is appended after the end, like `tail -f`, until unsubscribed or until the
   * file is moved or deleted (then the stream completes); an unterminated last line waits for its
   * end. Default false: the stream completes at the end of the file.
   */
  readonly follow?: boolean;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/** The {@link RolloutReadError} for a failed operation on the file at `path`. */
export const toReadError = (path: string, error: unknown): RolloutReadError => {
  if (error instanceof RolloutReadError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOENT':
      return new RolloutReadError('notFound', path, `rollout file not found: ${path}`, { cause: error });
    case 'EISDIR':
      return new RolloutReadError('notAFile', path, `rollout path is not a regular file: ${path}`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new RolloutReadError('permissionDenied', path, `permission denied reading rollout ${path}`, { cause: error });
    default:
      return new RolloutReadError('io', path, `failed to read rollout ${path}: ${detail}`, { cause: error });
  }
};

/** The file's bytes in chunks of at most `chunkBytes`; one buffer is reused, so consumers copy what they keep. */
const fileChunks = (path: string, chunkBytes: number): Observable<Buffer> =>
  new Observable<Buffer>((subscriber) => {
    let handle: FileHandle | undefined;
    const read = async (): Promise<void> => {
      handle = await open(path, 'r');
      const stat = await handle.stat();
      if (!stat.isFile()) throw new RolloutReadError('notAFile', path, `rollout path is not a regular file: ${path}`);
      const buffer = Buffer.allocUnsafe(chunkBytes);
      // The loop stops at the next read once the subscriber is gone, so an early unsubscribe
      // never reads the rest of a large file.
      while (!subscriber.closed) {
        const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
        if (bytesRead === 0) break;
        subscriber.next(buffer.subarray(0, bytesRead));
      }
      subscriber.complete();
    };
    read()
      .catch((error: unknown) => subscriber.error(toReadError(path, error)))
      .finally(() => handle?.close().catch(() => undefined));
  });

/**
 * The file's bytes as they are written: everything up to the end, then each append, read when a
 * watch on the file fires (watched before the first read, so no append is missed). Completes once
 * the path no longer names the file read (moved or deleted) and what was written before is read;
 * errors if the file shrinks, as a rollout never does.
 */
const followedChunks = (path: string, chunkBytes: number): Observable<Buffer> =>
  new Observable<Buffer>((subscriber) => {
    let handle: FileHandle | undefined;
    let watcher: FSWatcher | undefined;
    let ino = -1;
    let position = 0;
    let reading: Promise<void> | undefined;
    let again = false;
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const fail = (error: unknown): void => subscriber.error(toReadError(path, error));

    const readToEnd = async (file: FileHandle): Promise<void> => {
      const { size } = await file.stat();
      if (size < position) throw new RolloutReadError('io', path, `rollout ${path} shrank from ${position} to ${size} bytes while followed`);
      while (!subscriber.closed) {
        const { bytesRead } = await file.read(buffer, 0, chunkBytes, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        subscriber.next(buffer.subarray(0, bytesRead));
      }
    };
    // Appends reported while a read runs are picked up by one more read after it.
    const catchUp = (): void => {
      if (reading) {
        again = true;
        return;
      }
      reading = (async () => {
        do {
          again = false;
          await readToEnd(handle!);
          const now = await stat(path).catch(() => undefined);
          if (now?.ino !== ino) {
            // Moved or deleted, maybe just after the read: what was written before is read first.
            await readToEnd(handle!);
            subscriber.complete();
            return;
          }
        } while (again && !subscriber.closed);
      })()
        .catch(fail)
        .finally(() => (reading = undefined));
    };

    open(path, 'r')
      .then(async (file) => {
        if (subscriber.closed) return void (await file.close());
        handle = file;
        const stats = await file.stat();
        if (!stats.isFile()) throw new RolloutReadError('notAFile', path, `rollout path is not a regular file: ${path}`);
        ino = stats.ino;
        if (subscriber.closed) return;
        watcher = watch(path, () => catchUp());
        watcher.on('error', fail);
        catchUp();
      })
      .catch(fail);

    return () => {
      watcher?.close();
      // Closed once a read in flight is done with it.
      void (reading ?? Promise.resolve()).finally(() => handle?.close().catch(() => undefined));
    };
  });

const describeFailure = (errors: Errors): string => {
  const first = errors[0];
  if (first === undefined) return 'not a rollout line';
  const at = first.context.map((entry) => entry.key).filter((key) => key !== '').join('.');
  return first.message ?? `not a rollout line (at ${at === '' ? 'top level' : at})`;
};

/**
 * Reads a rollout file as a cold stream of decoded lines, one line in memory at a time (plus one
 * chunk), so memory stays bounded by the longest kept line, never by the file size (SPEC §I.4).
 *
 * Tolerates what the reference tolerates (SPEC §6.2) and a little more: blank lines are skipped;
 * lines that are not JSON or not a rollout line are skipped and counted, with one warning per read
 * naming the first; an unterminated last line that does not decode is a torn write and is skipped;
 * a line over `maxLineBytes` is skipped with a warning without ever being held whole. UTF-8 is
 * decoded per line after splitting on `\n` bytes, so characters split across chunks survive.
 * A file that cannot be read errors with a {@link RolloutReadError}.
 *
 * @example
 * readRollout(path).pipe(reduce(threadReducer, initialThreadState)).subscribe((state) => …);
 */
export const readRollout = (path: string, options: RolloutReadOptions = {}): Observable<RolloutLine> =>
  readRolloutAt(path, options).pipe(map((positioned) => positioned.line));

/**
 * {@link readRollout}, each line with where it sits in the file, so a fold can keep a reference
 * to a large line instead of its contents (`readLinesAt` reads it back).
 *
 * @example
 * readRolloutAt(path).subscribe(({ line, at }) => console.log(line.type, at.offset, at.length));
 */
export const readRolloutAt = (path: string, options: RolloutReadOptions = {}): Observable<PositionedLine> =>
  new Observable<PositionedLine>((subscriber) => {
    const warn = options.warn ?? log.warn;
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    const stats = { lines: 0, decoded: 0, blank: 0, undecodable: 0, oversized: 0, tornTail: false };
    let firstBad: { line: number; reason: string } | undefined;
    // A bad line is only known to be the torn tail once nothing follows it, so its verdict waits.
    let pendingBad: { line: number; reason: string } | undefined;
    let endsWithNewline = true;

    // Once per read: before completion reaches downstream (so a fold can consult the counts),
    // or at teardown when the read failed or was cut short.
    let reported = false;
    const report = (): void => {
      if (reported) return;
      reported = true;
      if (firstBad !== undefined || stats.tornTail) {
        const parts = [
          ...(firstBad === undefined ? [] : [`skipped ${stats.undecodable} undecodable line(s), first at line ${firstBad.line}: ${firstBad.reason}`]),
          ...(stats.tornTail ? ['skipped a torn final line'] : []),
        ];
        warn(`rollout ${path}: ${parts.join('; ')}`);
      }
      options.onStats?.({ ...stats });
    };

    const countBad = (): void => {
      if (pendingBad === undefined) return;
      stats.undecodable += 1;
      firstBad ??= pendingBad;
      pendingBad = undefined;
    };

    // Where the next line starts: each frame is its bytes plus the `\n` that ended it.
    let offset = 0;

    const decode = (text: string, line: number, at: LineRef): void => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        pendingBad = { line, reason: 'not JSON' };
        return;
      }
      const decoded = RolloutLine.decode(json);
      if (decoded._tag === 'Left') {
        pendingBad = { line, reason: describeFailure(decoded.left) };
        return;
      }
      stats.decoded += 1;
      subscriber.next({ line: decoded.right, at, text });
    };

    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    const subscription = (options.follow === true ? followedChunks(path, chunkBytes) : fileChunks(path, chunkBytes))
      .pipe(
        tap((chunk) => {
          if (chunk.length > 0) endsWithNewline = chunk[chunk.length - 1] === 0x0a;
        }),
        boundedLines(maxLineBytes),
      )
      .subscribe({
        next: (frame) => {
          countBad();
          stats.lines += 1;
          const start = offset;
          offset += frame.bytes + 1;
          if (frame.kind === 'oversized') {
            stats.oversized += 1;
            warn(`rollout ${path}: skipped line ${stats.lines} of ${frame.bytes} bytes (limit ${frame.limit})`);
          } else if (frame.text.trim() === '') {
            stats.blank += 1;
          } else {
            decode(frame.text, stats.lines, { offset: start, length: frame.bytes });
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (pendingBad !== undefined && !endsWithNewline) {
            stats.tornTail = true;
            pendingBad = undefined;
          }
          countBad();
          report();
          subscriber.complete();
        },
      });

    return () => {
      subscription.unsubscribe();
      report();
    };
  });
