#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { parseCliOverride, type ConfigOverride } from './config/cliOverrides.js';
import { log } from './log.js';
import { parseListenUrl } from './server/listenUrl.js';

const USAGE = `Usage:
  rxagent app-server [--listen stdio://|ws://IP:PORT] [--ws-token SECRET] [-c key=value ...]
  rxagent app-server generate-json-schema --out DIR [--experimental]
  rxagent app-server generate-ts --out DIR [--experimental]
`;

class UsageError extends Error {}

const main = async (argv: readonly string[]): Promise<void> => {
  const [command, ...rest] = argv;
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

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`rxagent: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  log.error((err as Error)?.message ?? String(err));
  process.exit(1);
});
