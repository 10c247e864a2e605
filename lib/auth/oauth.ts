import { createHash, randomBytes } from 'node:crypto';

/** The reference's public OAuth client id; the issuer only accepts its registered redirect URIs. */
export const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
export const DEFAULT_ISSUER = 'https://auth.openai.com';
/**
 * Overrides the OAuth issuer (authorize and token endpoints), e.g. a local stand-in in tests. The
 * reference has no such switch for its app-server.
 */
export const ISSUER_ENV = 'RXAGENT_AUTH_ISSUER';
/** The reference's override of the refresh-token endpoint (SPEC §9.5). */
export const REFRESH_URL_ENV = 'CODEX_REFRESH_TOKEN_URL_OVERRIDE';

const TOKEN_EXCHANGE_TIMEOUT_MS = 30_000;
const ERROR_DETAIL_CAP = 200;

/** The issuer to log in with: `RXAGENT_AUTH_ISSUER` or `https://auth.openai.com`, without a trailing slash. */
export const issuerOf = (env: NodeJS.ProcessEnv): string => (env[ISSUER_ENV]?.trim() || DEFAULT_ISSUER).replace(/\/+$/, '');

/** Where managed ChatGPT tokens are refreshed: the reference's override, else the issuer's token endpoint. */
export const refreshUrlOf = (env: NodeJS.ProcessEnv): string => env[REFRESH_URL_ENV]?.trim() || `${issuerOf(env)}/oauth/token`;

/** A PKCE pair (RFC 7636, method S256). */
export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

/**
 * A fresh PKCE pair: 64 random bytes as the verifier, its SHA-256 as the challenge (base64url).
 *
 * @example
 * const { verifier, challenge } = generatePkce();
 */
export const generatePkce = (): Pkce => {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** A fresh random OAuth `state` (32 bytes, base64url). */
export const generateState = (): string => randomBytes(32).toString('base64url');

/** Percent-encodes everything but RFC 3986 unreserved characters, as the reference's encoder does. */
const encode = (value: string): string => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The browser URL that starts a ChatGPT login (SPEC §9.3), with the reference's query in its order.
 *
 * @example
 * authorizeUrl({ issuer, redirectUri: 'http://localhost:1455/auth/callback', pkce, state, originator: 'codex_vscode' });
 */
export const authorizeUrl = (options: {
  readonly issuer: string;
  readonly redirectUri: string;
  readonly pkce: Pkce;
  readonly state: string;
  readonly originator: string;
  readonly allowedWorkspaceId?: string | null;
}): string => {
  const query: Array<[string, string]> = [
    ['response_type', 'code'],
    ['client_id', CLIENT_ID],
    ['redirect_uri', options.redirectUri],
    ['scope', 'openid profile email offline_access'],
    ['code_challenge', options.pkce.challenge],
    ['code_challenge_method', 'S256'],
    ['id_token_add_organizations', 'true'],
    ['codex_cli_simplified_flow', 'true'],
    ['state', options.state],
    ['originator', options.originator],
  ];
  if (options.allowedWorkspaceId) query.push(['allowed_workspace_id', options.allowedWorkspaceId]);
  return `${options.issuer}/oauth/authorize?${query.map(([k, v]) => `${k}=${encode(v)}`).join('&')}`;
};

/** Tokens from the authorization-code exchange. */
export interface ExchangedTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** A token endpoint failure; the message carries the status and the endpoint's error code, never a token. */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    /** HTTP status, when the endpoint answered. */
    readonly status?: number,
    /** The OAuth `error` code of the answer (e.g. `invalid_grant`, `refresh_token_expired`). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}

/** The OAuth error code and description of a failed answer, capped; tokens are not echoed by token endpoints. */
const errorDetail = (body: string): { code?: string; text: string } => {
  try {
    const json = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    const error = json.error;
    const code = typeof error === 'string' ? error : typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
    const description =
      typeof json.error_description === 'string' ? json.error_description : typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : undefined;
    const text = [code, description].filter(Boolean).join(': ');
    return { code, text: (text || 'no details').slice(0, ERROR_DETAIL_CAP) };
  } catch {
    return { text: 'a body that is not JSON' };
  }
};

/** POSTs to a token endpoint and returns the JSON answer, mapping every failure to a `TokenEndpointError`. */
const postToken = async (url: string, body: string, contentType: string): Promise<Record<string, unknown>> => {
  const where = new URL(url).origin + new URL(url).pathname;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': contentType, Accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(TOKEN_EXCHANGE_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new TokenEndpointError(`could not reach ${where}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    const detail = errorDetail(text);
    throw new TokenEndpointError(`token endpoint returned status ${response.status}: ${detail.text}`, response.status, detail.code);
  }
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null) return json as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new TokenEndpointError('token endpoint answered with something other than a JSON object', response.status);
};

const form = (fields: Record<string, string>): string => Object.entries(fields).map(([k, v]) => `${k}=${encode(v)}`).join('&');
const FORM = 'application/x-www-form-urlencoded';

/**
 * Exchanges an authorization code (with its PKCE verifier) at `{issuer}/oauth/token`.
 *
 * @example
 * const tokens = await exchangeCode({ issuer, code, redirectUri, verifier: pkce.verifier });
 */
export const exchangeCode = async (options: {
  readonly issuer: string;
  readonly code: string;
  readonly redirectUri: string;
  readonly verifier: string;
}): Promise<ExchangedTokens> => {
  const json = await postToken(
    `${options.issuer}/oauth/token`,
    form({ grant_type: 'authorization_code', code: options.code, redirect_uri: options.redirectUri, client_id: CLIENT_ID, code_verifier: options.verifier }),
    FORM,
  );
  const { id_token: idToken, access_token: accessToken, refresh_token: refreshToken } = json;
  if (typeof idToken !== 'string' || typeof accessToken !== 'string' || typeof refreshToken !== 'string') {
    throw new TokenEndpointError('token endpoint answer lacks id_token, access_token or refresh_token');
  }
  return { idToken, accessToken, refreshToken };
};

/**
 * Trades an ID token for an API key (OAuth token exchange), as the reference does after a browser
 * login; the key is stored alongside the tokens. Best effort: callers ignore failures.
 */
export const obtainApiKey = async (issuer: string, idToken: string): Promise<string> => {
  const json = await postToken(
    `${issuer}/oauth/token`,
    form({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      client_id: CLIENT_ID,
      requested_token: 'openai-api-key',
      subject_token: idToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    }),
    FORM,
  );
  if (typeof json.access_token !== 'string') throw new TokenEndpointError('token exchange answer lacks access_token');
  return json.access_token;
};

/** New tokens from a refresh; the endpoint may omit any of them (then the old one stays). */
export interface RefreshedTokens {
  readonly idToken?: string;
  readonly accessToken?: string;
  readonly refreshToken?: string;
}

/**
 * Refreshes managed ChatGPT tokens (SPEC §9.5): a JSON POST with the refresh token.
 *
 * @example
 * const fresh = await refreshTokens(refreshUrlOf(env), stored.refresh_token);
 */
export const refreshTokens = async (url: string, refreshToken: string): Promise<RefreshedTokens> => {
  const json = await postToken(
    url,
    JSON.stringify({ client_id: CLIENT_ID, grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'openid profile email' }),
    'application/json',
  );
  const pick = (key: string): string | undefined => (typeof json[key] === 'string' ? (json[key] as string) : undefined);
  return { idToken: pick('id_token'), accessToken: pick('access_token'), refreshToken: pick('refresh_token') };
};
