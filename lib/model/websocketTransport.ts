import { concat, defer, finalize, map, Observable, of, switchMap, tap } from 'rxjs';
import WebSocket from 'ws';
import { withUnauthorizedRecovery } from './authRecovery.js';
import { flatHeaders, headerEvents, readErrorBody, type AttemptClock, type ResponseHeaders } from './httpTransport.js';
import { idleTimeout } from './idleTimeout.js';
import { connectionFailed, httpStatusError, ModelError, streamDisconnected } from './modelError.js';
import type { ModelEvent } from './modelEvents.js';
import type { ModelProvider } from './provider.js';
import { requestCredentials, requestHeaders, responsesUrl, type ResponsesTarget } from './requestTarget.js';
import { responseEvents } from './responseEvents.js';
import { retryAfterMs } from './retry.js';

/** The Responses WebSocket protocol revision, chosen by feature flag (SPEC §12.6). */
export type ResponsesWebsocketVersion = 'v1' | 'v2';

const OPENAI_BETA: Readonly<Record<ResponsesWebsocketVersion, string>> = {
  v1: 'responses_websockets=2026-02-04',
  v2: 'responses_websockets=2026-02-06',
};

/**
 * Whether a session talks to the Responses API over a WebSocket, and which revision (SPEC §12.6):
 * only when the provider supports it and either a `responses_websockets[_v2]` feature is on or
 * the model prefers WebSockets; `undefined` means HTTP.
 *
 * @example
 * responsesWebsocketVersion(provider, { preferWebsockets: modelInfo.prefer_websockets, features: settings.features }); // 'v1'
 */
export const responsesWebsocketVersion = (
  provider: ModelProvider,
  options: { readonly preferWebsockets: boolean; readonly features: Readonly<Record<string, boolean>> },
): ResponsesWebsocketVersion | undefined => {
  if (!provider.supportsWebsockets) return undefined;
  if (options.features.responses_websockets_v2 === true) return 'v2';
  return options.features.responses_websockets === true || options.preferWebsockets ? 'v1' : undefined;
};

interface Connection {
  readonly socket: WebSocket;
  /** What the connection was opened with; a request needing other headers opens a new one. */
  readonly key: string;
  readonly handshakeHeaders: ResponseHeaders;
}

/**
 * A thread's WebSocket to the Responses API (SPEC §12.6). The connection is opened by the first
 * request (or `prewarm`), kept while it stays usable and the handshake headers stay the same,
 * and dropped when a response does not complete (its leftover frames must not reach the next
 * request) or when the server closes it. After `fallBack()` (the retry budget ran out on the
 * WebSocket, or the handshake got 426) the session uses HTTP for good.
 *
 * Each request is one `response.create` frame with the full body; the incremental
 * `response.append` / `previous_response_id` forms are not used.
 *
 * @example
 * const websocket = new ResponsesWebsocketSession('v1');
 * streamResponses(request, { ...options, websocket });
 * // at thread shutdown:
 * websocket.close();
 */
export class ResponsesWebsocketSession {
  #connection: Connection | undefined;
  #fellBack = false;
  /** A response is streaming: frames on the socket belong to it. */
  #busy = false;

  constructor(readonly version: ResponsesWebsocketVersion = 'v1') {}

  /** Whether requests should still go over the WebSocket. */
  get active(): boolean {
    return !this.#fellBack;
  }

  /** Switches the session to HTTP for good and closes the connection. */
  fallBack(): void {
    this.#fellBack = true;
    this.close();
  }

  /** Closes the connection, if any; the next request opens a new one. */
  close(): void {
    this.#connection?.socket.terminate();
    this.#connection = undefined;
  }

  /**
   * Opens the connection ahead of the first request, without sending anything.
   *
   * @example
   * websocket.prewarm(target, clock).subscribe({ error: () => {} }); // a failure only means the request will connect itself
   */
  prewarm(target: ResponsesTarget, clock: AttemptClock): Observable<void> {
    return this.connection(target, clock).pipe(map(() => undefined));
  }

  /**
   * One streamed response over the WebSocket: the handshake (with the 401 recovery) when no
   * reusable connection is open, the `response.create` frame, then the frames as model events
   * under the idle timeout and the completion rules of `responseEvents`. A close by the server
   * before completion is "websocket closed by server before response.completed"; a handshake
   * answered 426 is a `websocketUpgradeRequired` error. One response at a time: subscribing while
   * another is streaming on this session is an error.
   *
   * @example
   * websocket.responseEvents(responsesBody(request), target, clock).subscribe(handle);
   */
  responseEvents(body: Readonly<Record<string, unknown>>, target: ResponsesTarget, clock: AttemptClock): Observable<ModelEvent> {
    const now = (): Date => new Date(clock.scheduler.now());
    return defer(() => {
      if (this.#busy) throw new Error('a ResponsesWebsocketSession streams one response at a time');
      this.#busy = true;
      return this.streamOn(body, target, clock, now).pipe(finalize(() => (this.#busy = false)));
    });
  }

  private streamOn(body: Readonly<Record<string, unknown>>, target: ResponsesTarget, clock: AttemptClock, now: () => Date): Observable<ModelEvent> {
    return this.connection(target, clock).pipe(
      switchMap((connection) => {
        let completed = false;
        const frames = new Observable<string>((subscriber) => {
          const { socket } = connection;
          const onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
            if (!isBinary) subscriber.next(data.toString());
          };
          const onClose = (): void => subscriber.error(streamDisconnected('websocket closed by server before response.completed'));
          const onError = (error: Error): void => subscriber.error(streamDisconnected(error.message));
          socket.on('message', onMessage);
          socket.on('close', onClose);
          socket.on('error', onError);
          socket.send(JSON.stringify({ type: 'response.create', ...body }), (error) => {
            if (error) subscriber.error(streamDisconnected(`failed to send websocket request: ${error.message}`));
          });
          return () => {
            socket.off('message', onMessage);
            socket.off('close', onClose);
            socket.off('error', onError);
          };
        });
        return concat(
          of(...headerEvents(connection.handshakeHeaders, target.context.turnState).filter((e) => e.type !== 'rateLimits')),
          frames.pipe(idleTimeout(target.provider.streamIdleTimeoutMs, clock.scheduler), responseEvents(now)),
        ).pipe(
          tap({ complete: () => (completed = true) }),
          finalize(() => {
            if (!completed) this.drop(connection);
          }),
        );
      }),
    );
  }

  private drop(connection: Connection): void {
    connection.socket.terminate();
    if (this.#connection === connection) this.#connection = undefined;
  }

  private connection(target: ResponsesTarget, clock: AttemptClock): Observable<Connection> {
    const open = (): Observable<Connection> =>
      defer(() => requestCredentials(target)).pipe(
        switchMap((credentials) => {
          const url = responsesUrl(target.provider, credentials, 'websocket');
          const headers = requestHeaders(target, credentials, { transport: 'websocket', openaiBeta: OPENAI_BETA[this.version] });
          // The turn-state token is learnt from this very handshake; it must not force a reconnect.
          const { 'x-codex-turn-state': _turnState, ...identity } = headers;
          const key = JSON.stringify([url.href, identity]);
          const current = this.#connection;
          if (current && current.key === key && current.socket.readyState === WebSocket.OPEN) return of(current);
          this.close();
          return this.handshake(url, headers, key, () => new Date(clock.scheduler.now()));
        }),
      );
    return withUnauthorizedRecovery(open, target.auth);
  }

  private handshake(url: URL, headers: Record<string, string>, key: string, now: () => Date): Observable<Connection> {
    return new Observable<Connection>((subscriber) => {
      let handshakeHeaders: ResponseHeaders = {};
      let opened = false;
      const socket = new WebSocket(url, { headers, perMessageDeflate: true });
      socket.on('upgrade', (res) => (handshakeHeaders = flatHeaders(res.headers)));
      socket.on('unexpected-response', (req, res) => {
        const status = res.statusCode ?? 0;
        const responseHeaders = flatHeaders(res.headers);
        void readErrorBody(res).then((text) => {
          req.destroy();
          subscriber.error(
            status === 426
              ? new ModelError('websocketUpgradeRequired', `websocket upgrade refused by server (426 Upgrade Required)`, { status })
              : httpStatusError({ status, body: text, url: url.href, headers: responseHeaders, retryAfterMs: retryAfterMs(responseHeaders, now()), now: now() }),
          );
        });
      });
      socket.on('error', (error) => {
        if (!opened) subscriber.error(connectionFailed(error));
      });
      socket.on('close', () => {
        if (this.#connection?.socket === socket) this.#connection = undefined;
      });
      socket.once('open', () => {
        opened = true;
        const connection: Connection = { socket, key, handshakeHeaders };
        this.#connection = connection;
        subscriber.next(connection);
        subscriber.complete();
      });
      return () => {
        if (!opened) socket.terminate();
      };
    });
  }
}
