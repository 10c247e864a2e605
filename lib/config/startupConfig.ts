import type { ConfigWarningNotification } from '../protocol/v2/notifications.js';
import type { ConfigOverride } from './cliOverrides.js';
import { ConfigLoadError } from './configError.js';
import { configSettings } from './configSettings.js';
import { effectiveConfig } from './effectiveConfig.js';

/** Where the server starts: its `CODEX_HOME`, its own cwd (project layers) and its `-c` flags. */
export interface StartupConfigOptions {
  readonly codexHome: string;
  readonly cwd: string;
  readonly cliOverrides: readonly ConfigOverride[];
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Loads the config once at start-up (SPEC §10.5) and returns what clients must be told after
 * each `initialize`: a config that cannot be loaded gives "Invalid configuration; using defaults."
 * with the error (and its file and range when known), so the server still starts; otherwise one
 * warning lists the disabled project folders, if any. Never rejects.
 *
 * @example
 * const warnings = await startupConfigWarnings({ codexHome, cwd: process.cwd(), cliOverrides, env: process.env });
 */
export const startupConfigWarnings = async (options: StartupConfigOptions): Promise<ConfigWarningNotification[]> => {
  try {
    const effective = await effectiveConfig(options);
    configSettings(effective);
    return [...effective.warnings];
  } catch (err) {
    const location = err instanceof ConfigLoadError && err.location ? { path: err.location.file, range: err.location.range } : {};
    return [{ summary: 'Invalid configuration; using defaults.', details: (err as Error)?.message ?? String(err), ...location }];
  }
};
