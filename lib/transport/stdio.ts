import type { Readable, Writable } from 'node:stream';
import { fromEvent, Observable, ReplaySubject, share, Subject, takeUntil } from 'rxjs';
import { boundedLines, type LineFrame } from '../../streams/boundedLines.js';
import { OutboundQueue } from '../../streams/outboundQueue.js';
import { type Connection, DEFAULT_MAX_MESSAGE_BYTES, type OversizedMessage, stderrLog, type TransportLog } from './connection.js';

export interface StdioOptions {
  /** Cap on one inbound line in bytes; a longer line is skipped and reported on `oversized$`. Default 16 MiB. */
  readonly maxLineBytes?: number;
  /** Outbound queue capacity (messages) before `saturated`. Default 128. */
  readonly capacity?: number;
  /** Messages kept beyond capacity; past that they are dropped and logged. Default 1024. */
  readonly overflow?: number;
  /** `close()` ends `output`. Default true. */
  readonly endOutputOnClose?: boolean;
  /** Default: stderr. */
  readonly log?: TransportLog;
}

/**
 * The stdio transport: connection 0, one JSON-RPC message per line in each direction.
 *
 * Inbound: `input` is split on `\n`, a trailing `\r` is stripped, blank lines are ignored, and a
 * line over `maxLineBytes` is skipped and reported on `oversized$` (in order with the other lines).
 * Reading starts when `inbound$` is first subscribed; `inbound$` completes at EOF (or a read error,
 * which is logged) and when `close()` is called.
 *
 * Outbound: each message is written followed by `\n`, through a bounded queue with the `drop`
 * policy (streams/outboundQueue.ts): the writer waits for `drain` whenever `write()` returns false;
 * with 128 messages waiting the connection is `saturated`; 1024 more are kept; past that messages
 * are dropped with an error on stderr. There is never a disconnect: this is the only client.
 *
 * `closed$` emits when `close()` has flushed and ended `output` (so the process may exit without
 * losing the last responses), or when `output` errors or closes (e.g. EPIPE). stdin EOF alone
 * does not close the connection: the server answers what it has read, then calls `close()`.
 *
 * @example
 * const connection = stdioConnection(process.stdin, process.stdout);
 * connection.closed$.subscribe(() => process.exit(0));
 * connection.inbound$.subscribe({ next: (line) => server.handle(connection, line), complete: () => server.drain().then(() => connection.close()) });
 */
export function stdioConnection(input: Readable, output: Writable, options: StdioOptions = {}): Connection {
  const log = options.log ?? stderrLog;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const endOutputOnClose = options.endOutputOnClose ?? true;

  const closing$ = new ReplaySubject<void>(1);
  const closed$ = new ReplaySubject<void>(1);
  const oversized$ = new Subject<OversizedMessage>();
  let closeReason: string | undefined;
  let closed = false;

  const queue = new OutboundQueue(
    {
      write: (message) => output.write(message + '\n'),
      ready$: fromEvent(output, 'drain'),
    },
    { policy: 'drop', capacity: options.capacity, overflow: options.overflow, log: (line) => log(`stdio: ${line}`) },
  );

  const markClosed = (reason: string): void => {
    if (closed) return;
    closed = true;
    closeReason ??= reason;
    queue.dispose();
    closing$.next();
    closing$.complete();
    closed$.next();
    closed$.complete();
  };
  // Stays attached after close: an unhandled 'error' (EPIPE) would crash the process.
  const onOutputError = (error: Error): void => {
    if (closed) return;
    log(`stdio: stdout failed: ${error.message}`);
    markClosed(`stdout failed: ${error.message}`);
  };
  const onOutputClose = (): void => markClosed('stdout closed');
  output.on('error', onOutputError);
  output.on('close', onOutputClose);

  const chunks$ = new Observable<Buffer | string>((subscriber) => {
    const onData = (chunk: Buffer | string): void => subscriber.next(chunk);
    const onEnd = (): void => subscriber.complete();
    const onError = (error: Error): void => {
      log(`stdio: reading stdin failed: ${error.message}; treating it as end of input`);
      subscriber.complete();
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    return () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      if (!input.readableEnded) input.pause();
    };
  });

  const isMessage = (frame: LineFrame): frame is Extract<LineFrame, { kind: 'line' }> => {
    if (frame.kind === 'oversized') {
      log(`stdio: skipped an inbound line of ${frame.bytes} bytes (limit ${frame.limit})`);
      oversized$.next({ bytes: frame.bytes, limit: frame.limit });
      return false;
    }
    return frame.text.trim() !== '';
  };

  const inbound$ = new Observable<string>((subscriber) =>
    chunks$.pipe(boundedLines(maxLineBytes), takeUntil(closing$)).subscribe({
      next: (frame) => {
        if (isMessage(frame)) subscriber.next(frame.text);
      },
      complete: () => {
        oversized$.complete();
        subscriber.complete();
      },
    }),
  ).pipe(share({ resetOnComplete: false, resetOnError: false, resetOnRefCountZero: false }));

  return {
    id: 0,
    kind: 'stdio',
    inbound$,
    oversized$: oversized$.asObservable(),
    send: (message) => {
      if (!closed && closeReason === undefined) queue.send(message);
    },
    get saturated() {
      return queue.saturated;
    },
    saturated$: queue.saturated$,
    close: (reason) => {
      if (closed || closeReason !== undefined) return;
      closeReason = reason ?? 'closed by the server';
      queue.flushAndDispose();
      closing$.next();
      closing$.complete();
      if (!endOutputOnClose) {
        markClosed(closeReason);
        return;
      }
      output.end(() => markClosed(closeReason ?? 'closed'));
    },
    closed$: closed$.asObservable(),
    get closeReason() {
      return closeReason;
    },
  };
}
