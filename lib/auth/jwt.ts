import type { PlanType } from '../protocol/v2/common.js';

/** The ChatGPT claims rxagent reads from an ID or access token (SPEC §9.3). */
export interface ChatgptClaims {
  readonly email: string | null;
  /** The raw `chatgpt_plan_type` claim; see `planTypeOf` for the wire value. */
  readonly planType: string | null;
  readonly userId: string | null;
  /** The workspace (`chatgpt_account_id`) the token was issued for. */
  readonly accountId: string | null;
}

/** A token that is not a three-part JWT with a JSON payload; the message never quotes the token. */
export class MalformedJwtError extends Error {
  constructor(what: string) {
    super(`the ${what} is not a JWT with a readable payload`);
    this.name = 'MalformedJwtError';
  }
}

const AUTH_CLAIM = 'https://api.openai.com/auth';
const PROFILE_CLAIM = 'https://api.openai.com/profile';

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * The payload of an (unverified) JWT. Signatures are not checked: the token came from the issuer
 * over TLS or from the client that owns it, and the backend verifies it on every request.
 *
 * @example
 * jwtPayload('eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImFAYi5jIn0.sig', 'ID token'); // { email: 'a@b.c' }
 */
export const jwtPayload = (token: string, what: string): Record<string, unknown> => {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => part === '')) throw new MalformedJwtError(what);
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new MalformedJwtError(what);
    return payload as Record<string, unknown>;
  } catch {
    throw new MalformedJwtError(what);
  }
};

/**
 * Email, plan, user and workspace claims of a ChatGPT token; the email falls back to the profile
 * claim, the user id to `user_id`, as the reference reads them.
 *
 * @example
 * chatgptClaims(idToken, 'ID token').accountId; // 'ws-123'
 */
export const chatgptClaims = (token: string, what: string): ChatgptClaims => {
  const payload = jwtPayload(token, what);
  const auth = obj(payload[AUTH_CLAIM]);
  return {
    email: str(payload.email) ?? str(obj(payload[PROFILE_CLAIM]).email),
    planType: str(auth.chatgpt_plan_type),
    userId: str(auth.chatgpt_user_id) ?? str(auth.user_id),
    accountId: str(auth.chatgpt_account_id),
  };
};

const PLAN_ALIASES: Readonly<Record<string, PlanType>> = {
  free: 'free',
  go: 'go',
  plus: 'plus',
  pro: 'pro',
  team: 'team',
  business: 'business',
  enterprise: 'enterprise',
  hc: 'enterprise',
  edu: 'edu',
  education: 'edu',
};

/**
 * The wire `PlanType` of a raw plan claim (case-insensitive; unknown plans are `unknown`).
 *
 * @example
 * planTypeOf('Education'); // 'edu'
 */
export const planTypeOf = (raw: string): PlanType => PLAN_ALIASES[raw.toLowerCase()] ?? 'unknown';
