import { loadStoredAuth } from '../../auth/authStore.js';
import { readUserConfig } from '../../auth/userConfig.js';
import type { ConfigOverride } from '../../config/cliOverrides.js';
import type { ConfigSettings } from '../../config/configSettings.js';
import type { EffectiveConfig } from '../../config/effectiveConfig.js';
import type { ModelCatalog } from '../modelCatalog.js';
import { REPLAY_MODEL, REPLAY_PROVIDER_ID } from './replayProvider.js';

// The offline default: with no way to reach a real model (no `OPENAI_API_KEY`, no stored login,
// no `model_provider` configured), sessions use the built-in `replay` provider and its demo
// model instead of failing at the first turn. `rxagent serve` turns it on; `app-server` keeps the
// reference's behaviour unless RXAGENT_OFFLINE_DEMO=1.

/** `1`: the offline default applies; anything else: it does not. `rxagent serve` sets `1` unless already set. */
export const OFFLINE_DEMO_ENV = 'RXAGENT_OFFLINE_DEMO';

/** What `rxagent serve` prints to stderr when it starts without credentials. */
export const OFFLINE_BANNER =
  'rxagent: no credentials configured — using the offline "replay" demo model (scripted answers bundled with rxagent; no network). ' +
  'Set OPENAI_API_KEY or sign in, then start a new thread, to use a real model.';

type Table = Readonly<Record<string, unknown>>;
const isTable = (u: unknown): u is Table => typeof u === 'object' && u !== null && !Array.isArray(u) && !(u instanceof Date);
const nonBlank = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

/**
 * Whether a real model can be reached with the OpenAI provider: `OPENAI_API_KEY` is set, or
 * `CODEX_HOME/auth.json` holds a login (an unreadable file counts: the user meant to sign in).
 *
 * @example
 * hasCredentials('/tmp/empty-home', {}); // false
 * hasCredentials('/tmp/empty-home', { OPENAI_API_KEY: 'sk-…' }); // true
 */
export const hasCredentials = (codexHome: string, env: NodeJS.ProcessEnv): boolean => {
  if (nonBlank(env.OPENAI_API_KEY)) return true;
  try {
    return loadStoredAuth(codexHome) !== undefined;
  } catch {
    return true;
  }
};

/** Whether a config (merged layers, typed overrides, selected profile) sets `model_provider`. */
const configuresProvider = (config: Table, typed: Table = {}): boolean => {
  const profileName = typed.profile ?? config.profile;
  const profiles = isTable(config.profiles) ? config.profiles : {};
  const profile = typeof profileName === 'string' && isTable(profiles[profileName]) ? (profiles[profileName] as Table) : {};
  return [typed.model_provider, profile.model_provider, config.model_provider].some(nonBlank);
};

/** Whether the offline default is on for this process (see {@link OFFLINE_DEMO_ENV}). */
export const offlineDemoEnabled = (env: NodeJS.ProcessEnv): boolean => env[OFFLINE_DEMO_ENV] === '1';

/** What {@link defaultProviderWhenUnconfigured} looks at besides the settings. */
export interface OfflineDefaultContext {
  readonly effective: Pick<EffectiveConfig, 'config' | 'typedOverrides'>;
  readonly catalog: ModelCatalog;
  readonly codexHome: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A session's config with the offline default applied (called by `resolveSession`). When no
 * `model_provider` is configured:
 * - the model `replay-demo` (asked for explicitly) runs on the `replay` provider;
 * - with the offline default on and no credentials, the provider is `replay` and the model
 *   `replay-demo` unless one is configured.
 * A model left to the catalog's default is never the replay model on another provider (the
 * picker lists it first only while `rxagent serve` runs offline; a later login makes the default
 * the first real model again). Otherwise the config is returned as it is.
 *
 * @example
 * defaultProviderWhenUnconfigured(configSettings(effective), { effective, catalog, codexHome, env: { RXAGENT_OFFLINE_DEMO: '1' } });
 * // { …, modelProvider: 'replay', model: 'replay-demo' } with an empty CODEX_HOME
 */
export const defaultProviderWhenUnconfigured = (config: ConfigSettings, context: OfflineDefaultContext): ConfigSettings => {
  const { effective, catalog, codexHome, env } = context;
  if (!configuresProvider(effective.config, effective.typedOverrides)) {
    if (config.model === REPLAY_MODEL) return { ...config, modelProvider: REPLAY_PROVIDER_ID };
    if (offlineDemoEnabled(env) && !hasCredentials(codexHome, env)) {
      return { ...config, modelProvider: REPLAY_PROVIDER_ID, model: config.model ?? REPLAY_MODEL };
    }
  }
  if (config.model !== undefined || config.modelProvider === REPLAY_PROVIDER_ID) return config;
  const picker = catalog.pickerModels(null);
  if (picker.find((m) => m.isDefault)?.model !== REPLAY_MODEL) return config;
  const real = picker.find((m) => m.model !== REPLAY_MODEL);
  return real ? { ...config, model: real.model } : config;
};

/** How `rxagent serve` starts: offline or not, and the `-c` overrides that list the replay model. */
export interface OfflineStartup {
  readonly offline: boolean;
  /** Overrides to add to the user's: the replay model listed first in `model/list` when offline. */
  readonly overrides: readonly ConfigOverride[];
}

/**
 * Whether a server starting now would use the offline default (on, no credentials, no
 * `model_provider` in `config.toml` or the `-c` flags) and, if so, the overrides that make
 * `model/list` offer the replay model as the default. A malformed `config.toml` counts as
 * configured (its own error is reported elsewhere).
 *
 * @example
 * offlineStartup({ codexHome, env: { RXAGENT_OFFLINE_DEMO: '1' }, overrides: [] }).offline; // true with an empty CODEX_HOME
 */
export const offlineStartup = (options: { codexHome: string; env: NodeJS.ProcessEnv; overrides: readonly ConfigOverride[] }): OfflineStartup => {
  if (!offlineDemoEnabled(options.env) || hasCredentials(options.codexHome, options.env)) return { offline: false, overrides: [] };
  let config: Table;
  try {
    config = readUserConfig({ codexHome: options.codexHome, cliOverrides: options.overrides });
  } catch {
    return { offline: false, overrides: [] };
  }
  if (configuresProvider(config)) return { offline: false, overrides: [] };
  return {
    offline: true,
    overrides: [
      { path: ['models', REPLAY_MODEL, 'visibility'], value: 'list' },
      { path: ['models', REPLAY_MODEL, 'priority'], value: -1 },
    ],
  };
};
