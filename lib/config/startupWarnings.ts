import type { ConfigWarningNotification } from '../protocol/v2/notifications.js';
import { log } from '../log.js';
import type { ServerContext } from '../server/serverContext.js';

// Kept apart from the loader, and free of its imports, so that `initialize` (loaded first, to
// answer fast) can announce the warnings without pulling in the config machinery.

interface StartupWarnings {
  settled?: readonly ConfigWarningNotification[];
  readonly ready: Promise<readonly ConfigWarningNotification[]>;
}

const byServer = new WeakMap<ServerContext, StartupWarnings>();

/**
 * Starts a server's start-up config load one event-loop turn later (so it never delays the first
 * `initialize` answer) and keeps its warnings (logged once) to announce after each `initialize`.
 *
 * @example
 * rememberStartupWarnings(server, async () => (await import('./startupConfig.js')).startupConfigWarnings(options));
 */
export const rememberStartupWarnings = (server: ServerContext, load: () => Promise<readonly ConfigWarningNotification[]>): void => {
  const entry: StartupWarnings = {
    ready: new Promise<void>((resolve) => setImmediate(resolve))
      .then(load)
      .then(
        (list) => {
          for (const warning of list) log.error(`${warning.summary}${warning.details ? ` ${warning.details}` : ''}`);
          return (entry.settled = list);
        },
        (err: unknown) => {
          log.error('start-up config load failed', { error: String(err) });
          return (entry.settled = []);
        },
      ),
  };
  byServer.set(server, entry);
};

/**
 * Broadcasts the start-up `configWarning`s to every initialized connection (SPEC §10.5); called
 * right after an `initialize` response. If the load is still running they follow when it ends.
 *
 * @example
 * ctx.afterResponse(() => announceStartupWarnings(ctx.server));
 */
export const announceStartupWarnings = (server: ServerContext): void => {
  const entry = byServer.get(server);
  if (!entry) return;
  const send = (list: readonly ConfigWarningNotification[]): void => {
    for (const warning of list) server.broadcast('configWarning', warning);
  };
  if (entry.settled) send(entry.settled);
  else void entry.ready.then(send);
};
