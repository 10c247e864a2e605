import * as E from 'fp-ts/lib/Either.js';
import { STATUS_CODES } from 'node:http';
import type { CoreRateLimitSnapshot } from '../model/rateLimits.js';
import { decodeAt } from '../protocol/decode.js';
import type { ModelCredentials } from './credentials.js';
import { UsagePayload, usageSnapshots } from './usagePayload.js';

/** How much of a failing answer's body an error message quotes. */
const BODY_EXCERPT = 1000;

/**
 * Where the account's usage is read, from the configured `chatgpt_base_url` as the reference
 * derives it: trailing slashes dropped, `/backend-api` added to a bare ChatGPT host, then
 * `/wham/usage` under a backend-api base and `/api/codex/usage` under any other.
 *
 * @example
 * usageUrl('https://chatgpt.com/backend-api/'); // 'https://chatgpt.com/backend-api/wham/usage'
 * usageUrl('http://127.0.0.1:8080');            // 'http://127.0.0.1:8080/api/codex/usage'
 */
export const usageUrl = (chatgptBaseUrl: string): string => {
  let base = chatgptBaseUrl.replace(/\/+$/, '');
  if (/^https:\/\/(chatgpt\.com|chat\.openai\.com)/.test(base) && !base.includes('/backend-api')) base = `${base}/backend-api`;
  return base.includes('/backend-api') ? `${base}/wham/usage` : `${base}/api/codex/usage`;
};

/** The usage could not be read: unreachable, an HTTP error, or a payload that does not decode. */
export class UsageFetchError extends Error {}

export interface UsageRequest {
  readonly chatgptBaseUrl: string;
  readonly credentials: ModelCredentials;
  readonly userAgent: string;
  /** Injected in tests; the global `fetch` otherwise. */
  readonly fetch?: typeof fetch;
}

/**
 * Reads the ChatGPT account's usage limits (for `account/rateLimits/read`): one GET with the
 * account's token, decoded into snapshots, the main `codex` limit first. Throws
 * `UsageFetchError` saying what failed, with the answer's type and body when there was one.
 *
 * @example
 * const [codex, ...others] = await fetchUsage({ chatgptBaseUrl, credentials, userAgent });
 */
export const fetchUsage = async (request: UsageRequest): Promise<CoreRateLimitSnapshot[]> => {
  const url = usageUrl(request.chatgptBaseUrl);
  let response: Response;
  let body: string;
  try {
    response = await (request.fetch ?? fetch)(url, { headers: { ...request.credentials.headers(), 'User-Agent': request.userAgent, Accept: 'application/json' } });
    body = await response.text();
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new UsageFetchError(`GET ${url} failed: ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
  }
  const details = `content-type=${response.headers.get('content-type') ?? ''}; body=${body.slice(0, BODY_EXCERPT)}`;
  if (!response.ok) throw new UsageFetchError(`GET ${url} failed: ${response.status} ${STATUS_CODES[response.status] ?? response.statusText}; ${details}`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new UsageFetchError(`Decode error for ${url}: ${(err as Error).message}; ${details}`);
  }
  const payload = decodeAt(UsagePayload, json, 'usage');
  if (E.isLeft(payload)) throw new UsageFetchError(`Decode error for ${url}: ${payload.left}; ${details}`);
  return usageSnapshots(payload.right);
};
