import type { Observable } from 'rxjs';
import { log } from '../log.js';

/**
 * One client connection, whatever the transport: the JSON-RPC server reads `inbound$`, writes with
 * `send`, and watches `saturated` and `closed$`. Framing, backpressure and the bounded outbound
 * queue live behind this interface (see `streams/outboundQueue.ts` for the queue policy).
 *
 * Lifecycle: the connection starts closing when the peer closes, a socket fails, the outbound
 * queue gives up on a websocket peer (1008 "outbound queue full"), or `close()` is called. From
 * that moment `closeReason` is set, `send` is a no-op and, for a websocket, `inbound$` has
 * completed. `closed$` emits once (then completes) when the transport is really gone: websocket,
 * when the socket has closed (close handshake done, or the socket destroyed after the close grace
 * period); stdio, when `close()` has flushed and ended stdout, or stdout failed. For stdio, stdin
 * EOF completes `inbound$` but leaves stdout open, so the server can still answer the requests it
 * already read before it calls `close()` (and exits).
 *
 * @example
 * connection.inbound$.subscribe({
 *   next: (text) => handle(connection, text),        // one JSON-RPC message, not yet parsed
 *   complete: () => connection.close(),              // stdio: stdin reached EOF
 * });
 * connection.oversized$.subscribe(() =>
 *   connection.send(JSON.stringify({ id: null, error: { code: -32600, message: 'message too large' } })));
 */
export interface Connection {
  /** stdio: 0; websocket: a per-listener counter starting at 1. */
  readonly id: number;
  readonly kind: 'stdio' | 'websocket';
  /**
   * Inbound text messages (one JSON-RPC message each, not yet parsed). Completes when the peer
   * closes / stdin EOF. Hot, subscribed once by the server: reading starts at the first subscription
   * (a websocket is paused until then), so subscribe as soon as the connection arrives.
   */
  readonly inbound$: Observable<string>;
  /**
   * Inbound messages that were too large to read, skipped (stdio: a line over `maxLineBytes`,
   * in order with `inbound$`; the next line is read normally). The server should answer each with
   * an error, `id: null`. Websocket never emits here: `ws` closes a connection that sends a frame
   * over `maxPayload` with close code 1009. Completes with `inbound$`.
   */
  readonly oversized$: Observable<OversizedMessage>;
  /** Enqueue one outbound message (already-serialized JSON, no newline). Never blocks, never throws. */
  send(message: string): void;
  /** True while the outbound queue is at capacity (the server rejects new requests with -32001 meanwhile). */
  readonly saturated: boolean;
  /** The changes of `saturated`, starting with its current value; completes when the connection closes. */
  readonly saturated$: Observable<boolean>;
  /**
   * Close the connection (websocket: close frame, code 1000 and `reason`; stdio: end stdout).
   * Messages already sent are flushed first. Idempotent.
   */
  close(reason?: string): void;
  /** Emits once when the connection is gone, for whatever reason, then completes. */
  readonly closed$: Observable<void>;
  /** Why the connection closed, once it has (for logs); `undefined` while open. */
  readonly closeReason: string | undefined;
}

/** An inbound message skipped for its size. */
export interface OversizedMessage {
  /** Bytes the message had (at least `limit + 1`). */
  readonly bytes: number;
  /** The cap it exceeded. */
  readonly limit: number;
}

/**
 * A listening transport: emits each new connection once it is ready for messages.
 *
 * @example
 * const listener = await listenWebSocket({ port: 4500 });
 * listener.connections$.subscribe((connection) => server.attach(connection));
 * process.stderr.write(`listening on: ${listener.address}\n`);
 */
export interface Listener {
  readonly connections$: Observable<Connection>;
  /** e.g. `ws://127.0.0.1:4500` (the actual port when 0 was asked for). */
  readonly address: string;
  /** Stop accepting, close every connection (1001 "server shutting down"), release the port. */
  close(): Promise<void>;
}

/** Where transports report what they drop or refuse. Default {@link stderrLog}; never stdout. */
export type TransportLog = (line: string) => void;

/** A warning on stderr through the process log (`lib/log.ts`). */
export const stderrLog: TransportLog = (line) => log.warn(line);

/** Default cap on one inbound message: 16 MiB, as for a rollout line (SPEC §I.4). */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
