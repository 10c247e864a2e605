import type { Observable, Subscription } from 'rxjs';

/**
 * Runs `handle` on each value of `source` in order: synchronously while it returns nothing, and
 * queueing later values (in a head-indexed array, no O(n) shifts) while a returned promise is
 * pending. Resolves when the source completes and everything was handled; rejects on the first
 * error of either, and then stops the source.
 *
 * `concatMap` would do the same with an inner observable per value; model streams deliver tens
 * of thousands of deltas whose handling is synchronous, and this keeps them off any buffer.
 *
 * @example
 * await inOrder(modelEvents$, (event) => (event.persist ? thread.persist(event.lines) : notify(event)));
 */
export const inOrder = <T>(source: Observable<T>, handle: (value: T) => Promise<void> | void): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const queue: T[] = [];
    let head = 0;
    let busy = false;
    let done = false;
    let failed = false;
    let subscription: Subscription | undefined;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      subscription?.unsubscribe();
      reject(err);
    };
    const drain = (): void => {
      while (!busy && !failed) {
        if (head === queue.length) {
          queue.length = 0;
          head = 0;
          if (done) resolve();
          return;
        }
        const value = queue[head++]!;
        let out: Promise<void> | void;
        try {
          out = handle(value);
        } catch (err) {
          fail(err);
          return;
        }
        if (out) {
          busy = true;
          out.then(() => {
            busy = false;
            drain();
          }, fail);
        }
      }
    };
    subscription = source.subscribe({
      next: (value) => {
        queue.push(value);
        drain();
      },
      error: fail,
      complete: () => {
        done = true;
        drain();
      },
    });
    if (failed) subscription.unsubscribe();
  });
