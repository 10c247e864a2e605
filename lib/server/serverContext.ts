import type { ConfigOverride } from '../config/cliOverrides.js';
import type { ThreadIndexHooks } from '../threads/threadIndexHooks.js';
import type { ThreadManager } from '../threads/threadManager.js';
import type { World } from '../threads/world.js';
import type { ConnectionSession } from './connectionSession.js';
import type { ProcessIdentity } from './identity.js';
import type { ServerRequests } from './serverRequests.js';

/** The process-wide services handlers share. */
export interface ServerContext {
  /** `CODEX_HOME` (default `~/.codex`): rollouts, config.toml, auth.json live here. */
  readonly codexHome: string;
  /** The process environment, injected so tests can pass their own. */
  readonly env: NodeJS.ProcessEnv;
  /** `-c key=value` flags: the session layer of the config (SPEC §10.1). */
  readonly cliOverrides: readonly ConfigOverride[];
  readonly identity: ProcessIdentity;
  /** Clock and id source. */
  readonly world: World;
  /** The loaded threads and their subscribers. */
  readonly threads: ThreadManager;
  /** Keeps the thread-listing index current with this server's writes. */
  readonly threadIndex: ThreadIndexHooks;
  readonly serverRequests: ServerRequests;
  /** Every open connection, initialized or not. */
  readonly sessions: ReadonlySet<ConnectionSession>;
  /** Sends a notification to every initialized connection that has not opted out of it. */
  broadcast(method: string, params: unknown): void;
}
