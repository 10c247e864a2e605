import * as t from 'io-ts';
import type { CoreRateLimitSnapshot, CoreRateLimitWindow } from '../model/rateLimits.js';
import { int32 } from '../protocol/codec.js';
import type { PlanType } from '../protocol/index.js';

// The ChatGPT backend's usage payload (`GET …/wham/usage`), decoded as strictly as the reference
// does: a missing required member or a value of the wrong type fails the whole read.

// `int32` refuses fractions and values past 32 bits, as the reference's `i32` fields do.
const UsageWindow = t.type({
  used_percent: int32,
  limit_window_seconds: int32,
  reset_after_seconds: int32,
  reset_at: int32,
}, 'UsageWindow');

const UsageRateLimit = t.intersection([
  t.type({ allowed: t.boolean, limit_reached: t.boolean }),
  t.partial({ primary_window: t.union([UsageWindow, t.null]), secondary_window: t.union([UsageWindow, t.null]) }),
], 'UsageRateLimit');

const UsageCredits = t.intersection([
  t.type({ has_credits: t.boolean, unlimited: t.boolean }),
  t.partial({ balance: t.union([t.string, t.null]) }),
], 'UsageCredits');

const AdditionalRateLimit = t.intersection([
  t.type({ limit_name: t.string, metered_feature: t.string }),
  t.partial({ rate_limit: t.union([UsageRateLimit, t.null]) }),
], 'AdditionalRateLimit');

/** The backend's plan names; several have no protocol `PlanType` of their own. */
const BackendPlan = t.keyof({
  guest: null, free: null, go: null, plus: null, pro: null, free_workspace: null, team: null,
  business: null, education: null, quorum: null, k12: null, enterprise: null, edu: null,
}, 'BackendPlan');

/** The usage payload: plan, the main limit, credits and further metered limits. */
export const UsagePayload = t.intersection([
  t.type({ plan_type: BackendPlan }),
  t.partial({
    rate_limit: t.union([UsageRateLimit, t.null]),
    credits: t.union([UsageCredits, t.null]),
    additional_rate_limits: t.union([t.array(AdditionalRateLimit), t.null]),
  }),
], 'UsagePayload');
export type UsagePayload = t.TypeOf<typeof UsagePayload>;

const PLAN_TYPES: Readonly<Record<t.TypeOf<typeof BackendPlan>, PlanType>> = {
  guest: 'unknown', free: 'free', go: 'go', plus: 'plus', pro: 'pro', free_workspace: 'unknown', team: 'team',
  business: 'business', education: 'edu', quorum: 'unknown', k12: 'unknown', enterprise: 'enterprise', edu: 'edu',
};

const usageWindow = (w: t.TypeOf<typeof UsageWindow> | null | undefined): CoreRateLimitWindow | null =>
  w == null
    ? null
    : { used_percent: w.used_percent, window_minutes: w.limit_window_seconds > 0 ? Math.ceil(w.limit_window_seconds / 60) : null, resets_at: w.reset_at };

/**
 * The snapshots a usage payload describes: the main `codex` limit first (with the credits), then
 * one per further metered limit, keyed by its metered feature.
 *
 * @example
 * usageSnapshots({ plan_type: 'plus', rate_limit: null })[0]; // { limit_id: 'codex', plan_type: 'plus', primary: null, … }
 */
export const usageSnapshots = (payload: UsagePayload): CoreRateLimitSnapshot[] => {
  const plan = PLAN_TYPES[payload.plan_type];
  const main: CoreRateLimitSnapshot = {
    limit_id: 'codex',
    limit_name: null,
    primary: usageWindow(payload.rate_limit?.primary_window),
    secondary: usageWindow(payload.rate_limit?.secondary_window),
    credits: payload.credits == null ? null : { has_credits: payload.credits.has_credits, unlimited: payload.credits.unlimited, balance: payload.credits.balance ?? null },
    plan_type: plan,
  };
  const additional = (payload.additional_rate_limits ?? []).map((extra): CoreRateLimitSnapshot => ({
    limit_id: extra.metered_feature,
    limit_name: extra.limit_name,
    primary: usageWindow(extra.rate_limit?.primary_window),
    secondary: usageWindow(extra.rate_limit?.secondary_window),
    credits: null,
    plan_type: plan,
  }));
  return [main, ...additional];
};
