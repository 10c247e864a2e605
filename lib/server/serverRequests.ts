import { Observable } from 'rxjs';
import type { ConnectionSession } from './connectionSession.js';

/** A client answered a server request with a JSON-RPC error, or nobody could answer it. */
export class ServerRequestFailed extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly error?: unknown,
  ) {
    super(message);
    this.name = 'ServerRequestFailed';
  }
}

interface Pending {
  readonly method: string;
  readonly settle: (outcome: { result: unknown } | { error: unknown }) => void;
}

/**
 * Server → client requests correlated by id. Ids are integers from one process-wide counter
 * starting at 0 (SPEC §1.5). A request goes to every target connection; the first answer wins.
 * Answers are settled the moment their frame is read, never queued behind client requests, so a
 * handler waiting for an approval can't deadlock the connection.
 *
 * @example
 * requests.request([session], 'item/tool/call', params).pipe(timeout(10_000)).subscribe(...)
 */
export class ServerRequests {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  /** Cold: the request is sent on subscribe; unsubscribing forgets it (a late answer is logged and dropped). */
  request(targets: readonly ConnectionSession[], method: string, params: unknown): Observable<unknown> {
    return new Observable<unknown>((subscriber) => {
      if (targets.length === 0) {
        subscriber.error(new ServerRequestFailed(method, `no connected client can answer ${method}`));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, {
        method,
        settle: (outcome) => {
          if ('result' in outcome) {
            subscriber.next(outcome.result);
            subscriber.complete();
          } else {
            subscriber.error(new ServerRequestFailed(method, `client answered ${method} with an error`, outcome.error));
          }
        },
      });
      const frame = JSON.stringify({ method, id, params });
      for (const target of targets) target.connection.send(frame);
      // Nobody left to answer once every target has gone: fail instead of waiting forever.
      let open = targets.length;
      const watches = targets.map((target) =>
        target.connection.closed$.subscribe(() => {
          if (--open > 0 || !this.pending.delete(id)) return;
          subscriber.error(new ServerRequestFailed(method, `every client that could answer ${method} disconnected`));
        }),
      );
      return () => {
        this.pending.delete(id);
        watches.forEach((w) => w.unsubscribe());
      };
    });
  }

  /** Settles the pending request `id`; false when nothing waits for it (unknown or already answered). */
  settle(id: string | number, outcome: { result: unknown } | { error: unknown }): boolean {
    if (typeof id !== 'number') return false;
    const pending = this.pending.get(id);
    if (!pending) return false;
    this.pending.delete(id);
    pending.settle(outcome);
    return true;
  }

  get size(): number {
    return this.pending.size;
  }
}
