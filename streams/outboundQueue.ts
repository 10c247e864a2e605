import { asyncScheduler, BehaviorSubject, Observable, type SchedulerLike, Subject, type Subscription } from 'rxjs';
import { distinctUntilChanged, take } from 'rxjs/operators';

/**
 * Where an outbound queue writes: a socket, stdout, or a fake in tests.
 *
 * `write` hands one message over and reports whether the sink can take more right away; after a
 * `false` the queue subscribes to `ready$` and writes nothing until it emits (then unsubscribes).
 *
 * @example
 * const sink: OutboundSink = {
 *   write: (m) => stdout.write(m + '\n'),
 *   ready$: fromEvent(stdout, 'drain'),
 * };
 */
export interface OutboundSink {
  /** Hand one message to the sink. `false`: the sink is above its high-water mark, wait for `ready$`. */
  write(message: string): boolean;
  /** Emits when the sink can take more after `write` returned `false`. Subscribed only while waiting. */
  readonly ready$: Observable<unknown>;
}

/**
 * What the queue does when the peer does not keep up.
 * - `disconnect` (websocket): give up on the peer when the queue stays saturated longer than
 *   `stallTimeoutMs`, or when the overflow is exhausted; `failure$` emits and the queue drops
 *   everything. The connection closes it with 1008 "outbound queue full".
 * - `drop` (stdio, the only client): never give up on the peer; once the overflow is exhausted, new
 *   messages are dropped with an error on the log.
 */
export type OutboundPolicy = 'disconnect' | 'drop';

export interface OutboundQueueOptions {
  /** Messages waiting beyond which the queue is `saturated`. Default {@link DEFAULT_QUEUE_CAPACITY}. */
  readonly capacity?: number;
  /** Messages still kept beyond `capacity` while saturated. Default {@link DEFAULT_QUEUE_OVERFLOW}. */
  readonly overflow?: number;
  /** Default `disconnect`. */
  readonly policy?: OutboundPolicy;
  /** `disconnect` only: how long the queue may stay saturated. Default {@link DEFAULT_STALL_TIMEOUT_MS}. */
  readonly stallTimeoutMs?: number;
  /** Clock for the stall timer (a `TestScheduler` in marble tests). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Where drops and sink errors are reported. Default: nowhere. */
  readonly log?: (line: string) => void;
}

/** Why a `disconnect` queue gave up on its peer. */
export type OutboundFailure =
  | { readonly kind: 'stalled'; readonly stallTimeoutMs: number }
  | { readonly kind: 'overflow'; readonly limit: number }
  | { readonly kind: 'sinkError'; readonly error: unknown };

export const DEFAULT_QUEUE_CAPACITY = 128;
export const DEFAULT_QUEUE_OVERFLOW = 1024;
export const DEFAULT_STALL_TIMEOUT_MS = 10_000;

/**
 * A bounded per-connection outbound queue with its own writer loop.
 *
 * Producers call `send`, which never blocks and never throws. The writer hands queued messages to
 * the sink in order, synchronously, until the sink reports backpressure; it then waits for the
 * sink's `ready$` and resumes. Reading requests never waits on this queue (DESIGN: inbound and
 * outbound never wait on each other).
 *
 * Bounds and policy (the decision, in numbers):
 * - `capacity` (128) messages waiting → `saturated` becomes true; the server rejects new requests
 *   with -32001 while it is, but responses, notifications and that very -32001 still queue;
 * - up to `overflow` (1024) more are kept while saturated, so nothing is lost to a short burst;
 * - `disconnect` policy (websocket): saturated for longer than `stallTimeoutMs` (10 s), or a
 *   message arriving with the overflow exhausted, means the peer is not reading: `failure$` emits
 *   once, everything queued is dropped and later `send`s are ignored; a sink whose `write`
 *   throws fails the same way;
 * - `drop` policy (stdio): no stall timeout (one client; it is the server that stops taking new
 *   requests); a message arriving with the overflow exhausted is dropped and logged.
 *
 * @example
 * const queue = new OutboundQueue(sink, { policy: 'disconnect', stallTimeoutMs: 10_000 });
 * queue.failure$.subscribe(() => socket.close(1008, 'outbound queue full'));
 * queue.send('{"method":"thread/started","params":{…}}');
 */
export class OutboundQueue {
  readonly capacity: number;
  readonly overflow: number;
  readonly policy: OutboundPolicy;
  readonly stallTimeoutMs: number;

  private readonly scheduler: SchedulerLike;
  private readonly log: (line: string) => void;
  // A queue as an array with a moving head: shift() on a 1k-element array each write is O(n).
  private items: string[] = [];
  private head = 0;
  private waiting: Subscription | null = null;
  private pumping = false;
  private stallTimer: Subscription | null = null;
  private disposed = false;
  private dropped = 0;
  private readonly saturatedSubject = new BehaviorSubject(false);
  private readonly failureSubject = new Subject<OutboundFailure>();

  /** `true`/`false` each time saturation changes (starts with the current value). */
  readonly saturated$: Observable<boolean> = this.saturatedSubject.pipe(distinctUntilChanged());
  /** `disconnect` policy: emits once when the queue gives up on the peer, then completes. */
  readonly failure$: Observable<OutboundFailure> = this.failureSubject.asObservable();

  constructor(
    private readonly sink: OutboundSink,
    options: OutboundQueueOptions = {},
  ) {
    this.capacity = positive(options.capacity ?? DEFAULT_QUEUE_CAPACITY, 'capacity');
    this.overflow = nonNegative(options.overflow ?? DEFAULT_QUEUE_OVERFLOW, 'overflow');
    this.policy = options.policy ?? 'disconnect';
    this.stallTimeoutMs = nonNegative(options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS, 'stallTimeoutMs');
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.log = options.log ?? (() => undefined);
  }

  /** Messages queued and not yet handed to the sink. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** True while `capacity` or more messages wait. */
  get saturated(): boolean {
    return this.saturatedSubject.value;
  }

  /** True once the queue failed or was disposed; `send` is then a no-op. */
  get closed(): boolean {
    return this.disposed;
  }

  /** Enqueue one message and let the writer run. Never blocks, never throws. */
  send(message: string): void {
    if (this.disposed) return;
    if (this.length >= this.capacity + this.overflow) {
      if (this.policy === 'disconnect') {
        this.fail({ kind: 'overflow', limit: this.capacity + this.overflow });
      } else {
        if (this.dropped === 0) {
          this.log(`outbound queue full (${this.capacity + this.overflow} messages): the client is not reading; dropping messages`);
        }
        this.dropped++;
      }
      return;
    }
    this.items.push(message);
    this.pump();
    this.updateSaturation();
  }

  /**
   * Hand every queued message to the sink now, ignoring backpressure (the sink buffers them), then
   * dispose. For a graceful close: what was sent before `close()` still goes out, bounded by
   * capacity + overflow.
   */
  flushAndDispose(): void {
    if (this.disposed) return;
    this.stopWaiting();
    try {
      while (this.length > 0) this.sink.write(this.take());
    } catch (error) {
      this.log(`outbound write failed while closing: ${errorText(error)}`);
    }
    this.dispose();
  }

  /** Stop writing and drop whatever is queued. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopWaiting();
    this.stallTimer?.unsubscribe();
    this.stallTimer = null;
    this.items = [];
    this.head = 0;
    this.saturatedSubject.next(false);
    this.saturatedSubject.complete();
    this.failureSubject.complete();
  }

  private pump(): void {
    if (this.pumping || this.waiting !== null || this.disposed) return;
    this.pumping = true;
    try {
      while (this.length > 0 && !this.disposed) {
        let more: boolean;
        try {
          more = this.sink.write(this.take());
        } catch (error) {
          this.fail({ kind: 'sinkError', error });
          return;
        }
        if (!more && !this.waitForSink()) return;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Wait for the sink; `true` when it was ready synchronously and the caller may go on writing. */
  private waitForSink(): boolean {
    let synchronous = true;
    let ready = false;
    const subscription = this.sink.ready$.pipe(take(1)).subscribe(() => {
      ready = true;
      if (synchronous) return;
      this.waiting = null;
      this.pump();
      this.updateSaturation();
    });
    synchronous = false;
    if (ready) return true;
    this.waiting = subscription;
    return false;
  }

  private stopWaiting(): void {
    this.waiting?.unsubscribe();
    this.waiting = null;
  }

  private take(): string {
    const message = this.items[this.head] as string;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return message;
  }

  private updateSaturation(): void {
    if (this.disposed) return;
    const saturated = this.length >= this.capacity;
    if (saturated === this.saturatedSubject.value) return;
    if (saturated && this.policy === 'disconnect') {
      this.stallTimer = this.scheduler.schedule(() => {
        this.stallTimer = null;
        this.fail({ kind: 'stalled', stallTimeoutMs: this.stallTimeoutMs });
      }, this.stallTimeoutMs);
    } else if (!saturated) {
      this.stallTimer?.unsubscribe();
      this.stallTimer = null;
      if (this.dropped > 0) {
        this.log(`outbound queue recovered; ${this.dropped} message(s) were dropped`);
        this.dropped = 0;
      }
    }
    this.saturatedSubject.next(saturated);
  }

  private fail(failure: OutboundFailure): void {
    if (this.disposed) return;
    if (failure.kind === 'sinkError') this.log(`outbound write failed: ${errorText(failure.error)}`);
    this.failureSubject.next(failure);
    this.dispose();
  }
}

const positive = (n: number, name: string): number => {
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
};
const nonNegative = (n: number, name: string): number => {
  if (!(Number.isFinite(n) && n >= 0)) throw new RangeError(`${name} must be a non-negative number, got ${n}`);
  return n;
};
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
