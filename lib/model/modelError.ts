import { STATUS_CODES } from 'node:http';
import type { CodexErrorInfo } from '../protocol/v2/thread.js';

// Failures of a model request, classified the way the reference's `map_api_error` and
// `CodexErr` do (SPEC §12.3, §12.4), so the turn can report `codexErrorInfo`, decide on retries
// and run the 401 recovery.

/**
 * What went wrong, as a stable tag:
 * - `contextWindowExceeded`, `quotaExceeded`, `usageNotIncluded`, `usageLimitReached`,
 *   `serverOverloaded`: the backend refused; never retried.
 * - `invalidRequest` (400 or `invalid_prompt`), `invalidImage` (400 about image data; the turn
 *   may strip images and try again): never retried.
 * - `internalServerError` (500), `unexpectedStatus` (any other status): retried.
 * - `retryLimit`: 429 without a usage reason, after the request-level retries: never retried.
 * - `unauthorized`: 401 with no (more) credential recovery: never retried.
 * - `connectionFailed`: no HTTP response (refused, reset, DNS…): retried.
 * - `streamFailed`: the body broke off with a transport error: retried.
 * - `streamDisconnected`: the stream ended, idled or failed before `response.completed`: retried.
 * - `missingEnvKey`: the provider's `env_key` is unset: never retried.
 * - `websocketUpgradeRequired`: the WebSocket handshake got 426; the caller falls back to HTTP.
 */
export type ModelErrorKind =
  | 'contextWindowExceeded'
  | 'quotaExceeded'
  | 'usageNotIncluded'
  | 'usageLimitReached'
  | 'serverOverloaded'
  | 'invalidRequest'
  | 'invalidImage'
  | 'internalServerError'
  | 'unexpectedStatus'
  | 'retryLimit'
  | 'unauthorized'
  | 'connectionFailed'
  | 'streamFailed'
  | 'streamDisconnected'
  | 'missingEnvKey'
  | 'websocketUpgradeRequired';

const RETRYABLE: ReadonlySet<ModelErrorKind> = new Set([
  'internalServerError',
  'unexpectedStatus',
  'connectionFailed',
  'streamFailed',
  'streamDisconnected',
]);

/** Longest error body quoted in a message: bodies are outside input. */
const MAX_BODY_CHARS = 4096;

/**
 * A failed model request. `message` is what the `error` notification shows; `codexErrorInfo` is
 * the category a client switches on; `retryable` says whether the stream-level retry applies.
 *
 * @example
 * streamResponses(request, options).subscribe({
 *   error: (err) => err instanceof ModelError && err.kind === 'unauthorized' ? refreshAndRetry() : fail(err),
 * });
 */
export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly details: {
      /** The HTTP status behind the error, when there was one. */
      readonly status?: number;
      /** A delay the server asked for before trying again. */
      readonly retryAfterMs?: number;
    } = {},
  ) {
    super(message);
    this.name = 'ModelError';
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }

  /** Whether the request is worth sending again as a whole (the reference's `is_retryable`). */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /**
   * The status the reference reports in `codexErrorInfo.*.httpStatusCode`: only errors that are
   * about an HTTP exchange carry it (`http_status_code_value`).
   */
  get httpStatusCode(): number | null {
    const carries = this.kind === 'unexpectedStatus' || this.kind === 'retryLimit' || this.kind === 'connectionFailed' || this.kind === 'streamFailed';
    return carries ? (this.details.status ?? null) : null;
  }

  /** The category for a terminal `error` notification / failed turn (SPEC §12.4). */
  get codexErrorInfo(): CodexErrorInfo {
    switch (this.kind) {
      case 'contextWindowExceeded':
        return 'contextWindowExceeded';
      case 'quotaExceeded':
      case 'usageNotIncluded':
      case 'usageLimitReached':
        return 'usageLimitExceeded';
      case 'serverOverloaded':
        return 'serverOverloaded';
      case 'internalServerError':
        return 'internalServerError';
      case 'unauthorized':
        return 'unauthorized';
      case 'retryLimit':
        return { responseTooManyFailedAttempts: { httpStatusCode: this.httpStatusCode } };
      case 'connectionFailed':
        return { httpConnectionFailed: { httpStatusCode: this.httpStatusCode } };
      case 'streamFailed':
        return { responseStreamConnectionFailed: { httpStatusCode: this.httpStatusCode } };
      default:
        return 'other';
    }
  }
}

const statusLine = (status: number): string => `${status} ${STATUS_CODES[status] ?? 'Unknown Status'}`;
const clip = (text: string): string => (text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text);
const requestIdSuffix = (requestId: string | undefined): string => (requestId ? `, request id: ${requestId}` : '');

/**
 * The stream ended or failed before `response.completed`; retried (the reference's
 * `CodexErr::Stream`).
 *
 * @example
 * streamDisconnected('idle timeout waiting for SSE').message;
 * // 'stream disconnected before completion: idle timeout waiting for SSE'
 */
export const streamDisconnected = (detail: string, retryAfterMs?: number): ModelError =>
  new ModelError('streamDisconnected', `stream disconnected before completion: ${detail}`, retryAfterMs === undefined ? {} : { retryAfterMs });

/**
 * No HTTP response came back (connection refused, reset, TLS or DNS failure).
 *
 * @example
 * connectionFailed(new Error('connect ECONNREFUSED 127.0.0.1:9')).message; // 'Connection failed: connect ECONNREFUSED 127.0.0.1:9'
 */
export const connectionFailed = (cause: Error): ModelError => new ModelError('connectionFailed', `Connection failed: ${cause.message}`);

/**
 * The response body broke off with a transport error after a 2xx status.
 *
 * @example
 * streamFailed(new Error('aborted'), 200, 'req-1').message; // 'Error while reading the server response: aborted, request id: req-1'
 */
export const streamFailed = (cause: Error, status: number, requestId?: string): ModelError =>
  new ModelError('streamFailed', `Error while reading the server response: ${cause.message}${requestIdSuffix(requestId)}`, { status });

/**
 * The provider's `env_key` is not set.
 *
 * @example
 * missingEnvKey('Missing environment variable: `MY_KEY`.').kind; // 'missingEnvKey'
 */
export const missingEnvKey = (message: string): ModelError => new ModelError('missingEnvKey', message);

/**
 * The 401 recovery failed for good (revoked refresh token, refused refresh…).
 *
 * @example
 * unauthorized('refresh token revoked').codexErrorInfo; // 'unauthorized'
 */
export const unauthorized = (message: string): ModelError => new ModelError('unauthorized', message, { status: 401 });

/** An error `code` of a `response.failed` event or a `429`/`503` body, as the reference reads it. */
export interface ApiErrorBody {
  readonly type?: string | null;
  readonly code?: string | null;
  readonly message?: string | null;
  readonly plan_type?: string | null;
  readonly resets_at?: number | null;
}

const errorBodyOf = (text: string): ApiErrorBody | undefined => {
  try {
    const parsed: unknown = JSON.parse(text);
    const error = (parsed as { error?: unknown } | null)?.error;
    return typeof error === 'object' && error !== null ? (error as ApiErrorBody) : undefined;
  } catch {
    return undefined;
  }
};

const RATE_LIMIT_DELAY = /try again in\s*(\d+(?:\.\d+)?)\s*(s|ms|seconds?)/i;

/** The delay in "Rate limit reached … Please try again in 1.5s." (only for `rate_limit_exceeded`). */
const suggestedDelayMs = (error: ApiErrorBody): number | undefined => {
  if (error.code !== 'rate_limit_exceeded') return undefined;
  const match = RATE_LIMIT_DELAY.exec(error.message ?? '');
  if (!match) return undefined;
  const value = Number.parseFloat(match[1]!);
  return match[2]!.toLowerCase() === 'ms' ? Math.floor(value) : Math.round(value * 1000);
};

const CONTEXT_WINDOW_MESSAGE =
  "Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying.";
const QUOTA_MESSAGE = 'Quota exceeded. Check your plan and billing details.';
const USAGE_NOT_INCLUDED_MESSAGE = 'To use Codex with your ChatGPT plan, upgrade to Plus: https://openai.com/chatgpt/pricing.';
const OVERLOADED_MESSAGE = 'Selected model is at capacity. Please try a different model.';
const INTERNAL_SERVER_ERROR_MESSAGE = "We're currently experiencing high demand, which may cause temporary errors.";
const INVALID_IMAGE_MARKER = 'The image data you provided does not represent a valid image';

/**
 * The error of a `response.failed` event (SPEC §12.3): context window, quota, usage not
 * included, invalid prompt and overload are final; anything else is retried, after the delay a
 * `rate_limit_exceeded` message suggests.
 *
 * @example
 * failedResponseError({ code: 'context_length_exceeded' }).kind; // 'contextWindowExceeded'
 * failedResponseError({ code: 'rate_limit_exceeded', message: 'Please try again in 2s.' }).retryAfterMs; // 2000
 */
export const failedResponseError = (error: ApiErrorBody | undefined): ModelError => {
  if (error === undefined) return streamDisconnected('response.failed event received');
  switch (error.code) {
    case 'context_length_exceeded':
      return new ModelError('contextWindowExceeded', CONTEXT_WINDOW_MESSAGE);
    case 'insufficient_quota':
      return new ModelError('quotaExceeded', QUOTA_MESSAGE);
    case 'usage_not_included':
      return new ModelError('usageNotIncluded', USAGE_NOT_INCLUDED_MESSAGE);
    case 'invalid_prompt':
      return new ModelError('invalidRequest', error.message ?? 'Invalid request.');
    case 'server_is_overloaded':
    case 'slow_down':
      return new ModelError('serverOverloaded', OVERLOADED_MESSAGE);
    default:
      return streamDisconnected(error.message ?? '', suggestedDelayMs(error));
  }
};

/** Local time of a usage-limit reset, as the reference formats it: "3:05 PM", or "Jan 2nd, 2026 3:05 PM" on another day. */
const formatReset = (resetsAt: Date, now: Date): string => {
  const time = resetsAt.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
  if (resetsAt.toDateString() === now.toDateString()) return time;
  const day = resetsAt.getDate();
  const suffix = day >= 11 && day <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[day % 10] ?? 'th';
  const month = resetsAt.toLocaleString('en-US', { month: 'short' });
  return `${month} ${day}${suffix}, ${resetsAt.getFullYear()} ${time}`;
};

const usageLimitMessage = (error: ApiErrorBody, now: Date): string => {
  const resetsAt = typeof error.resets_at === 'number' ? new Date(error.resets_at * 1000) : undefined;
  const at = resetsAt === undefined ? undefined : formatReset(resetsAt, now);
  const tryAgain = at === undefined ? ' Try again later.' : ` Try again at ${at}.`;
  const orTryAgain = at === undefined ? ' or try again later.' : ` or try again at ${at}.`;
  switch (error.plan_type) {
    case 'plus':
      return `You've hit your usage limit. Upgrade to Pro (https://openai.com/chatgpt/pricing), visit https://chatgpt.com/codex/settings/usage to purchase more credits${orTryAgain}`;
    case 'team':
    case 'business':
      return `You've hit your usage limit. To get more access now, send a request to your admin${orTryAgain}`;
    case 'free':
    case 'go':
      return "You've hit your usage limit. Upgrade to Plus to continue using Codex (https://openai.com/chatgpt/pricing).";
    case 'pro':
      return `You've hit your usage limit. Visit https://chatgpt.com/codex/settings/usage to purchase more credits${orTryAgain}`;
    default:
      return `You've hit your usage limit.${tryAgain}`;
  }
};

/** What the client knows about a non-2xx answer. */
export interface HttpFailure {
  readonly status: number;
  /** The body text (possibly cut short). */
  readonly body: string;
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** A delay the server asked for (`Retry-After`), already parsed. */
  readonly retryAfterMs?: number;
  readonly now: Date;
}

/**
 * The reference's `map_api_error` for an HTTP status (SPEC §12.4): 400 invalid request (or
 * invalid image), 401 unauthorized, 429 usage limit / usage not included / retry limit, 500
 * internal server error, 503 with an overload code, anything else an unexpected (retryable) status.
 *
 * @example
 * httpStatusError({ status: 500, body: '', url, headers: {}, now: new Date() }).codexErrorInfo; // 'internalServerError'
 */
export const httpStatusError = (failure: HttpFailure): ModelError => {
  const { status, body } = failure;
  const error = errorBodyOf(body);
  const retryAfter = failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs };
  const requestId = failure.headers['x-request-id'] ?? failure.headers['x-oai-request-id'];
  if (status === 503 && (error?.code === 'server_is_overloaded' || error?.code === 'slow_down')) {
    return new ModelError('serverOverloaded', OVERLOADED_MESSAGE, { status });
  }
  if (status === 400) {
    if (body.includes(INVALID_IMAGE_MARKER)) return new ModelError('invalidImage', 'Image poisoning', { status });
    return new ModelError('invalidRequest', clip(body), { status });
  }
  if (status === 500) return new ModelError('internalServerError', INTERNAL_SERVER_ERROR_MESSAGE, { status, ...retryAfter });
  if (status === 429) {
    if (error?.type === 'usage_limit_reached') return new ModelError('usageLimitReached', usageLimitMessage(error, failure.now), { status });
    if (error?.type === 'usage_not_included') return new ModelError('usageNotIncluded', USAGE_NOT_INCLUDED_MESSAGE, { status });
    return new ModelError('retryLimit', `exceeded retry limit, last status: ${statusLine(status)}${requestIdSuffix(requestId)}`, { status, ...retryAfter });
  }
  const message = `unexpected status ${statusLine(status)}: ${clip(body)}, url: ${failure.url}${requestIdSuffix(requestId)}`;
  return new ModelError(status === 401 ? 'unauthorized' : 'unexpectedStatus', message, { status, ...retryAfter });
};
