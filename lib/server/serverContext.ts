import type { ConnectionSession } from './connectionSession.js';
import type { ProcessIdentity } from './identity.js';
import type { ServerRequests } from './serverRequests.js';

/** The process-wide services handlers share. */
export interface ServerContext {
  readonly identity: ProcessIdentity;
  readonly serverRequests: ServerRequests;
  /** Every open connection, initialized or not. */
  readonly sessions: ReadonlySet<ConnectionSession>;
  /** Sends a notification to every initialized connection that has not opted out of it. */
  broadcast(method: string, params: unknown): void;
}
