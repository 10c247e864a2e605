import { ModelCredentials } from '../auth/credentials.js';
import { isHeaderValue } from '../server/identity.js';
import { missingEnvKey } from './modelError.js';
import { MissingEnvKeyError, providerApiKey, providerBaseUrl, providerHeaders, type ModelProvider } from './provider.js';

/**
 * The sticky-routing token of a turn (`x-codex-turn-state`, SPEC §12.1): the first value a
 * response returns is kept and sent with every later request of the same turn. Make one per turn.
 *
 * @example
 * const turnState = new TurnState();
 * streamResponses(request, { ...options, context: { ...context, turnState } });
 */
export class TurnState {
  #value: string | undefined;

  get value(): string | undefined {
    return this.#value;
  }

  /** Keeps `value` unless a token was already captured in this turn. */
  capture(value: string | undefined): void {
    if (value !== undefined && value !== '') this.#value ??= value;
  }
}

/** Who is asking, for the request headers (SPEC §12.1). */
export interface ResponsesContext {
  /** The thread id (`session_id` header). */
  readonly sessionId: string;
  readonly originator: string;
  readonly userAgent: string;
  /** `x-openai-subagent`: `review`, `compact`, `collab_spawn` or a label, for sub-agent sessions. */
  readonly subagent?: string;
  /** Enabled beta-stage feature keys (`x-codex-beta-features`, sent when non-empty). */
  readonly betaFeatures?: readonly string[];
  /** `x-codex-turn-metadata`: JSON about the workspace. */
  readonly turnMetadata?: string;
  /** `x-openai-internal-codex-residency`, when residency is enforced (e.g. `us`). */
  readonly residency?: string;
  readonly turnState?: TurnState;
}

/** The signed-in account, as the model client needs it (implemented over `AuthManager`). */
export interface ModelAuth {
  /** Credentials for the next attempt; asked before every attempt, so refreshed tokens are used. */
  credentials(): ModelCredentials | undefined | Promise<ModelCredentials | undefined>;
  /**
   * Step `step` (1 for the first 401 of an attempt) of the 401 recovery (SPEC §9.5): resolves
   * `true` when the credentials changed and the request should be sent again, `false` when there
   * is nothing (more) to try; rejects when the recovery failed for good (the error then has kind
   * `unauthorized`). Each stream attempt starts again from step 1, as the reference's does.
   */
  recoverUnauthorized?(step: number): Promise<boolean>;
}

/** Everything about the other side of a Responses request: the provider, the account, the caller. */
export interface ResponsesTarget {
  readonly provider: ModelProvider;
  readonly context: ResponsesContext;
  readonly auth?: ModelAuth;
  /** Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

const nonBlank = (value: string | undefined): string | undefined => (value !== undefined && value.trim() !== '' ? value : undefined);

/**
 * The credentials of one attempt (the reference's `auth_provider_from_auth`): the provider's own
 * key (`env_key`, then `experimental_bearer_token`), else the signed-in account when the
 * provider requires OpenAI auth, else `OPENAI_API_KEY` for the OpenAI provider. A provider that
 * does not require OpenAI auth never sees the account's tokens. Rejects with a `missingEnvKey`
 * `ModelError` when the provider's `env_key` is unset.
 *
 * @example
 * const creds = await requestCredentials(target); // ModelCredentials | undefined
 */
export const requestCredentials = async (target: ResponsesTarget): Promise<ModelCredentials | undefined> => {
  const env = target.env ?? process.env;
  let key: string | undefined;
  try {
    key = providerApiKey(target.provider, env);
  } catch (err) {
    throw err instanceof MissingEnvKeyError ? missingEnvKey(err.message) : err;
  }
  if (key !== undefined) return new ModelCredentials('apikey', key, null);
  if (target.provider.requiresOpenaiAuth) {
    const account = await target.auth?.credentials();
    if (account) return account;
  }
  const envKey = target.provider.isOpenai ? nonBlank(env.OPENAI_API_KEY) : undefined;
  return envKey === undefined ? undefined : new ModelCredentials('apikey', envKey, null);
};

/** The HTTP or WebSocket endpoint of a Responses request. */
export type ResponsesTransport = 'http' | 'websocket';

/**
 * `{base_url}/responses` with the provider's query parameters; for WebSockets the scheme becomes
 * `ws`/`wss` (SPEC §12.1, §12.6).
 *
 * @example
 * responsesUrl(provider, null, 'websocket').href; // 'ws://127.0.0.1:8080/v1/responses?api-version=1'
 */
export const responsesUrl = (provider: ModelProvider, credentials: ModelCredentials | undefined, transport: ResponsesTransport): URL => {
  const url = new URL(`${providerBaseUrl(provider, credentials?.mode ?? null)}/responses`);
  for (const [name, value] of Object.entries(provider.queryParams)) url.searchParams.append(name, value);
  if (transport === 'websocket') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
};

/** Header sets keyed case-insensitively: a later layer replaces an earlier one's header of any casing. */
class HeaderSet {
  private readonly entries = new Map<string, [string, string]>();

  set(name: string, value: string | undefined): this {
    if (value !== undefined && isHeaderValue(value)) this.entries.set(name.toLowerCase(), [name, value]);
    return this;
  }

  merge(headers: Readonly<Record<string, string>>): this {
    for (const [name, value] of Object.entries(headers)) this.set(name, value);
    return this;
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries.values());
  }
}

/**
 * The headers of one attempt (SPEC §12.1): `originator` and `User-Agent` (which the provider's
 * headers may replace), the provider's static and env-derived headers, the per-request ones
 * (`session_id`, sub-agent, beta features, turn state, turn metadata, residency), the transport's
 * (`Accept`/`Content-Type`, or the WebSocket `OpenAI-Beta`), then the credentials
 * (`Authorization`, `ChatGPT-Account-ID`).
 *
 * @example
 * requestHeaders(target, creds, { transport: 'http' }).session_id; // the thread id
 */
export const requestHeaders = (
  target: ResponsesTarget,
  credentials: ModelCredentials | undefined,
  options: { readonly transport: 'http' } | { readonly transport: 'websocket'; readonly openaiBeta: string },
): Record<string, string> => {
  const { context } = target;
  const headers = new HeaderSet()
    .set('originator', context.originator)
    .set('User-Agent', context.userAgent)
    .merge(providerHeaders(target.provider, target.env ?? process.env))
    .set('session_id', context.sessionId)
    .set('x-openai-subagent', context.subagent)
    .set('x-codex-beta-features', context.betaFeatures?.length ? context.betaFeatures.join(',') : undefined)
    .set('x-codex-turn-state', context.turnState?.value)
    .set('x-codex-turn-metadata', context.turnMetadata)
    .set('x-openai-internal-codex-residency', context.residency);
  if (options.transport === 'http') headers.set('Accept', 'text/event-stream').set('Content-Type', 'application/json');
  else headers.set('OpenAI-Beta', options.openaiBeta);
  return headers.merge(credentials?.headers() ?? {}).toRecord();
};
