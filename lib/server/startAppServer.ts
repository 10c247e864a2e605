import type { ConfigOverride } from '../config/cliOverrides.js';
import { log } from '../log.js';
import { AppServer } from './appServer.js';
import { ProcessIdentity } from './identity.js';
import type { ListenTarget } from './listenUrl.js';
import { methodHandlers } from './methods/index.js';
import { codexHomeOf } from '../config/codexHome.js';

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
    handlers: methodHandlers,
  });
  if (options.target.kind === 'stdio') {
    const { stdioConnection } = await import('../transport/stdio.js');
    const connection = stdioConnection(process.stdin, process.stdout);
    // The empty write's callback runs once everything written before it has been flushed.
    connection.closed$.subscribe(() => process.stdout.write('', () => process.exit(0)));
    server.attach(connection);
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
  log.info('rxagent app-server (WebSockets)');
  process.stderr.write(`listening on: ${listener.address}\n`);
  const shutdown = (): void => void listener.close().finally(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};
