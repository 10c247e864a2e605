import { asyncScheduler, catchError, concat, defer, Observable, of, throwError, type SchedulerLike } from 'rxjs';
import type { CodexErrorInfo } from '../protocol/v2/thread.js';
import { httpResponseEvents, type AttemptClock } from './httpTransport.js';
import { ModelError } from './modelError.js';
import { replayResponseEvents } from './replay/replayTransport.js';
import type { ModelEvent } from './modelEvents.js';
import type { ResponsesTarget } from './requestTarget.js';
import { responsesBody, type ResponsesRequest } from './responsesRequest.js';
import { backoffDelayMs, retryWithBackoff, type RetryStep } from './retry.js';
import type { ResponsesWebsocketSession } from './websocketTransport.js';

/**
 * The stream is being retried (SPEC §12.4): the turn reports it as an `error` notification with
 * `willRetry: true`, using `message`, `codexErrorInfo` and `additionalDetails` as they are. Events
 * of the failed attempt were already emitted; the next attempt starts over from the same request.
 */
export interface RetryingEvent {
  readonly type: 'retrying';
  /** 1 for the first retry. */
  readonly retry: number;
  readonly maxRetries: number;
  readonly delayMs: number;
  readonly error: ModelError;
  /** `Reconnecting... <retry>/<max>`. */
  readonly message: string;
  readonly codexErrorInfo: CodexErrorInfo;
  /** The failed attempt's error message. */
  readonly additionalDetails: string;
  /** False for the first retry on a WebSocket, which the reference does not report. */
  readonly report: boolean;
}

/** The session gave up on the WebSocket and continues over HTTP; the turn shows `message` as a warning. */
export interface TransportFallbackEvent {
  readonly type: 'transportFallback';
  readonly message: string;
}

/** What `streamResponses` emits: the model's events, plus the retry and fallback notices. */
export type ResponsesStreamEvent = ModelEvent | RetryingEvent | TransportFallbackEvent;

/** How to reach the model for one request, and where time and randomness come from. */
export interface StreamResponsesOptions extends ResponsesTarget {
  /** The thread's WebSocket, when the session uses that transport (see `responsesWebsocketVersion`). */
  readonly websocket?: ResponsesWebsocketSession;
  /** Backoff waits and idle timeouts run on it. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** A number in [0, 1) for the backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
}

const isModelError = (error: unknown): error is ModelError => error instanceof ModelError;

const retryingEvent = (step: RetryStep<ModelError>, onWebsocket: boolean): RetryingEvent => ({
  type: 'retrying',
  retry: step.retry,
  maxRetries: step.maxRetries,
  delayMs: step.delayMs,
  error: step.error,
  message: `Reconnecting... ${step.retry}/${step.maxRetries}`,
  codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: step.error.httpStatusCode } },
  additionalDetails: step.error.message,
  report: !(onWebsocket && step.retry === 1),
});

/**
 * Streams one model response for `request` (SPEC §12): over the thread's WebSocket when
 * `options.websocket` is given and still active, else `POST {base_url}/responses` as SSE; a
 * provider with `wireApi: 'replay'` answers from its scripts instead, as the same SSE payloads
 * (`lib/model/replay/replayTransport.ts`).
 *
 * The observable is cold (nothing is sent before subscription) and cancellable (unsubscribing
 * aborts the HTTP request, or drops the WebSocket). It emits `ModelEvent`s and completes right
 * after the `completed` event. Failures are `ModelError`s: retryable ones (disconnects, idle
 * timeouts, 5xx, unexpected statuses…) are retried up to the provider's `stream_max_retries`
 * with backoff (or the delay the server asked for), each retry announced by a `retrying` event
 * before the wait; when the budget runs out on a WebSocket, or its handshake gets 426, the
 * session falls back to HTTP for good (a `transportFallback` event) and the budget starts over.
 * A 401 runs `auth.recoverUnauthorized` and retries; when that has nothing left the error has
 * kind `unauthorized`.
 *
 * @example
 * streamResponses(request, { provider, auth, context: { sessionId: threadId, originator, userAgent } })
 *   .subscribe({
 *     next: (event) => (event.type === 'retrying' ? notifyError(event, { willRetry: true }) : handle(event)),
 *     error: (err: ModelError) => failTurn(err.message, err.codexErrorInfo),
 *   });
 */
export const streamResponses = (request: ResponsesRequest, options: StreamResponsesOptions): Observable<ResponsesStreamEvent> =>
  defer(() => {
    const clock: AttemptClock = { scheduler: options.scheduler ?? asyncScheduler, random: options.random ?? Math.random };
    const body = responsesBody(request);
    const text = JSON.stringify(body);
    const { websocket } = options;

    const run = (overWebsocket: boolean): Observable<ResponsesStreamEvent> =>
      defer(() =>
        options.provider.wireApi === 'replay'
          ? replayResponseEvents(body, options, clock)
          : overWebsocket && websocket
            ? websocket.responseEvents(body, options, clock)
            : httpResponseEvents(text, options, clock),
      ).pipe(
        retryWithBackoff({
          maxRetries: options.provider.streamMaxRetries,
          isError: isModelError,
          retryable: (error) => error.retryable,
          delayMs: (error, retry) => error.retryAfterMs ?? backoffDelayMs(retry, clock.random),
          notice: (step) => retryingEvent(step, overWebsocket),
          scheduler: clock.scheduler,
        }),
        catchError((error: unknown) => {
          const fallBack = overWebsocket && websocket && isModelError(error) && (error.kind === 'websocketUpgradeRequired' || error.retryable);
          if (!fallBack) return throwError(() => error);
          websocket.fallBack();
          const notice: TransportFallbackEvent = { type: 'transportFallback', message: `Falling back from WebSockets to HTTPS transport. ${error.message}` };
          return concat(of(notice), run(false));
        }),
      );

    return run(websocket?.active ?? false);
  });
