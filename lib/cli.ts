#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { parseCliOverride, type ConfigOverride } from './config/cliOverrides.js';
import { log } from './log.js';
import { parseListenUrl } from './server/listenUrl.js';

const USAGE = `Usage:
  rxagent app-server [--listen stdio://|ws://IP:PORT] [--ws-token SECRET] [-c key=value ...]
  rxagent app-server generate-json-schema --out DIR [--experimental]
  rxagent app-server generate-ts --out DIR [--experimental]
  rxagent serve [--listen ws://IP:PORT] [--ws-token SECRET] [-c key=value ...] [--web-root DIR] [--allow-origin ORIGIN ...]
  rxagent replay <rollout.jsonl | thread-id> [--turns | --notifications [--follow] | --history]
`;

class UsageError extends Error {}

const main = async (argv: readonly string[]): Promise<void> => {
  const [command, ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === 'replay') return replay(rest);
  if (command !== 'app-server') throw new UsageError(command ? `unknown command \`${command}\`` : 'missing command');
  const sub = rest[0];
  if (sub === 'generate-json-schema' || sub === 'generate-ts') return generate(sub, rest.slice(1));
  return appServer(rest);
};

const generate = async (sub: 'generate-json-schema' | 'generate-ts', args: readonly string[]): Promise<void> => {
  const { values } = parseArgs({
    args: [...args],
    options: { out: { type: 'string', short: 'o' }, experimental: { type: 'boolean', default: false } },
  });
  if (!values.out) throw new UsageError(`${sub} needs --out DIR`);
  // Loaded on demand: the schema walkers are not needed to serve requests.
  const schema = await import('./protocol/schemaExport.js');
  if (sub === 'generate-json-schema') await schema.writeJsonSchema(values.out, values.experimental ?? false);
  else await schema.writeTypeScript(values.out, values.experimental ?? false);
};

const replay = async (args: readonly string[]): Promise<void> => {
  // A reader that stops early (`| head`, a closed `--follow` pipe) ends the replay, not as a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  // Loaded on demand: a replay needs the reducers, none of the server.
  const { replayCommand } = await import('./replay/replayCommand.js');
  process.exitCode = await replayCommand(args, process);
};

const appServer = async (args: readonly string[]): Promise<void> => {
  const { values } = parseArgs({
    args: [...args],
    options: {
      listen: { type: 'string', default: 'stdio://' },
      'ws-token': { type: 'string' },
      config: { type: 'string', short: 'c', multiple: true, default: [] },
    },
  });
  const target = parseListenUrl(values.listen ?? 'stdio://');
  const overrides: ConfigOverride[] = (values.config ?? []).map(parseCliOverride);
  const token = values['ws-token'] ?? process.env.RXAGENT_WS_TOKEN;
  const { startAppServer } = await import('./server/startAppServer.js');
  await startAppServer({ target, token, overrides });
};

/** `rxagent serve`: the websocket app-server plus the browser client over HTTP on the same port (default 127.0.0.1:4500). */
const serve = async (args: readonly string[]): Promise<void> => {
  const { values } = parseArgs({
    args: [...args],
    options: {
      listen: { type: 'string', default: 'ws://127.0.0.1:4500' },
      'ws-token': { type: 'string' },
      config: { type: 'string', short: 'c', multiple: true, default: [] },
      'web-root': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true, default: [] },
    },
  });
  const target = parseListenUrl(values.listen ?? 'ws://127.0.0.1:4500');
  if (target.kind !== 'websocket') throw new UsageError('serve listens on a websocket: --listen ws://IP:PORT');
  const overrides: ConfigOverride[] = (values.config ?? []).map(parseCliOverride);
  const token = values['ws-token'] ?? process.env.RXAGENT_WS_TOKEN;
  const webRoot = values['web-root'] ?? process.env.RXAGENT_WEB_ROOT;
  // Loaded on demand, like the app-server.
  const { startServe } = await import('./serve/startServe.js');
  await startServe({ host: target.host, port: target.port, token, overrides, webRoot, allowOrigins: values['allow-origin'] ?? [] });
};

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`rxagent: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  log.error((err as Error)?.message ?? String(err));
  process.exit(1);
});
