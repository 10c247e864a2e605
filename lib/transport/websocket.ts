import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { Observable, ReplaySubject, Subject } from 'rxjs';
import { filter } from 'rxjs/operators';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { OutboundQueue } from '../../streams/outboundQueue.js';
import { type Connection, DEFAULT_MAX_MESSAGE_BYTES, type Listener, type OversizedMessage, stderrLog, type TransportLog } from './connection.js';

/** Close code and reason used when the outbound queue gives up on a peer that does not read. */
export const OUTBOUND_QUEUE_FULL = { code: 1008, reason: 'outbound queue full' } as const;
/** Bytes buffered in a socket above which the writer waits for the peer to read. */
export const DEFAULT_HIGH_WATER_MARK_BYTES = 1024 * 1024;
/** How long a closing connection waits for the peer's close frame before the socket is destroyed. */
export const DEFAULT_CLOSE_GRACE_MS = 2_000;

/** Options of the websocket outbound side (also the per-connection part of {@link WebSocketListenOptions}). */
export interface WebSocketConnectionOptions {
  /** Outbound queue capacity (messages) before `saturated`. Default 128. */
  readonly capacity?: number;
  /** Messages kept beyond capacity; one more and the connection is closed (1008). Default 1024. */
  readonly overflow?: number;
  /** How long the queue may stay saturated before the connection is closed (1008). Default 10 s. */
  readonly stallTimeoutMs?: number;
  /** Socket bytes buffered above which the writer pauses. Default 1 MiB. */
  readonly highWaterMarkBytes?: number;
  /** Default: stderr. */
  readonly log?: TransportLog;
}

export interface WebSocketListenOptions extends WebSocketConnectionOptions {
  /** IP literal (or `localhost`) to bind. Default `127.0.0.1`. A non-loopback host requires `token`. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (see `Listener.address`). */
  readonly port: number;
  /** When set, the upgrade request must carry `Authorization: Bearer <token>`, else HTTP 401. */
  readonly token?: string;
  /** Cap on one inbound frame; a larger one closes the connection with 1009. Default 16 MiB. */
  readonly maxPayload?: number;
  /**
   * Origins (exact `Origin` header values) allowed to open a websocket, besides requests with no
   * `Origin` (non-browser clients) and the listener's own origin. `'*'` allows any. Browsers send
   * `Origin`; without this check any web page could drive a loopback server.
   */
  readonly allowedOrigins?: readonly string[] | '*';
  /** Serves plain HTTP requests on the same port (e.g. a browser client). Default: 426 Upgrade Required. */
  readonly requestHandler?: RequestListener;
  /** Time given to a close handshake before the socket is destroyed. Default 2 s. */
  readonly closeGraceMs?: number;
}

/** A websocket {@link Listener}, with the HTTP server it runs on. */
export interface WebSocketListener extends Listener {
  readonly httpServer: Server;
  /** The bound port (useful after asking for port 0). */
  readonly port: number;
}

/**
 * True for addresses only this machine can reach: `127.0.0.0/8`, `::1`, IPv4-mapped loopback,
 * and the name `localhost`.
 *
 * @example
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('0.0.0.0');   // false
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) {
    const lower = bare.toLowerCase();
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped !== null && (mapped[1] as string).startsWith('127.');
  }
  return false;
}

/**
 * Listens for websocket clients (SPEC §1.2, §I.2). Each text frame is one JSON-RPC message;
 * outbound messages are text frames without a trailing newline; binary frames are dropped with a
 * warning; pings are answered by `ws`; a client offering permessage-deflate is accepted and
 * compression is not negotiated; an inbound frame over `maxPayload` closes the connection (1009).
 *
 * Security: binds 127.0.0.1 by default; a non-loopback `host` without `token` is refused (the
 * promise rejects, nothing is bound). With a token, an upgrade without
 * `Authorization: Bearer <token>` gets HTTP 401. A browser `Origin` other than the listener's own
 * (or `allowedOrigins`) gets HTTP 403.
 *
 * Outbound: per connection, a bounded queue with the `disconnect` policy
 * (streams/outboundQueue.ts): the writer pauses while more than `highWaterMarkBytes` sit in the
 * socket; 128 messages waiting make the connection `saturated`; saturated for `stallTimeoutMs`
 * (10 s), or 1024 messages beyond capacity, and the connection is closed with 1008
 * "outbound queue full", its queue dropped. Other connections are not affected.
 *
 * `connections$` is hot: subscribe right after the promise resolves. A connection arriving while
 * nobody is subscribed is closed with 1013.
 *
 * @example
 * const listener = await listenWebSocket({ port: 4500 });
 * listener.connections$.subscribe((connection) => server.attach(connection));
 * process.stderr.write(`listening on: ${listener.address}\n`);
 */
export async function listenWebSocket(options: WebSocketListenOptions): Promise<WebSocketListener> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? stderrLog;
  const shownHost = isIP(host) === 6 ? `[${host}]` : host;
  if (!isLoopbackHost(host) && (options.token === undefined || options.token === '')) {
    throw new Error(
      `refusing to listen on ws://${shownHost}:${options.port} without a token: a non-loopback address lets anyone on the network ` +
        `drive this agent; pass --ws-token <secret> (or set RXAGENT_WS_TOKEN) and have clients send "Authorization: Bearer <secret>", ` +
        `or listen on 127.0.0.1`,
    );
  }

  // `closeTimeout` (ws ≥ 8.19, not in @types/ws): how long a close handshake may take before ws
  // destroys the socket.
  const serverOptions = {
    noServer: true,
    perMessageDeflate: false,
    maxPayload: options.maxPayload ?? DEFAULT_MAX_MESSAGE_BYTES,
    closeTimeout: options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS,
    clientTracking: false,
  };
  const wss = new WebSocketServer(serverOptions);
  const requestHandler: RequestListener =
    options.requestHandler ??
    ((_request, response) => {
      response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket', Connection: 'Upgrade' });
      response.end('rxagent app-server: connect with a WebSocket client\n');
    });
  const httpServer = createServer(requestHandler);
  const connections$ = new Subject<Connection>();
  const open = new Set<Connection>();
  let nextId = 1;
  let port = options.port;

  const ownOrigins = (): Set<string> =>
    new Set([`http://${shownHost}:${port}`, `http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);
  const originAllowed = (origin: string | undefined): boolean =>
    origin === undefined || options.allowedOrigins === '*' || ownOrigins().has(origin) || (options.allowedOrigins ?? []).includes(origin);

  // Compare digests so the comparison takes the same time whatever the token's length.
  const expected = options.token === undefined ? undefined : digest(options.token);
  const authorized = (header: string | undefined): boolean => {
    if (expected === undefined) return true;
    const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    return bearer !== null && timingSafeEqual(digest(bearer[1] as string), expected);
  };

  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const peer = `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'}`;
    if (!authorized(request.headers.authorization)) {
      log(`websocket upgrade from ${peer} refused: missing or wrong bearer token`);
      refuse(socket, 401, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    if (!originAllowed(request.headers.origin)) {
      log(`websocket upgrade from ${peer} refused: origin ${request.headers.origin} is not allowed`);
      refuse(socket, 403);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (!connections$.observed) {
        log(`websocket connection from ${peer} closed: the server is not accepting connections yet`);
        ws.on('error', () => undefined);
        ws.close(1013, 'server not ready');
        return;
      }
      const connection = webSocketConnection(ws, nextId++, { ...options, log });
      open.add(connection);
      connection.closed$.subscribe(() => open.delete(connection));
      connections$.next(connection);
    });
  });
  wss.on('error', (error) => log(`websocket server error: ${error.message}`));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(new Error(`cannot listen on ws://${shownHost}:${options.port}: ${error.code === 'EADDRINUSE' ? 'address already in use' : error.message}`));
    };
    httpServer.once('error', onError);
    httpServer.listen(options.port, host, () => {
      httpServer.off('error', onError);
      resolve();
    });
  });
  httpServer.on('error', (error) => log(`websocket listener error: ${error.message}`));
  const bound = httpServer.address();
  if (bound !== null && typeof bound === 'object') port = bound.port;

  let closing: Promise<void> | undefined;
  return {
    connections$: connections$.asObservable(),
    address: `ws://${shownHost}:${port}`,
    port,
    httpServer,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        connections$.complete();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
        for (const connection of [...open]) connection.close('server shutting down');
        wss.close();
      });
      return closing;
    },
  };
}

/**
 * Wraps an open `ws` socket as a {@link Connection} (what {@link listenWebSocket} emits; exported
 * for servers that do their own upgrade handling). The socket is paused until `inbound$` is
 * subscribed. `close()` sends code 1001 when `reason` is "server shutting down", 1000 otherwise.
 *
 * @example
 * wss.on('connection', (ws) => server.attach(webSocketConnection(ws, nextId++)));
 */
export function webSocketConnection(ws: WebSocket, id: number, options: WebSocketConnectionOptions = {}): Connection {
  const log = options.log ?? stderrLog;
  const highWaterMark = options.highWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK_BYTES;
  const inbound = new Subject<string>();
  const oversized$ = new Subject<OversizedMessage>();
  const closed$ = new ReplaySubject<void>(1);
  const flushed$ = new Subject<void>();
  let closeReason: string | undefined;
  let started = false;

  ws.pause();

  const queue = new OutboundQueue(
    {
      // The send callback runs once the frame has left the socket's buffer: the moment to look at
      // bufferedAmount again.
      write: (message) => {
        ws.send(message, () => flushed$.next());
        return ws.bufferedAmount < highWaterMark;
      },
      ready$: flushed$.pipe(filter(() => ws.bufferedAmount < highWaterMark)),
    },
    {
      policy: 'disconnect',
      capacity: options.capacity,
      overflow: options.overflow,
      stallTimeoutMs: options.stallTimeoutMs,
      log: (line) => log(`websocket connection ${id}: ${line}`),
    },
  );

  // Stop reading and writing as soon as the connection is judged gone; `closed$` waits for the socket.
  const beginClose = (reason: string): void => {
    if (closeReason !== undefined) return;
    closeReason = reason;
    inbound.complete();
    oversized$.complete();
  };

  queue.failure$.subscribe((failure) => {
    const why = failure.kind === 'stalled' ? `saturated for ${failure.stallTimeoutMs} ms` : failure.kind === 'overflow' ? `${failure.limit} messages waiting` : 'write failed';
    log(`websocket connection ${id} closed: outbound queue full (${why}); the client is not reading`);
    beginClose(OUTBOUND_QUEUE_FULL.reason);
    ws.close(OUTBOUND_QUEUE_FULL.code, OUTBOUND_QUEUE_FULL.reason);
  });

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (closeReason !== undefined) return;
    if (isBinary) {
      log(`websocket connection ${id}: binary frame of ${byteLength(data)} bytes dropped; send JSON-RPC messages as text frames`);
      return;
    }
    inbound.next(rawText(data));
  });
  ws.on('error', (error) => {
    log(`websocket connection ${id}: ${error.message}`);
    beginClose(`error: ${error.message}`);
  });
  ws.on('close', (code: number, reason: Buffer) => {
    beginClose(`peer closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`);
    queue.dispose();
    closed$.next();
    closed$.complete();
  });

  return {
    id,
    kind: 'websocket',
    inbound$: new Observable<string>((subscriber) => {
      const subscription = inbound.subscribe(subscriber);
      if (!started) {
        started = true;
        ws.resume();
      }
      return subscription;
    }),
    oversized$: oversized$.asObservable(),
    send: (message) => {
      if (closeReason === undefined) queue.send(message);
    },
    get saturated() {
      return queue.saturated;
    },
    saturated$: queue.saturated$,
    close: (reason) => {
      if (closeReason !== undefined) return;
      beginClose(reason ?? 'closed by the server');
      queue.flushAndDispose();
      ws.close(reason === 'server shutting down' ? 1001 : 1000, truncateReason(reason));
    },
    closed$: closed$.asObservable(),
    get closeReason() {
      return closeReason;
    },
  };
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

function refuse(socket: Duplex, status: number, headers: Record<string, string> = {}): void {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, 'Connection: close', 'Content-Length: 0', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.on('error', () => undefined);
  if (socket.writable) socket.end(`${lines.join('\r\n')}\r\n\r\n`, () => socket.destroy());
  else socket.destroy();
}

const rawText = (data: RawData): string =>
  Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
const byteLength = (data: RawData): number =>
  Buffer.isBuffer(data) ? data.length : Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;

/** A close reason is at most 123 bytes (RFC 6455 §5.5). */
function truncateReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  const bytes = Buffer.from(reason, 'utf8');
  return bytes.length <= 123 ? reason : bytes.subarray(0, 123).toString('utf8').replace(/\uFFFD$/, '');
}
