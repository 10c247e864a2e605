import { firstValueFrom, throwError, timeout, asyncScheduler, catchError, type Observable, type SchedulerLike } from 'rxjs';
import { log } from '../log.js';
import { decodeAt } from '../protocol/decode.js';
import type { Account } from '../protocol/v2/account.js';
import type { AuthMode, PlanType } from '../protocol/v2/common.js';
import { ChatgptAuthTokensRefreshResponse, type ChatgptAuthTokensRefreshParams } from '../protocol/v2/serverRequests.js';
import { deleteAuthDotJson, loadStoredAuth, saveAuthDotJson, type StoredAuth } from './authStore.js';
import type { LoginTokens } from './chatgptLogin.js';
import { ModelCredentials } from './credentials.js';
import { chatgptClaims, planTypeOf, type ChatgptClaims } from './jwt.js';
import { refreshTokens, refreshUrlOf } from './oauth.js';
import type { AuthSettings } from './userConfig.js';

/** How long a client has to answer `account/chatgptAuthTokens/refresh` (SPEC §5.5). */
export const EXTERNAL_REFRESH_TIMEOUT_MS = 10_000;
/** Managed tokens older than this are refreshed before use (SPEC §9.1). */
const MANAGED_REFRESH_AGE_MS = 8 * 24 * 60 * 60_000;

/** Why an external token refresh failed; the turn engine treats every kind as transient (SPEC §9.5). */
export type AuthRefreshFailure = 'notExternal' | 'timeout' | 'canceled' | 'invalidResponse' | 'workspaceMismatch' | 'superseded';

/** A failed `refreshExternal`; the message never contains a token. */
export class AuthRefreshError extends Error {
  constructor(
    readonly kind: AuthRefreshFailure,
    message: string,
  ) {
    super(message);
    this.name = 'AuthRefreshError';
  }
}

/** The account data of an `account/read` that lacks email or plan (SPEC §9.2). */
export class IncompleteAccountError extends Error {
  constructor() {
    super('email and plan type are required for chatgpt authentication');
    this.name = 'IncompleteAccountError';
  }
}

/** Tokens a client supplied (`chatgptAuthTokens`); kept in memory only, never written anywhere. */
class ExternalAuth {
  readonly #accessToken: string;

  constructor(
    accessToken: string,
    readonly accountId: string,
    readonly planType: PlanType,
    readonly email: string | null,
  ) {
    this.#accessToken = accessToken;
  }

  /** Reads the claims of a client-supplied access token; throws `MalformedJwtError` for a non-JWT. */
  static from(accessToken: string, accountId: string, planType: string | null | undefined): ExternalAuth {
    const claims = chatgptClaims(accessToken, 'access token');
    const plan = planType ?? claims.planType;
    return new ExternalAuth(accessToken, accountId, plan ? planTypeOf(plan) : 'unknown', claims.email);
  }

  credentials(): ModelCredentials {
    return new ModelCredentials('chatgptAuthTokens', this.#accessToken, this.accountId);
  }
}

/** What an `AuthManager` works with; tests pass fakes (a short timeout, a virtual scheduler, a fixed clock). */
export interface AuthManagerDeps {
  readonly codexHome: string;
  readonly env: NodeJS.ProcessEnv;
  /** The account settings, read at each use so config edits apply at once. */
  readonly settings: () => AuthSettings;
  /** Sends `account/chatgptAuthTokens/refresh` to the clients (cold: sent on subscribe) and emits the raw result. */
  readonly requestRefresh: (params: ChatgptAuthTokensRefreshParams) => Observable<unknown>;
  /** Default 10 s (SPEC §5.5). */
  readonly refreshTimeoutMs?: number;
  readonly scheduler?: SchedulerLike;
  readonly now?: () => Date;
}

const describeDuration = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** The message of a client's JSON-RPC error answer, without assuming its shape. */
const clientErrorText = (err: unknown): string => {
  const answer = (err as { error?: { code?: unknown; message?: unknown } }).error;
  if (answer && typeof answer.message === 'string') return `client answered with error ${String(answer.code)}: ${answer.message}`;
  return (err as Error)?.message ?? String(err);
};

/**
 * The credentials the server acts with (SPEC §9.1): external tokens a client supplied (in memory,
 * checked first), else what `CODEX_HOME/auth.json` holds (an API key or managed ChatGPT tokens).
 * One instance per server; handlers change it, the turn engine reads it.
 *
 * @example
 * const creds = auth.current();                       // what to send with the next model request
 * // on HTTP 401 with external tokens:
 * const fresh = await auth.refreshExternal('unauthorized', creds?.accountId ?? null);
 */
export class AuthManager {
  private external: ExternalAuth | undefined;
  private stored: StoredAuth | undefined;
  private loaded = false;
  /** Bumped whenever the external tokens are set or cleared by a client, so a late refresh can't undo that. */
  private externalGeneration = 0;
  private pendingExternalRefresh: Promise<ModelCredentials> | undefined;
  private pendingManagedRefresh: Promise<void> | undefined;
  private readonly refreshTimeoutMs: number;
  private readonly scheduler: SchedulerLike;
  private readonly now: () => Date;

  constructor(private readonly deps: AuthManagerDeps) {
    this.refreshTimeoutMs = deps.refreshTimeoutMs ?? EXTERNAL_REFRESH_TIMEOUT_MS;
    this.scheduler = deps.scheduler ?? asyncScheduler;
    this.now = deps.now ?? (() => new Date());
  }

  /** The active auth mode: external tokens win over stored credentials; `null` when signed out. */
  mode(): AuthMode | null {
    if (this.external) return 'chatgptAuthTokens';
    return this.storedAuth()?.mode ?? null;
  }

  /** Whether client-supplied ChatGPT tokens are active (they block the other login modes). */
  isExternalActive(): boolean {
    return this.external !== undefined;
  }

  /** The credentials for the next model request, or `undefined` when signed out. */
  current(): ModelCredentials | undefined {
    if (this.external) return this.external.credentials();
    const stored = this.storedAuth();
    if (!stored) return undefined;
    return stored.mode === 'apikey'
      ? new ModelCredentials('apikey', stored.apiKey, null)
      : new ModelCredentials('chatgpt', stored.tokens.access_token, stored.tokens.account_id);
  }

  /**
   * Like `current()`, but first refreshes managed ChatGPT tokens older than 8 days (failures are
   * logged and the old tokens used, as the reference does).
   */
  async credentials(): Promise<ModelCredentials | undefined> {
    const stored = this.storedAuth();
    if (!this.external && stored?.mode === 'chatgpt') {
      const last = Date.parse(stored.file.last_refresh ?? '');
      if (!(this.now().getTime() - last < MANAGED_REFRESH_AGE_MS)) {
        await this.refreshManaged().catch((err: Error) => log.warn('failed to refresh ChatGPT tokens', { reason: err.message }));
      }
    }
    return this.current();
  }

  /**
   * The account for `account/read` (SPEC §9.2), or `null` when signed out. Throws
   * `IncompleteAccountError` when ChatGPT tokens lack the email or plan claims.
   */
  account(): Account | null {
    if (this.external) {
      if (this.external.email === null) throw new IncompleteAccountError();
      return { type: 'chatgpt', email: this.external.email, planType: this.external.planType };
    }
    const stored = this.storedAuth();
    if (!stored) return null;
    if (stored.mode === 'apikey') return { type: 'apiKey' };
    let claims: ChatgptClaims;
    try {
      claims = chatgptClaims(stored.tokens.id_token, 'stored ID token');
    } catch {
      throw new IncompleteAccountError();
    }
    if (claims.email === null || claims.planType === null) throw new IncompleteAccountError();
    return { type: 'chatgpt', email: claims.email, planType: planTypeOf(claims.planType) };
  }

  /** Re-reads auth.json (another process may have changed it). */
  reload(): void {
    this.loaded = false;
  }

  /** Stores an API key in auth.json (replacing what was there). */
  async saveApiKey(apiKey: string): Promise<void> {
    await saveAuthDotJson(this.deps.codexHome, { auth_mode: 'apikey', OPENAI_API_KEY: apiKey });
    this.reload();
  }

  /** Stores the tokens of a browser login in auth.json; the workspace comes from the ID token. */
  async saveChatgptTokens(tokens: LoginTokens): Promise<void> {
    const claims = chatgptClaims(tokens.idToken, 'ID token');
    await saveAuthDotJson(this.deps.codexHome, {
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: tokens.apiKey,
      tokens: { id_token: tokens.idToken, access_token: tokens.accessToken, refresh_token: tokens.refreshToken, account_id: claims.accountId },
      last_refresh: this.now().toISOString(),
    });
    this.reload();
  }

  /**
   * Activates client-supplied ChatGPT tokens (memory only). The plan is the given one, else the
   * token's claim, else `unknown`. Throws `MalformedJwtError` when the token is not a JWT.
   */
  setExternal(accessToken: string, chatgptAccountId: string, chatgptPlanType: string | null | undefined): void {
    this.external = ExternalAuth.from(accessToken, chatgptAccountId, chatgptPlanType);
    this.externalGeneration++;
  }

  /** Forgets every credential: external tokens and auth.json. Returns the mode that remains (none). */
  async logout(): Promise<AuthMode | null> {
    this.external = undefined;
    this.externalGeneration++;
    await deleteAuthDotJson(this.deps.codexHome);
    this.reload();
    return this.mode();
  }

  /**
   * Asks the clients for fresh external tokens (`account/chatgptAuthTokens/refresh`, broadcast to
   * initialized connections, SPEC §5.5) and activates them. Concurrent calls share one request.
   * Rejects with an `AuthRefreshError` when external auth is not active, the clients answer with
   * an error or not at all within the timeout, the answer is malformed or not a JWT, the
   * workspace differs from `forced_chatgpt_workspace_id`, or a client replaced the tokens meanwhile.
   */
  refreshExternal(reason: ChatgptAuthTokensRefreshParams['reason'], previousAccountId: string | null): Promise<ModelCredentials> {
    if (!this.external) return Promise.reject(new AuthRefreshError('notExternal', 'external ChatGPT auth is not active'));
    this.pendingExternalRefresh ??= this.requestExternalRefresh(reason, previousAccountId).finally(() => {
      this.pendingExternalRefresh = undefined;
    });
    return this.pendingExternalRefresh;
  }

  private async requestExternalRefresh(reason: ChatgptAuthTokensRefreshParams['reason'], previousAccountId: string | null): Promise<ModelCredentials> {
    const generation = this.externalGeneration;
    const answer = await firstValueFrom(
      this.deps.requestRefresh({ reason, previousAccountId }).pipe(
        timeout({
          first: this.refreshTimeoutMs,
          scheduler: this.scheduler,
          with: () => throwError(() => new AuthRefreshError('timeout', `auth refresh request timed out after ${describeDuration(this.refreshTimeoutMs)}`)),
        }),
        catchError((err: unknown) => {
          throw err instanceof AuthRefreshError ? err : new AuthRefreshError('canceled', `auth refresh request canceled: ${clientErrorText(err)}`);
        }),
      ),
    );
    const decoded = decodeAt(ChatgptAuthTokensRefreshResponse, answer, 'result');
    if (decoded._tag === 'Left') throw new AuthRefreshError('invalidResponse', `auth refresh response is invalid: ${decoded.left}`);
    const fresh = decoded.right;
    const forced = this.deps.settings().forcedChatgptWorkspaceId;
    if (forced !== null && fresh.chatgptAccountId !== forced) {
      throw new AuthRefreshError('workspaceMismatch', `external auth refresh returned workspace ${JSON.stringify(fresh.chatgptAccountId)}, expected ${JSON.stringify(forced)}`);
    }
    let external: ExternalAuth;
    try {
      external = ExternalAuth.from(fresh.accessToken, fresh.chatgptAccountId, fresh.chatgptPlanType);
    } catch (err) {
      throw new AuthRefreshError('invalidResponse', `auth refresh response is invalid: ${(err as Error).message}`);
    }
    if (generation !== this.externalGeneration || !this.external) {
      throw new AuthRefreshError('superseded', 'external auth changed while the refresh request was pending');
    }
    this.external = external;
    return external.credentials();
  }

  /**
   * Refreshes managed ChatGPT tokens at the token endpoint and stores them (SPEC §9.5); a no-op
   * in other modes. Concurrent calls share one request. Rejects with a `TokenEndpointError`.
   */
  refreshManaged(): Promise<void> {
    const stored = this.storedAuth();
    if (this.external || stored?.mode !== 'chatgpt') return Promise.resolve();
    this.pendingManagedRefresh ??= (async () => {
      const fresh = await refreshTokens(refreshUrlOf(this.deps.env), stored.tokens.refresh_token);
      const idToken = fresh.idToken ?? stored.tokens.id_token;
      let accountId = stored.tokens.account_id;
      try {
        accountId = chatgptClaims(idToken, 'ID token').accountId ?? accountId;
      } catch {
        // keep the stored workspace when the new ID token can't be read
      }
      await saveAuthDotJson(this.deps.codexHome, {
        ...stored.file,
        tokens: {
          id_token: idToken,
          access_token: fresh.accessToken ?? stored.tokens.access_token,
          refresh_token: fresh.refreshToken ?? stored.tokens.refresh_token,
          account_id: accountId,
        },
        last_refresh: this.now().toISOString(),
      });
      this.reload();
    })().finally(() => {
      this.pendingManagedRefresh = undefined;
    });
    return this.pendingManagedRefresh;
  }

  private storedAuth(): StoredAuth | undefined {
    if (!this.loaded) {
      this.loaded = true;
      try {
        this.stored = loadStoredAuth(this.deps.codexHome);
      } catch (err) {
        log.warn('ignoring unusable auth.json', { reason: (err as Error).message });
        this.stored = undefined;
      }
    }
    return this.stored;
  }
}
