import type { ConfigOverride } from '../config/cliOverrides.js';
import { log } from '../log.js';
import { AppServer } from './appServer.js';
import { ProcessIdentity } from './identity.js';
import { realWorld } from '../threads/world.js';
import type { ListenTarget } from './listenUrl.js';
import { initialize } from './methods/initialize.js';
import { codexHomeOf } from '../config/codexHome.js';
import { rememberStartupWarnings } from '../config/startupWarnings.js';

export interface StartOptions {
  readonly target: ListenTarget;
  /** Bearer token websocket clients must present (required for non-loopback binds). */
  readonly token?: string;
  /** `-c key=value` flags, the session layer of the config (SPEC §10.1). */
  readonly overrides: readonly ConfigOverride[];
}

/**
 * Builds the server and serves it on the chosen transport. In stdio mode the process exits once
 * stdin closes and every answer is written (SPEC §1.2); a websocket server runs until killed.
 */
export const startAppServer = async (options: StartOptions): Promise<void> => {
  const server = new AppServer({
    codexHome: codexHomeOf(process.env),
    env: process.env,
    cliOverrides: options.overrides,
    identity: new ProcessIdentity(process.env),
    world: realWorld,
    initialize,
    // Everything but the handshake is loaded once the first connection is being served.
    loadMethods: async () => (await import('./methods/index.js')).methodTable,
  });
  // The start-up config load (SPEC §10.5) runs alongside serving; its warnings follow each initialize.
  const startupConfig = { codexHome: server.codexHome, cwd: process.cwd(), cliOverrides: options.overrides, env: process.env };
  rememberStartupWarnings(server, async () => (await import('../config/startupConfig.js')).startupConfigWarnings(startupConfig));
  if (options.target.kind === 'stdio') {
    const { stdioConnection } = await import('../transport/stdio.js');
    const connection = stdioConnection(process.stdin, process.stdout);
    // The empty write's callback runs once everything written before it has been flushed.
    connection.closed$.subscribe(() => {
      void server.threads.closeAll().finally(() => process.stdout.write('', () => process.exit(0)));
    });
    server.attach(connection);
    setImmediate(() => loadMethodsOrExit(server));
    return;
  }
  const { listenWebSocket } = await import('../transport/websocket.js');
  const stall = Number(process.env.RXAGENT_WS_STALL_TIMEOUT_MS);
  const listener = await listenWebSocket({
    host: options.target.host,
    port: options.target.port,
    token: options.token,
    ...(stall > 0 ? { stallTimeoutMs: stall } : {}),
  });
  listener.connections$.subscribe((connection) => server.attach(connection));
  loadMethodsOrExit(server);
  log.info('rxagent app-server (WebSockets)');
  process.stderr.write(`listening on: ${listener.address}\n`);
  const shutdown = (): void => void Promise.all([listener.close(), server.threads.closeAll()]).finally(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};

/** A method table that fails to load or check is a programming error: say so and stop. */
const loadMethodsOrExit = (server: AppServer): void => {
  server.methodsReady().catch((err: unknown) => {
    log.error(`cannot load the method table: ${(err as Error)?.stack ?? String(err)}`);
    process.exit(1);
  });
};
