import type { CoreRateLimitSnapshot, CoreRateLimitWindow } from '../model/rateLimits.js';
import type { RateLimitSnapshot, RateLimitWindow } from '../protocol/index.js';

const window = (w: CoreRateLimitWindow | null): RateLimitWindow | null =>
  w === null ? null : { usedPercent: Math.round(w.used_percent), windowDurationMins: w.window_minutes, resetsAt: w.resets_at };

/**
 * A core rate-limit snapshot (as `token_count` persists it) in its v2 wire form, for
 * `account/rateLimits/updated`.
 *
 * @example
 * rateLimitsWire({ limit_id: 'codex', limit_name: null, primary: null, secondary: null, credits: null, plan_type: null });
 * // { limitId: 'codex', limitName: null, primary: null, secondary: null, credits: null, planType: null }
 */
export const rateLimitsWire = (s: CoreRateLimitSnapshot): RateLimitSnapshot => ({
  limitId: s.limit_id,
  limitName: s.limit_name,
  primary: window(s.primary),
  secondary: window(s.secondary),
  credits: s.credits === null ? null : { hasCredits: s.credits.has_credits, unlimited: s.credits.unlimited, balance: s.credits.balance },
  planType: s.plan_type as RateLimitSnapshot['planType'],
});
