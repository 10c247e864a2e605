import { existsSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigOverride } from '../config/cliOverrides.js';
import { codexHomeOf } from '../config/codexHome.js';
import { rememberStartupWarnings } from '../config/startupWarnings.js';
import { log } from '../log.js';
import { OFFLINE_BANNER, OFFLINE_DEMO_ENV, offlineStartup } from '../model/replay/offlineDefault.js';
import { AppServer } from '../server/appServer.js';
import { ProcessIdentity } from '../server/identity.js';
import { initialize } from '../server/methods/initialize.js';
import { realWorld } from '../threads/world.js';
import { listenWebSocket } from '../transport/websocket.js';
import { staticFiles } from './staticFiles.js';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  /** Bearer token websocket clients must present (required for non-loopback binds). */
  readonly token?: string;
  /** `-c key=value` flags. */
  readonly overrides: readonly ConfigOverride[];
  /** The browser client's files; default `dist/web/` of this installation. */
  readonly webRoot?: string;
  /** Extra origins allowed to open the websocket (`*` for any), e.g. a client's dev server. */
  readonly allowOrigins?: readonly string[];
}

/**
 * `dist/web/` of the installation this module runs from: the nearest `dist` folder above it
 * (the bundle is `dist/bundle/*.js`, the compiled module `dist/lib/serve/startServe.js`).
 */
export const defaultWebRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (basename(dir) === 'dist') return join(dir, 'web');
    const parent = dirname(dir);
    if (parent === dir) return join(dirname(fileURLToPath(import.meta.url)), '..', 'web');
    dir = parent;
  }
};

const WILDCARD = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);
const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** The address a browser on this machine opens: loopback for a wildcard bind. */
const pageUrl = (host: string, port: number): string =>
  `http://${WILDCARD.has(host) ? (host === '0.0.0.0' ? '127.0.0.1' : '[::1]') : urlHost(host)}:${port}/`;

/** For a wildcard bind, the origins a browser elsewhere on the network uses for the page: every interface address and the host name. */
const networkOrigins = (host: string, port: number): string[] => {
  if (!WILDCARD.has(host)) return [];
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => host !== '0.0.0.0' || a.family === 'IPv4')
    .map((a) => urlHost(a.address.replace(/%.*$/, '')));
  return [...addresses, hostname()].map((h) => `http://${h}:${port}`);
};

/**
 * `rxagent serve`: the app-server on a websocket (like `app-server --listen ws://…`) plus, on the
 * same port, the browser client's static files over HTTP; the page's own origin may open the
 * websocket. The offline default is on (RXAGENT_OFFLINE_DEMO=1 unless set): without credentials
 * the banner says so, sessions use the `replay` provider and `model/list` lists its demo model
 * first. Prints `listening on: ws://…` to stderr and `rxagent serve: open http://…/` to stdout;
 * runs until SIGTERM/SIGINT.
 */
export const startServe = async (options: ServeOptions): Promise<void> => {
  const env: NodeJS.ProcessEnv = { ...process.env, [OFFLINE_DEMO_ENV]: process.env[OFFLINE_DEMO_ENV] ?? '1' };
  const codexHome = codexHomeOf(env);
  const startup = offlineStartup({ codexHome, env, overrides: options.overrides });
  if (startup.offline) process.stderr.write(`${OFFLINE_BANNER}\n`);
  // The user's flags come last, so they win over the listing of the replay model.
  const cliOverrides = [...startup.overrides, ...options.overrides];
  const server = new AppServer({
    codexHome,
    env,
    cliOverrides,
    identity: new ProcessIdentity(env),
    world: realWorld,
    initialize,
    loadMethods: async () => (await import('../server/methods/index.js')).methodTable,
  });
  const startupConfig = { codexHome, cwd: process.cwd(), cliOverrides, env };
  rememberStartupWarnings(server, async () => (await import('../config/startupConfig.js')).startupConfigWarnings(startupConfig));

  const webRoot = options.webRoot ?? defaultWebRoot();
  const extraOrigins = options.allowOrigins ?? [];
  // Read at each upgrade: filled in once the port is known.
  const allowedOrigins: string[] = [];
  const stall = Number(env.RXAGENT_WS_STALL_TIMEOUT_MS);
  const listener = await listenWebSocket({
    host: options.host,
    port: options.port,
    token: options.token,
    requestHandler: staticFiles(webRoot),
    allowedOrigins: extraOrigins.includes('*') ? '*' : allowedOrigins,
    ...(stall > 0 ? { stallTimeoutMs: stall } : {}),
  });
  allowedOrigins.push(...extraOrigins, ...networkOrigins(options.host, listener.port));
  listener.connections$.subscribe((connection) => server.attach(connection));
  server.methodsReady().catch((err: unknown) => {
    log.error(`cannot load the method table: ${(err as Error)?.stack ?? String(err)}`);
    process.exit(1);
  });
  if (!existsSync(join(webRoot, 'index.html'))) log.warn(`the browser client is not built (no index.html in ${webRoot}); / explains how to build it`);
  log.info('rxagent serve (WebSockets and the browser client)');
  process.stderr.write(`listening on: ${listener.address}\n`);
  process.stdout.write(`rxagent serve: open ${pageUrl(options.host, listener.port)}\n`);
  const shutdown = (): void => void Promise.all([listener.close(), server.threads.closeAll()]).finally(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};
