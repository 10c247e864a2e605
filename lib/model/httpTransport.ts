import * as http from 'node:http';
import * as https from 'node:https';
import { concat, defer, finalize, map, Observable, of, switchMap, type SchedulerLike } from 'rxjs';
import { withUnauthorizedRecovery } from './authRecovery.js';
import { idleTimeout } from './idleTimeout.js';
import { connectionFailed, httpStatusError, ModelError, streamFailed } from './modelError.js';
import type { ModelEvent } from './modelEvents.js';
import { rateLimitsFromHeaders } from './rateLimits.js';
import { requestCredentials, requestHeaders, responsesUrl, type ResponsesTarget, type TurnState } from './requestTarget.js';
import { responseEvents } from './responseEvents.js';
import { backoffDelayMs, retryAfterMs, retryWithBackoff } from './retry.js';
import { sseMessages } from './sseStream.js';

/** Most of an error body kept for the error message; the rest is read and dropped. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Response headers with lower-case names and one value each. */
export type ResponseHeaders = Readonly<Record<string, string | undefined>>;

/** A 2xx answer whose body is still to be read. */
export interface StreamingResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The body chunks; unsubscribing before the end aborts the request. Subscribe at most once. */
  readonly body: Observable<Buffer>;
  /** Aborts the request unless the body was read to the end; whoever takes the response must call it when done. */
  readonly abort: () => void;
}

/**
 * Node's header object with one string per header.
 *
 * @example
 * flatHeaders(res.headers)['retry-after']; // '2'
 */
export const flatHeaders = (headers: http.IncomingHttpHeaders): ResponseHeaders =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));

/**
 * The text of an error answer, cut at 64 KiB (the rest is read and dropped so the connection can be reused).
 *
 * @example
 * const text = await readErrorBody(res);
 */
export const readErrorBody = (res: http.IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    const parts: Buffer[] = [];
    let kept = 0;
    res.on('data', (chunk: Buffer) => {
      if (kept < MAX_ERROR_BODY_BYTES) parts.push(chunk.subarray(0, MAX_ERROR_BODY_BYTES - kept));
      kept += chunk.length;
    });
    const done = (): void => resolve(Buffer.concat(parts).toString('utf8'));
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });

/**
 * `POST`s `body` and emits the response once its headers arrive, then completes; from then on
 * the request belongs to the receiver, who reads `body` and calls `abort` when done with it. Fails with `connectionFailed` when no response
 * comes, and with the mapped status error (`httpStatusError`) for a non-2xx answer. Unsubscribing
 * before the headers arrive aborts the request.
 *
 * @example
 * postForStream(url, headers, JSON.stringify(body), () => new Date())
 *   .pipe(switchMap((res) => res.body)).subscribe((chunk) => parser.feed(chunk.toString()));
 */
export const postForStream = (url: URL, headers: Readonly<Record<string, string>>, body: string, now: () => Date): Observable<StreamingResponse> =>
  new Observable<StreamingResponse>((subscriber) => {
    const payload = Buffer.from(body, 'utf8');
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(payload.length) } });
    let handedOver = false;
    // After the hand-over, transport errors belong to whoever reads the body.
    let bodyError: ((error: Error) => void) | undefined;

    req.on('error', (error) => {
      if (!handedOver) subscriber.error(connectionFailed(error));
      else bodyError?.(error);
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const responseHeaders = flatHeaders(res.headers);
      if (status < 200 || status >= 300) {
        void readErrorBody(res).then((text) =>
          subscriber.error(httpStatusError({ status, body: text, url: url.href, headers: responseHeaders, retryAfterMs: retryAfterMs(responseHeaders, now()), now: now() })),
        );
        return;
      }
      handedOver = true;
      const abort = (): void => {
        if (!res.complete) req.destroy();
      };
      const requestId = responseHeaders['x-request-id'] ?? responseHeaders['x-oai-request-id'];
      const bodyChunks = new Observable<Buffer>((reader) => {
        bodyError = (error) => reader.error(streamFailed(error, status, requestId));
        res.on('data', (chunk: Buffer) => reader.next(chunk));
        res.on('end', () => reader.complete());
        res.on('error', (error) => reader.error(streamFailed(error, status, requestId)));
        res.on('close', () => {
          if (!res.complete) reader.error(streamFailed(new Error('connection closed before the response ended'), status, requestId));
        });
        return abort;
      });
      subscriber.next({ status, headers: responseHeaders, body: bodyChunks, abort });
      subscriber.complete();
    });
    req.end(payload);
    return () => {
      if (!handedOver) req.destroy();
    };
  });

/**
 * The events a response's headers carry (SPEC §12.3): the rate-limit snapshots (always, as the
 * reference reports them), the models ETag and the reasoning-included hint; the turn-state token
 * is kept in `turnState` for the next requests of the turn.
 *
 * @example
 * headerEvents({ 'x-models-etag': 'abc' }); // [{ type: 'rateLimits', … }, { type: 'modelsEtag', etag: 'abc' }]
 */
export const headerEvents = (headers: ResponseHeaders, turnState?: TurnState): ModelEvent[] => {
  turnState?.capture(headers['x-codex-turn-state']);
  const events: ModelEvent[] = [{ type: 'rateLimits', snapshots: rateLimitsFromHeaders(headers) }];
  const etag = headers['x-models-etag']?.trim();
  if (etag) events.push({ type: 'modelsEtag', etag });
  if (headers['x-reasoning-included'] !== undefined) events.push({ type: 'serverReasoningIncluded' });
  return events;
};

/** What an attempt needs besides the target: the time source and the jitter. */
export interface AttemptClock {
  readonly scheduler: SchedulerLike;
  readonly random: () => number;
}

/** HTTP-level retries (SPEC §12.4): 5xx, 429 without a usage reason, and failed connections. */
const retriedPerRequest = (error: ModelError): boolean =>
  error.kind === 'connectionFailed' || error.kind === 'retryLimit' || (error.status !== undefined && error.status >= 500);

/**
 * One streamed response over HTTP: `POST {base_url}/responses` as SSE, with the HTTP-level retry
 * (up to `request_max_retries`, honouring `Retry-After`), the 401 recovery, the idle timeout
 * (also while waiting for the headers) and the completion rules of `responseEvents`. The
 * stream-level retry is the caller's (`streamResponses`).
 *
 * @example
 * httpResponseEvents(JSON.stringify(responsesBody(request)), target, { scheduler: asyncScheduler, random: Math.random });
 */
export const httpResponseEvents = (body: string, target: ResponsesTarget, clock: AttemptClock): Observable<ModelEvent> => {
  const { provider } = target;
  const now = (): Date => new Date(clock.scheduler.now());
  const open = (): Observable<StreamingResponse> =>
    defer(() => requestCredentials(target)).pipe(
      switchMap((credentials) =>
        postForStream(responsesUrl(provider, credentials, 'http'), requestHeaders(target, credentials, { transport: 'http' }), body, now).pipe(
          idleTimeout(provider.streamIdleTimeoutMs, clock.scheduler),
        ),
      ),
    );
  return withUnauthorizedRecovery(open, target.auth).pipe(
    retryWithBackoff({
      maxRetries: provider.requestMaxRetries,
      isError: (error): error is ModelError => error instanceof ModelError,
      retryable: retriedPerRequest,
      delayMs: (error, retry) => error.retryAfterMs ?? backoffDelayMs(retry, clock.random),
      scheduler: clock.scheduler,
    }),
    // `abort` in `finalize`: the consumer may leave during the header events, before the body is subscribed.
    switchMap((response) =>
      concat(
        of(...headerEvents(response.headers, target.context.turnState)),
        response.body.pipe(
          sseMessages(),
          map((message) => message.data),
          idleTimeout(provider.streamIdleTimeoutMs, clock.scheduler),
          responseEvents(now),
        ),
      ).pipe(finalize(response.abort)),
    ),
  );
};
