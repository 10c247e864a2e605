// The websocket JSON-RPC client (SPEC §1.1, §2): requests as cold Observables (or promises),
// notifications and server→client requests as hot Subjects, and a connection that comes back by
// itself: after the socket closes it retries with exponential backoff, initializes again, and
// announces the new session on `ready$` so the views can reload what they show.

import { BehaviorSubject, Observable, Subject, filter, firstValueFrom, map, switchMap, take } from 'rxjs';

/** A notification from the server: `{method, params}` without an id. */
export interface RpcNotification {
  readonly method: string;
  readonly params: unknown;
}

/** A server→client request (approvals, user input, …); answer it with `respond`. */
export interface ServerRequest {
  readonly id: number | string;
  readonly method: string;
  readonly params: unknown;
  /** The connection session it arrived on: answers to an older session are dropped. */
  readonly session: number;
}

/** A JSON-RPC error answer (or a lost connection, code -1, kind `connectionLost`). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly kind: string | undefined,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export type ConnectionState =
  | { readonly state: 'connecting'; readonly attempt: number }
  | { readonly state: 'ready'; readonly session: number; readonly userAgent: string }
  | { readonly state: 'reconnecting'; readonly attempt: number; readonly inMs: number };

export interface RpcClientOptions {
  /** e.g. `ws://127.0.0.1:4500`. */
  readonly url: string;
  readonly clientInfo?: { readonly name: string; readonly title: string | null; readonly version: string };
  /** Sent as `capabilities.experimentalApi` (plan mode needs it). Default true. */
  readonly experimentalApi?: boolean;
  /** Reconnect delays: `initialMs`, doubling up to `maxMs`. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: RpcError) => void;
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * A JSON-RPC client over one websocket that reconnects.
 *
 * @example
 * const rpc = new RpcClient({ url: `ws://${location.host}` });
 * rpc.notifications$.subscribe((n) => console.log(n.method));
 * rpc.start();
 * const { data } = await rpc.call<{ data: unknown[] }>('thread/list', {});
 */
export class RpcClient {
  readonly notifications$ = new Subject<RpcNotification>();
  readonly serverRequests$ = new Subject<ServerRequest>();
  readonly connection$ = new BehaviorSubject<ConnectionState>({ state: 'connecting', attempt: 0 });
  /** Emits the session number each time a connection has been initialized (again). */
  readonly ready$: Observable<number> = this.connection$.pipe(
    filter((c): c is Extract<ConnectionState, { state: 'ready' }> => c.state === 'ready'),
    map((c) => c.session),
  );

  private socket: WebSocket | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private attempt = 0;
  private session = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: RpcClientOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes the socket and stops reconnecting. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  /**
   * Sends `method` once the connection is ready (waiting if it is not) and emits the result, then
   * completes. Cold: nothing is sent until subscribed. A JSON-RPC error, or the connection closing
   * before the answer, errors with an {@link RpcError}.
   */
  request<R>(method: string, params: unknown): Observable<R> {
    return this.ready$.pipe(
      take(1),
      switchMap(
        () =>
          new Observable<R>((subscriber) => {
            const socket = this.socket;
            if (!socket) {
              subscriber.error(new RpcError(-1, 'not connected', 'connectionLost'));
              return;
            }
            const id = this.nextId++;
            this.pending.set(id, {
              resolve: (result) => {
                subscriber.next(result as R);
                subscriber.complete();
              },
              reject: (error) => subscriber.error(error),
            });
            this.send(socket, { id, method, params });
            return () => this.pending.delete(id);
          }),
      ),
    );
  }

  /** {@link request} as a promise. */
  call<R>(method: string, params: unknown): Promise<R> {
    return firstValueFrom(this.request<R>(method, params));
  }

  /** Answers a server request; false when its connection is gone (the server has given up on it). */
  respond(request: ServerRequest, result: unknown): boolean {
    if (request.session !== this.session || !this.socket || this.connection$.value.state !== 'ready') return false;
    this.send(this.socket, { id: request.id, result });
    return true;
  }

  /** Answers a server request with a JSON-RPC error (for requests this client does not handle). */
  respondError(request: ServerRequest, code: number, message: string): boolean {
    if (request.session !== this.session || !this.socket) return false;
    this.send(this.socket, { id: request.id, error: { code, message } });
    return true;
  }

  private connect(): void {
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    socket.addEventListener('open', () => this.handshake(socket));
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', () => this.closed(socket));
  }

  private handshake(socket: WebSocket): void {
    const id = this.nextId++;
    this.pending.set(id, {
      resolve: (result) => {
        this.send(socket, { method: 'initialized' });
        this.attempt = 0;
        this.session += 1;
        const userAgent = isObject(result) && typeof result.userAgent === 'string' ? result.userAgent : '';
        this.connection$.next({ state: 'ready', session: this.session, userAgent });
      },
      reject: () => socket.close(),
    });
    this.send(socket, {
      id,
      method: 'initialize',
      params: {
        clientInfo: this.options.clientInfo ?? { name: 'rxagent_web', title: 'rxagent web client', version: '0.1.0' },
        capabilities: { experimentalApi: this.options.experimentalApi ?? true },
      },
    });
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (!isObject(message)) return;
    const { id, method } = message;
    if (typeof method === 'string') {
      if (typeof id === 'number' || typeof id === 'string') this.serverRequests$.next({ id, method, params: message.params, session: this.session });
      else this.notifications$.next({ method, params: message.params });
      return;
    }
    if (typeof id !== 'number') return;
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if ('error' in message && isObject(message.error)) {
      const error = message.error;
      const kind = isObject(error.data) && typeof error.data.kind === 'string' ? error.data.kind : undefined;
      pending.reject(new RpcError(typeof error.code === 'number' ? error.code : 0, String(error.message ?? 'error'), kind));
    } else {
      pending.resolve(message.result);
    }
  }

  private closed(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.socket = null;
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const pending of lost) pending.reject(new RpcError(-1, 'connection lost', 'connectionLost'));
    if (this.stopped) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 250, maxMs: 4000 };
    const inMs = Math.min(maxMs, initialMs * 2 ** this.attempt);
    this.attempt += 1;
    this.connection$.next({ state: 'reconnecting', attempt: this.attempt, inMs });
    this.retryTimer = setTimeout(() => {
      this.connection$.next({ state: 'connecting', attempt: this.attempt });
      this.connect();
    }, inMs);
  }

  private send(socket: WebSocket, message: object): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }
}
