import type { Connection } from '../transport/connection.js';

/**
 * What the server knows about one connection (SPEC §2.2): whether it completed `initialize`,
 * whether it opted into the experimental API, and which notification methods it opted out of.
 * Initialization is strictly per connection.
 */
export class ConnectionSession {
  initialized = false;
  experimentalApi = false;
  optOut: ReadonlySet<string> = new Set();
  /** Requests of this connection being handled. */
  inflight = 0;
  /** The peer stopped sending (stdin EOF): close once `inflight` reaches 0. */
  draining = false;

  constructor(readonly connection: Connection) {}

  get id(): number {
    return this.connection.id;
  }

  /** Sends a notification unless this connection opted out of its method (exact names only). */
  notify(method: string, params: unknown): void {
    if (this.optOut.has(method)) return;
    this.connection.send(JSON.stringify(params === undefined ? { method } : { method, params }));
  }
}
