import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** The config file name in every config folder (system, `CODEX_HOME`, project `.codex/`). */
export const CONFIG_TOML = 'config.toml';

/** Admin requirements next to the system config (SPEC §10.4). */
export const REQUIREMENTS_TOML = 'requirements.toml';

/**
 * The system config folder: `/etc/codex`, or `RXAGENT_SYSTEM_CONFIG_DIR` when set (tests point it
 * at a temporary folder so the machine's own `/etc/codex` never leaks in).
 *
 * @example
 * systemConfigDir({ RXAGENT_SYSTEM_CONFIG_DIR: '/tmp/x' }); // '/tmp/x'
 */
export const systemConfigDir = (env: NodeJS.ProcessEnv): string =>
  env.RXAGENT_SYSTEM_CONFIG_DIR ? resolve(env.RXAGENT_SYSTEM_CONFIG_DIR) : '/etc/codex';

/**
 * The user config file, `$CODEX_HOME/config.toml`: the only file config writes may touch.
 *
 * @example
 * userConfigFile('/home/u/.codex'); // '/home/u/.codex/config.toml'
 */
export const userConfigFile = (codexHome: string): string => join(resolve(codexHome), CONFIG_TOML);

/**
 * An absolute, normalized path: `~` and `~/…` expand to the home folder, relative paths resolve
 * against `base`.
 *
 * @example
 * absolutePath('~/proj', '/srv', { HOME: '/home/u' }); // '/home/u/proj'
 */
export const absolutePath = (path: string, base: string, env: NodeJS.ProcessEnv): string => {
  if (path === '~' || path.startsWith('~/')) return join(env.HOME ?? homedir(), path.slice(1));
  return isAbsolute(path) ? resolve(path) : resolve(base, path);
};
