import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { ConfigOverride } from '../config/cliOverrides.js';
import { rpcError } from '../server/rpcError.js';

// A deliberately minimal reader of the user layer (`CODEX_HOME/config.toml` plus `-c` flags) for
// the keys accounts, the model catalog and thread listing need. It is read on every call so that edits (by the
// user, another process or `config/value/write`) take effect at once. The layered config of
// SPEC §10.1 replaces it once that lands.

/** A parsed TOML table. */
export type TomlTable = Readonly<Record<string, unknown>>;

/** The account-related settings of SPEC §9. */
export interface AuthSettings {
  readonly forcedLoginMethod: 'chatgpt' | 'api' | null;
  readonly forcedChatgptWorkspaceId: string | null;
  /** Whether the active model provider needs OpenAI credentials (`account/read`'s `requiresOpenaiAuth`). */
  readonly requiresOpenaiAuth: boolean;
  readonly chatgptBaseUrl: string;
}

const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api/';
/** The reference's built-in providers: only `openai` needs OpenAI credentials. */
const BUILT_IN_PROVIDERS: Readonly<Record<string, boolean>> = { openai: true, oss: false, ollama: false, lmstudio: false };

const table = (value: unknown): TomlTable =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) ? (value as TomlTable) : {};
const nonEmptyString = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

const setAt = (root: Record<string, unknown>, path: readonly string[], value: unknown): void => {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...(next as object) } : {};
  }
  node[path[path.length - 1]!] = value;
};

/**
 * `CODEX_HOME/config.toml` with the `-c` overrides applied; an empty table when the file is
 * missing. A malformed file is a `-32603` error naming the line, never quoting it (it may hold a
 * secret such as a provider's bearer token).
 *
 * @example
 * readUserConfig({ codexHome: '/home/u/.codex', cliOverrides: [] }).model; // 'gpt-5.2-codex'
 */
export const readUserConfig = (source: { readonly codexHome: string; readonly cliOverrides: readonly ConfigOverride[] }): TomlTable => {
  const file = join(source.codexHome, 'config.toml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw rpcError.internal(`failed to read ${file}: ${(err as Error).message}`);
    text = '';
  }
  let config: Record<string, unknown>;
  try {
    config = { ...parse(text) };
  } catch (err) {
    const where = err instanceof TomlError ? ` at line ${err.line}, column ${err.column}` : '';
    const reason = (err as Error).message.split('\n')[0];
    throw rpcError.internal(`failed to parse ${file}${where}: ${reason}`);
  }
  for (const override of source.cliOverrides) setAt(config, override.path, override.value);
  return config;
};

/** A key of the active profile (`profile = "<name>"`), else of the top level. */
const activeProfilePick = (config: TomlTable): ((key: string) => unknown) => {
  const profile = typeof config.profile === 'string' ? table(table(config.profiles)[config.profile]) : {};
  return (key) => profile[key] ?? config[key];
};

/**
 * The configured model provider: `model_provider` of the active profile, else of the top level,
 * else `openai` (what `thread/list` filters by when the client names no provider).
 *
 * @example
 * configuredProvider(readUserConfig(server)); // 'openai'
 */
export const configuredProvider = (config: TomlTable): string => nonEmptyString(activeProfilePick(config)('model_provider')) ?? 'openai';

/**
 * The account settings of a config (SPEC §9): the active profile's provider and ChatGPT base URL
 * win over the top-level ones; an unknown `forced_login_method` is ignored.
 *
 * @example
 * authSettings({ forced_login_method: 'api' }).forcedLoginMethod; // 'api'
 */
export const authSettings = (config: TomlTable): AuthSettings => {
  const pick = activeProfilePick(config);
  const forced = config.forced_login_method;
  const providerId = configuredProvider(config);
  const provider = table(table(config.model_providers)[providerId]);
  return {
    forcedLoginMethod: forced === 'chatgpt' || forced === 'api' ? forced : null,
    forcedChatgptWorkspaceId: nonEmptyString(config.forced_chatgpt_workspace_id),
    requiresOpenaiAuth: BUILT_IN_PROVIDERS[providerId] ?? provider.requires_openai_auth === true,
    chatgptBaseUrl: nonEmptyString(pick('chatgpt_base_url')) ?? DEFAULT_CHATGPT_BASE_URL,
  };
};

/**
 * The `[models]` table: rxagent's own config key for model catalog entries, keyed by slug (see
 * `lib/model/modelCatalog.ts`).
 *
 * @example
 * modelEntries(readUserConfig(server)); // { 'my-model': { display_name: 'Mine', … } }
 */
export const modelEntries = (config: TomlTable): TomlTable => table(config.models);
