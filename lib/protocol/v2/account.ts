// Accounts, login and rate limits (SPEC §9).

import * as t from 'io-ts';
import { int32, int64 } from '../codec.js';
import { experimentalVariant } from '../experimental.js';
import { PlanType } from './common.js';

/** The signed-in account: `apiKey`, or `chatgpt` with email and plan (note `Account.type` is `"apiKey"`, `AuthMode` is `"apikey"`). */
export const Account = t.union([
  t.type({
    type: t.literal('apiKey'),
  }, 'ApiKeyAccount'),
  t.type({
    email: t.string,
    planType: PlanType,
    type: t.literal('chatgpt'),
  }, 'ChatgptAccount'),
], 'Account');
export type Account = t.TypeOf<typeof Account>;

/** Params of `account/login/cancel`. */
export const CancelLoginAccountParams = t.type({
  loginId: t.string,
}, 'CancelLoginAccountParams');
export type CancelLoginAccountParams = t.TypeOf<typeof CancelLoginAccountParams>;

/** Outcome of `account/login/cancel`. */
export const CancelLoginAccountStatus = t.keyof({ canceled: null, notFound: null }, 'CancelLoginAccountStatus');
export type CancelLoginAccountStatus = t.TypeOf<typeof CancelLoginAccountStatus>;

/** Result of `account/login/cancel`. */
export const CancelLoginAccountResponse = t.type({
  status: CancelLoginAccountStatus,
}, 'CancelLoginAccountResponse');
export type CancelLoginAccountResponse = t.TypeOf<typeof CancelLoginAccountResponse>;

/** ChatGPT credits balance, as reported with rate limits. */
export const CreditsSnapshot = t.intersection([
  t.type({
    hasCredits: t.boolean,
    unlimited: t.boolean,
  }),
  t.partial({
    balance: t.union([t.string, t.null]),
  }),
], 'CreditsSnapshot');
export type CreditsSnapshot = t.TypeOf<typeof CreditsSnapshot>;

/** Params of `account/read`. */
export const GetAccountParams = t.partial({
  /**
   * When `true`, requests a proactive token refresh before returning.
   *
   * In managed auth mode this triggers the normal refresh-token flow. In external auth mode this flag is ignored. Clients should refresh tokens themselves and call `account/login/start` with `chatgptAuthTokens`.
   */
  refreshToken: t.boolean,
}, 'GetAccountParams');
export type GetAccountParams = t.TypeOf<typeof GetAccountParams>;

/** One usage window: percent used, its length and when it resets. */
export const RateLimitWindow = t.intersection([
  t.type({
    usedPercent: int32,
  }),
  t.partial({
    resetsAt: t.union([int64, t.null]),
    windowDurationMins: t.union([int64, t.null]),
  }),
], 'RateLimitWindow');
export type RateLimitWindow = t.TypeOf<typeof RateLimitWindow>;

/** ChatGPT usage limits at one moment: primary/secondary windows, credits, plan. */
export const RateLimitSnapshot = t.partial({
  credits: t.union([CreditsSnapshot, t.null]),
  limitId: t.union([t.string, t.null]),
  limitName: t.union([t.string, t.null]),
  planType: t.union([PlanType, t.null]),
  primary: t.union([RateLimitWindow, t.null]),
  secondary: t.union([RateLimitWindow, t.null]),
}, 'RateLimitSnapshot');
export type RateLimitSnapshot = t.TypeOf<typeof RateLimitSnapshot>;

/** Result of `account/rateLimits/read`. */
export const GetAccountRateLimitsResponse = t.intersection([
  t.type({
    /** Backward-compatible single-bucket view; mirrors the historical payload. */
    rateLimits: RateLimitSnapshot,
  }),
  t.partial({
    /** Multi-bucket view keyed by metered `limit_id` (for example, `codex`). */
    rateLimitsByLimitId: t.union([t.record(t.string, RateLimitSnapshot), t.null]),
  }),
], 'GetAccountRateLimitsResponse');
export type GetAccountRateLimitsResponse = t.TypeOf<typeof GetAccountRateLimitsResponse>;

/** Result of `account/read`. */
export const GetAccountResponse = t.intersection([
  t.type({
    requiresOpenaiAuth: t.boolean,
  }),
  t.partial({
    account: t.union([Account, t.null]),
  }),
], 'GetAccountResponse');
export type GetAccountResponse = t.TypeOf<typeof GetAccountResponse>;

/** Params of `account/login/start`. */
export const LoginAccountParams = t.union([
  t.type({
    apiKey: t.string,
    type: t.literal('apiKey'),
  }, 'ApiKeyLoginAccountParams'),
  t.type({
    type: t.literal('chatgpt'),
  }, 'ChatgptLoginAccountParams'),
  /** [UNSTABLE] FOR OPENAI INTERNAL USE ONLY - DO NOT USE. The access token must contain the same scopes that Codex-managed ChatGPT auth tokens have. */
  experimentalVariant(t.intersection([
    t.type({
      /** Access token (JWT) supplied by the client. This token is used for backend API requests and email extraction. */
      accessToken: t.string,
      /** Workspace/account identifier supplied by the client. */
      chatgptAccountId: t.string,
      type: t.literal('chatgptAuthTokens'),
    }),
    t.partial({
      /**
       * Optional plan type supplied by the client.
       *
       * When `null`, Codex attempts to derive the plan type from access-token claims. If unavailable, the plan defaults to `unknown`.
       */
      chatgptPlanType: t.union([t.string, t.null]),
    }),
  ], 'ChatgptAuthTokensLoginAccountParams'), 'chatgptAuthTokens'),
], 'LoginAccountParams');
export type LoginAccountParams = t.TypeOf<typeof LoginAccountParams>;

/** Result of `account/login/start`. */
export const LoginAccountResponse = t.union([
  t.type({
    type: t.literal('apiKey'),
  }, 'ApiKeyLoginAccountResponse'),
  t.type({
    /** URL the client should open in a browser to initiate the OAuth flow. */
    authUrl: t.string,
    loginId: t.string,
    type: t.literal('chatgpt'),
  }, 'ChatgptLoginAccountResponse'),
  t.type({
    type: t.literal('chatgptAuthTokens'),
  }, 'ChatgptAuthTokensLoginAccountResponse'),
], 'LoginAccountResponse');
export type LoginAccountResponse = t.TypeOf<typeof LoginAccountResponse>;

/** Result of `account/logout`. */
export const LogoutAccountResponse = t.type({}, 'LogoutAccountResponse');
export type LogoutAccountResponse = t.TypeOf<typeof LogoutAccountResponse>;
