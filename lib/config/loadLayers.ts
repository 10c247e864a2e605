import { join, resolve } from 'node:path';
import type { ConfigOverride } from './cliOverrides.js';
import { configLayer, type ConfigLayerEntry } from './configLayer.js';
import { CONFIG_TOML, systemConfigDir, userConfigFile } from './configPaths.js';
import { mergeTables } from './merge.js';
import { projectLayers } from './projectLayers.js';
import { resolveLayerPaths } from './resolvePaths.js';
import { sessionFlagsTable } from './sessionFlags.js';
import { readTomlFile } from './tomlFile.js';

/** Where the layers come from. */
export interface LayerSources {
  readonly codexHome: string;
  /** Absolute working folder; without it the stack is "thread-agnostic" (no project layers). */
  readonly cwd?: string;
  /** `-c key=value` flags of the process. */
  readonly cliOverrides: readonly ConfigOverride[];
  /** A request's `config` map (dotted keys), applied after the `-c` flags. */
  readonly requestConfig?: Readonly<Record<string, unknown>>;
  /** For `~` expansion and `RXAGENT_SYSTEM_CONFIG_DIR`; defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Loads the config layer stack of SPEC §10.1, lowest precedence first: system
 * (`/etc/codex/config.toml`), user (`$CODEX_HOME/config.toml`), the project `.codex/` folders from
 * the project root down to `cwd` (when a cwd is given), then the session flags (only when there
 * are any). System and user layers are always present, empty when their file is missing.
 * Unreadable or malformed files throw `ConfigLoadError`.
 *
 * @example
 * const layers = await loadConfigLayers({ codexHome, cwd: '/repo/pkg', cliOverrides: [] });
 */
export const loadConfigLayers = async (sources: LayerSources): Promise<ConfigLayerEntry[]> => {
  const env = sources.env ?? process.env;
  const codexHome = resolve(sources.codexHome);
  const systemDir = systemConfigDir(env);
  const systemFile = join(systemDir, CONFIG_TOML);
  const userFile = userConfigFile(codexHome);
  const [system, user] = await Promise.all([readTomlFile(systemFile), readTomlFile(userFile)]);
  const layers = [
    configLayer({ type: 'system', file: systemFile }, resolveLayerPaths(system?.table ?? {}, systemDir, env)),
    configLayer({ type: 'user', file: userFile }, resolveLayerPaths(user?.table ?? {}, codexHome, env)),
  ];
  const flags = sessionFlagsTable(sources.cliOverrides, sources.requestConfig);
  // Relative paths in flags mean "relative to where the session works".
  const flagsLayer = Object.keys(flags).length === 0
    ? undefined
    : configLayer({ type: 'sessionFlags' }, resolveLayerPaths(flags, sources.cwd ?? codexHome, env));
  if (sources.cwd !== undefined) {
    const mergedBelow = [...layers, ...(flagsLayer ? [flagsLayer] : [])].reduce((acc, l) => mergeTables(acc, l.config), {});
    layers.push(...(await projectLayers({ cwd: sources.cwd, codexHome, mergedBelow, userConfigFile: userFile, env })));
  }
  if (flagsLayer) layers.push(flagsLayer);
  return layers;
};
