import { catchError, defer, from, Observable, switchMap, throwError } from 'rxjs';
import { ModelError, unauthorized } from './modelError.js';
import type { ModelAuth } from './requestTarget.js';

/**
 * Opens `open()` and, on each 401 (`ModelError` kind `unauthorized`), runs the next step of the
 * account's recovery (SPEC §9.5) and opens again while the step says so. Without recovery, or
 * once it has nothing left, the 401 error is re-thrown; a recovery that rejects becomes an
 * `unauthorized` error carrying its message. `open` is called anew for every try, so it must
 * fetch the credentials itself; each subscription starts the recovery again from step 1.
 *
 * @example
 * withUnauthorizedRecovery(() => defer(() => requestCredentials(target)).pipe(switchMap(post)), target.auth);
 */
export const withUnauthorizedRecovery = <T>(open: () => Observable<T>, auth: ModelAuth | undefined): Observable<T> => {
  const attempt = (step: number): Observable<T> =>
    defer(open).pipe(
      catchError((error: unknown) => {
        const recover = auth?.recoverUnauthorized?.bind(auth);
        if (!(error instanceof ModelError && error.kind === 'unauthorized') || recover === undefined) return throwError(() => error);
        return defer(() => from(recover(step))).pipe(
          catchError((failure: unknown) => throwError(() => unauthorized(failure instanceof Error ? failure.message : String(failure)))),
          switchMap((again) => (again ? attempt(step + 1) : throwError(() => error))),
        );
      }),
    );
  return attempt(1);
};
