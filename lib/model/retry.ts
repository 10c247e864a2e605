import { asyncScheduler, catchError, concat, defer, EMPTY, ignoreElements, Observable, of, throwError, timer, type OperatorFunction, type SchedulerLike } from 'rxjs';

/** First retry delay of both retry layers (SPEC §12.4). */
export const BASE_RETRY_DELAY_MS = 200;
/** A `Retry-After` longer than this is shortened to it, so one answer cannot stall a turn for hours. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * The reference's backoff (SPEC §12.4): `base × 2^(retry−1)` scaled by a jitter in [0.9, 1.1),
 * where `random` supplies a number in [0, 1). Retries count from 1.
 *
 * @example
 * backoffDelayMs(1, () => 0.5); // 200
 * backoffDelayMs(3, () => 0);   // 720
 */
export const backoffDelayMs = (retry: number, random: () => number, baseMs: number = BASE_RETRY_DELAY_MS): number => {
  const jitter = 0.9 + 0.2 * random();
  return Math.floor(baseMs * 2 ** Math.max(0, retry - 1) * jitter);
};

/**
 * The delay a response asks for: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP
 * date (relative to `now`); capped at {@link MAX_RETRY_AFTER_MS}. Header names in lower case.
 *
 * @example
 * retryAfterMs({ 'retry-after': '2' }, new Date()); // 2000
 */
export const retryAfterMs = (headers: Readonly<Record<string, string | undefined>>, now: Date): number | undefined => {
  const cap = (ms: number): number => Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
  const ms = headers['retry-after-ms']?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return cap(Number(ms));
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return cap(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : cap(date - now.getTime());
};

/** One retry about to happen: the error that caused it and how long the wait is. */
export interface RetryStep<E> {
  /** 1 for the first retry. */
  readonly retry: number;
  readonly maxRetries: number;
  readonly delayMs: number;
  readonly error: E;
}

/** When and how {@link retryWithBackoff} tries again. */
export interface RetryPolicy<E, N> {
  readonly maxRetries: number;
  /** Narrows the errors the policy knows; other errors pass through untouched. */
  readonly isError: (error: unknown) => error is E;
  readonly retryable: (error: E) => boolean;
  /** The wait before retry number `retry` (from 1). */
  readonly delayMs: (error: E, retry: number) => number;
  /** A value to emit before each wait, so consumers can report the retry in order with the data. */
  readonly notice?: (step: RetryStep<E>) => N;
  readonly scheduler?: SchedulerLike;
}

/**
 * Resubscribes to the source after a retryable error, up to `maxRetries` times, waiting
 * `delayMs` on the scheduler each time; when a `notice` is given it is emitted before the wait.
 * The error that exhausts the budget, or any error the policy does not retry, is re-thrown as is.
 * Values of failed attempts are not taken back: consumers see each attempt's values, then the
 * notice, then the next attempt's.
 *
 * @example
 * defer(() => openStream()).pipe(
 *   retryWithBackoff({ maxRetries: 5, isError: isModelError, retryable: (e) => e.retryable,
 *                      delayMs: (e, n) => e.retryAfterMs ?? backoffDelayMs(n, Math.random),
 *                      notice: (step) => ({ type: 'retrying', ...step }) }),
 * );
 */
export function retryWithBackoff<T, E, N = never>(policy: RetryPolicy<E, N>): OperatorFunction<T, T | N> {
  const scheduler = policy.scheduler ?? asyncScheduler;
  return (source) => {
    const attempt = (retriesSoFar: number): Observable<T | N> =>
      source.pipe(
        catchError((error: unknown) => {
          if (!policy.isError(error) || !policy.retryable(error) || retriesSoFar >= policy.maxRetries) return throwError(() => error);
          const retry = retriesSoFar + 1;
          const delayMs = policy.delayMs(error, retry);
          const notice: Observable<N> = policy.notice ? of(policy.notice({ retry, maxRetries: policy.maxRetries, delayMs, error })) : EMPTY;
          return concat(notice, timer(delayMs, scheduler).pipe(ignoreElements()), defer(() => attempt(retry)));
        }),
      );
    return attempt(0);
  };
}
