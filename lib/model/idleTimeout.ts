import { asyncScheduler, throwError, timeout, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { streamDisconnected } from './modelError.js';

/**
 * Fails a model stream that stays silent for `ms` (from subscription to the first value, and
 * between values) with the retryable "idle timeout waiting for SSE" error (SPEC §12.3). The
 * silence is measured on `scheduler`, so tests can run it in virtual time.
 *
 * @example
 * payloads$.pipe(idleTimeout(provider.streamIdleTimeoutMs));
 */
export const idleTimeout = <T>(ms: number, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<T> =>
  timeout({ each: ms, with: () => throwError(() => streamDisconnected('idle timeout waiting for SSE')), scheduler });
