import * as E from 'fp-ts/lib/Either.js';
import { isHeaderValue } from '../server/identity.js';
import { VERSION } from '../version.js';
import { replayOptionsFromTable, REPLAY_PROVIDER_ID, type ReplayProviderOptions } from './replay/replayProvider.js';

// Model providers (SPEC §12.1, reference `core/src/model_provider_info.rs`): who rxagent sends
// Responses requests to, how it authenticates there and how patient it is. Built-in providers
// cannot be redefined by config: a `[model_providers.openai]` table is ignored, as in the
// reference, which merges user tables with "insert if absent".

/** Retries of one HTTP request on 5xx/transport errors when the provider does not say (SPEC §12.4). */
export const DEFAULT_REQUEST_MAX_RETRIES = 4;
/** Retries of a whole streamed response when the provider does not say (SPEC §12.4). */
export const DEFAULT_STREAM_MAX_RETRIES = 5;
/** How long a stream may stay silent before it is treated as lost (SPEC §12.3). */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
/** The reference caps both configured retry budgets at 100. */
const MAX_RETRIES = 100;

/** Base URL of the OpenAI API for API-key auth. */
export const OPENAI_API_BASE_URL = 'https://api.openai.com/v1';
/** Base URL of the Codex backend for ChatGPT auth. */
export const CHATGPT_CODEX_BASE_URL = 'https://chatgpt.com/backend-api/codex';

const DEFAULT_OLLAMA_PORT = 11434;
const DEFAULT_LMSTUDIO_PORT = 1234;

const CHAT_WIRE_API_REMOVED =
  '`wire_api = "chat"` is no longer supported.\nHow to fix: set `wire_api = "responses"` in your provider config.\nMore info: https://github.com/openai/codex/discussions/7782';

/**
 * A resolved model provider: a `[model_providers.<id>]` table or a built-in, with the
 * reference's defaults applied.
 */
export interface ModelProvider {
  /** The key it is known by (`model_provider = "<id>"`, `session_meta.model_provider`). */
  readonly id: string;
  readonly name: string;
  /** Without a trailing `/`; `undefined` = the OpenAI default for the auth mode (see `providerBaseUrl`). */
  readonly baseUrl: string | undefined;
  /** Environment variable holding the API key; required to be set when present. */
  readonly envKey: string | undefined;
  readonly envKeyInstructions: string | undefined;
  /** A bearer token written in config (the reference discourages it in favour of `env_key`). */
  readonly experimentalBearerToken: string | undefined;
  /** `replay`: the offline provider answering from scripts (`lib/model/replay/`), no network. */
  readonly wireApi: 'responses' | 'replay';
  /** The replay provider's options (`[model_providers.replay]`: `scripts`, `delay_ms`). */
  readonly replay?: ReplayProviderOptions;
  /** Appended to every request URL. */
  readonly queryParams: Readonly<Record<string, string>>;
  /** Sent with every request. */
  readonly httpHeaders: Readonly<Record<string, string>>;
  /** Header name → environment variable; sent when the variable is set and not blank. */
  readonly envHttpHeaders: Readonly<Record<string, string>>;
  readonly requestMaxRetries: number;
  readonly streamMaxRetries: number;
  readonly streamIdleTimeoutMs: number;
  /** Whether requests carry the signed-in account's credentials (API key or ChatGPT tokens). */
  readonly requiresOpenaiAuth: boolean;
  /** Whether the provider serves the Responses WebSocket endpoint (SPEC §12.6). */
  readonly supportsWebsockets: boolean;
  /** The built-in `openai` provider: falls back to `OPENAI_API_KEY` when nobody is signed in. */
  readonly isOpenai: boolean;
}

/**
 * A `model_provider` that names no provider, or a provider table rxagent cannot use.
 *
 * @example
 * try { resolveModelProvider(config, { env }); } catch (err) { if (err instanceof ModelProviderError) warn(err.message); }
 */
export class ModelProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelProviderError';
  }
}

/**
 * The provider's `env_key` is not set (or blank); the message names the variable, as the reference's.
 *
 * @example
 * new MissingEnvKeyError('AZURE_KEY', undefined).message; // 'Missing environment variable: `AZURE_KEY`.'
 */
export class MissingEnvKeyError extends ModelProviderError {
  constructor(
    readonly variable: string,
    instructions: string | undefined,
  ) {
    super(`Missing environment variable: \`${variable}\`.${instructions ? ` ${instructions}` : ''}`);
    this.name = 'MissingEnvKeyError';
  }
}

const nonBlank = (value: string | undefined): string | undefined => (value !== undefined && value.trim() !== '' ? value : undefined);
const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

const builtIn = (id: string, fields: Partial<ModelProvider> & Pick<ModelProvider, 'name'>): ModelProvider => ({
  id,
  baseUrl: undefined,
  envKey: undefined,
  envKeyInstructions: undefined,
  experimentalBearerToken: undefined,
  wireApi: 'responses',
  queryParams: {},
  httpHeaders: {},
  envHttpHeaders: {},
  requestMaxRetries: DEFAULT_REQUEST_MAX_RETRIES,
  streamMaxRetries: DEFAULT_STREAM_MAX_RETRIES,
  streamIdleTimeoutMs: DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  requiresOpenaiAuth: false,
  supportsWebsockets: false,
  isOpenai: false,
  ...fields,
});

/** The local open-weights servers: `CODEX_OSS_BASE_URL`, else `http://localhost:<CODEX_OSS_PORT or default>/v1`. */
const ossProvider = (id: string, defaultPort: number, env: NodeJS.ProcessEnv): ModelProvider => {
  const port = Number.parseInt(nonBlank(env.CODEX_OSS_PORT) ?? '', 10);
  const url = nonBlank(env.CODEX_OSS_BASE_URL) ?? `http://localhost:${Number.isInteger(port) && port > 0 && port < 65536 ? port : defaultPort}/v1`;
  return builtIn(id, { name: 'gpt-oss', baseUrl: withoutTrailingSlash(url) });
};

/**
 * The providers every config has (SPEC §12.1): `openai` (base URL from `OPENAI_BASE_URL`, the
 * `version` header and the `OpenAI-Organization` / `OpenAI-Project` env headers, signed-in
 * credentials, WebSockets), the local `ollama` and `lmstudio` servers, and the offline `replay`
 * provider (scripted answers, see `lib/model/replay/`).
 *
 * @example
 * builtInModelProviders(process.env).openai.baseUrl; // undefined unless OPENAI_BASE_URL is set
 */
export const builtInModelProviders = (env: NodeJS.ProcessEnv): Readonly<Record<string, ModelProvider>> => {
  const openaiBase = nonBlank(env.OPENAI_BASE_URL);
  return {
    openai: builtIn('openai', {
      name: 'OpenAI',
      baseUrl: openaiBase === undefined ? undefined : withoutTrailingSlash(openaiBase),
      httpHeaders: { version: VERSION },
      envHttpHeaders: { 'OpenAI-Organization': 'OPENAI_ORGANIZATION', 'OpenAI-Project': 'OPENAI_PROJECT' },
      requiresOpenaiAuth: true,
      supportsWebsockets: true,
      isOpenai: true,
    }),
    ollama: ossProvider('ollama', DEFAULT_OLLAMA_PORT, env),
    lmstudio: ossProvider('lmstudio', DEFAULT_LMSTUDIO_PORT, env),
    [REPLAY_PROVIDER_ID]: builtIn(REPLAY_PROVIDER_ID, { name: 'Offline demo (replay)', wireApi: 'replay', requestMaxRetries: 0, streamMaxRetries: 0 }),
  };
};

const isTable = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Reads one provider table field by field, so an error names the exact key. */
class TableReader {
  constructor(
    private readonly table: Readonly<Record<string, unknown>>,
    private readonly path: string,
  ) {}

  private fail(key: string, expected: string): never {
    throw new ModelProviderError(`${this.path}.${key}: expected ${expected}, got ${JSON.stringify(this.table[key])}`);
  }

  string(key: string): string | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : this.fail(key, 'a string');
  }

  boolean(key: string): boolean | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    return typeof value === 'boolean' ? value : this.fail(key, 'true or false');
  }

  count(key: string): number | undefined {
    const value = this.table[key];
    if (value === undefined) return undefined;
    const n = typeof value === 'bigint' ? Number(value) : value;
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : this.fail(key, 'a non-negative integer');
  }

  strings(key: string): Record<string, string> {
    const value = this.table[key];
    if (value === undefined) return {};
    if (!isTable(value) || !Object.values(value).every((v) => typeof v === 'string')) return this.fail(key, 'a table of strings');
    return { ...(value as Record<string, string>) };
  }
}

const fromTable = (id: string, table: Readonly<Record<string, unknown>>): ModelProvider => {
  const path = `model_providers.${id}`;
  const read = new TableReader(table, path);
  const name = read.string('name');
  if (name === undefined) throw new ModelProviderError(`${path}: missing field \`name\``);
  const wireApi = read.string('wire_api') ?? 'responses';
  if (wireApi === 'chat') throw new ModelProviderError(CHAT_WIRE_API_REMOVED);
  if (wireApi !== 'responses') throw new ModelProviderError(`${path}.wire_api: unknown wire API \`${wireApi}\`; the only one supported is "responses"`);
  const baseUrl = read.string('base_url');
  return {
    id,
    name,
    baseUrl: baseUrl === undefined ? undefined : withoutTrailingSlash(baseUrl),
    envKey: read.string('env_key'),
    envKeyInstructions: read.string('env_key_instructions'),
    experimentalBearerToken: read.string('experimental_bearer_token'),
    wireApi,
    queryParams: read.strings('query_params'),
    httpHeaders: read.strings('http_headers'),
    envHttpHeaders: read.strings('env_http_headers'),
    requestMaxRetries: Math.min(read.count('request_max_retries') ?? DEFAULT_REQUEST_MAX_RETRIES, MAX_RETRIES),
    streamMaxRetries: Math.min(read.count('stream_max_retries') ?? DEFAULT_STREAM_MAX_RETRIES, MAX_RETRIES),
    streamIdleTimeoutMs: read.count('stream_idle_timeout_ms') ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    requiresOpenaiAuth: read.boolean('requires_openai_auth') ?? false,
    supportsWebsockets: read.boolean('supports_websockets') ?? false,
    isOpenai: false,
  };
};

/** The part of a merged config that selects and defines providers. */
export interface ProviderConfig {
  /** Provider id; default `"openai"`. */
  readonly model_provider?: unknown;
  /** `[model_providers.<id>]` tables. */
  readonly model_providers?: unknown;
}

/**
 * The provider a session uses: `model_provider` (default `openai`) looked up among the built-ins,
 * then the config's `[model_providers.<id>]` tables. Throws `ModelProviderError` for an unknown id,
 * a table of the wrong shape (naming the key), or a `wire_api` other than `responses`.
 *
 * Pass the merged config table; when a profile selects the provider, pass its id as `providerId`.
 *
 * @example
 * const provider = resolveModelProvider(
 *   { model_provider: 'mock', model_providers: { mock: { name: 'Mock', base_url: 'http://127.0.0.1:8080/v1' } } },
 *   { env: process.env },
 * );
 * provider.streamMaxRetries; // 5
 */
export const resolveModelProvider = (config: ProviderConfig, options: { env: NodeJS.ProcessEnv; providerId?: string }): ModelProvider => {
  const id = options.providerId ?? (config.model_provider === undefined ? 'openai' : config.model_provider);
  if (typeof id !== 'string') throw new ModelProviderError(`model_provider: expected a string, got ${JSON.stringify(id)}`);
  const builtIns = builtInModelProviders(options.env);
  const tables = config.model_providers ?? {};
  if (Object.hasOwn(builtIns, id)) {
    const provider = builtIns[id]!;
    if (provider.wireApi !== 'replay') return provider;
    // The one built-in a table configures: `[model_providers.replay]` may set `scripts` and `delay_ms`.
    const replay = replayOptionsFromTable(isTable(tables) && Object.hasOwn(tables, id) ? tables[id] : undefined, `model_providers.${id}`);
    if (E.isLeft(replay)) throw new ModelProviderError(replay.left);
    return { ...provider, replay: replay.right };
  }
  if (!isTable(tables)) throw new ModelProviderError(`model_providers: expected a table, got ${JSON.stringify(tables)}`);
  const table = Object.hasOwn(tables, id) ? tables[id] : undefined;
  if (table === undefined) throw new ModelProviderError(`Model provider \`${id}\` not found`);
  if (!isTable(table)) throw new ModelProviderError(`model_providers.${id}: expected a table, got ${JSON.stringify(table)}`);
  return fromTable(id, table);
};

/**
 * The API key configured for the provider itself: its `env_key` variable (required to be set when
 * named: throws `MissingEnvKeyError`), else its `experimental_bearer_token`; `undefined` when the
 * provider defines neither and the signed-in account's credentials apply.
 *
 * @example
 * providerApiKey({ ...provider, envKey: 'MY_KEY' }, {}); // throws "Missing environment variable: `MY_KEY`."
 */
export const providerApiKey = (provider: ModelProvider, env: NodeJS.ProcessEnv): string | undefined => {
  if (provider.envKey !== undefined) {
    const key = nonBlank(env[provider.envKey]);
    if (key === undefined) throw new MissingEnvKeyError(provider.envKey, provider.envKeyInstructions);
    return key;
  }
  return provider.experimentalBearerToken;
};

/**
 * Where requests go: the provider's base URL, or for the OpenAI provider without one, the Codex
 * backend in ChatGPT auth modes and the OpenAI API otherwise (SPEC §12.1).
 *
 * @example
 * providerBaseUrl(openai, 'chatgpt'); // 'https://chatgpt.com/backend-api/codex'
 */
export const providerBaseUrl = (provider: ModelProvider, authMode: string | null): string =>
  provider.baseUrl ?? (authMode === 'chatgpt' || authMode === 'chatgptAuthTokens' ? CHATGPT_CODEX_BASE_URL : OPENAI_API_BASE_URL);

/**
 * The provider's static headers plus the env-derived ones whose variable is set and not blank;
 * entries that are not valid HTTP header names or values are skipped, as the reference does.
 *
 * @example
 * providerHeaders(openai, { OPENAI_PROJECT: 'p1' }); // { version: '0.1.0', 'OpenAI-Project': 'p1' }
 */
export const providerHeaders = (provider: ModelProvider, env: NodeJS.ProcessEnv): Record<string, string> => {
  const headers: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    if (isHeaderName(name) && isHeaderValue(value)) headers[name] = value;
  };
  for (const [name, value] of Object.entries(provider.httpHeaders)) add(name, value);
  for (const [name, variable] of Object.entries(provider.envHttpHeaders)) {
    const value = nonBlank(env[variable]);
    if (value !== undefined) add(name, value);
  }
  return headers;
};

/**
 * RFC 9110 token characters: what an HTTP header name may consist of.
 *
 * @example
 * isHeaderName('X-Team'); // true
 * isHeaderName('Bad Name'); // false
 */
export const isHeaderName = (name: string): boolean => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name);
