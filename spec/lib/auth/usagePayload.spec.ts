import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { UsagePayload, usageSnapshots } from '../../../lib/auth/usagePayload.js';

const window = (used: number, seconds: number, resetAt: number) => ({ used_percent: used, limit_window_seconds: seconds, reset_after_seconds: 10, reset_at: resetAt });
const decoded = (value: unknown): UsagePayload => {
  const result = UsagePayload.decode(value);
  if (E.isLeft(result)) throw new Error(`did not decode: ${JSON.stringify(value)}`);
  return result.right;
};

describe('usage payload', () => {
  it('maps the main limit, its credits and each further metered limit to snapshots (recorded from the reference)', () => {
    const payload = decoded({
      plan_type: 'plus',
      rate_limit: { allowed: true, limit_reached: false, primary_window: window(6, 18_000, 1_795_557_111), secondary_window: window(24, 604_800, 1_795_900_000) },
      code_review_rate_limit: { allowed: true, limit_reached: false, primary_window: window(1, 604_800, 1), secondary_window: null },
      credits: { has_credits: true, unlimited: false, balance: '5.39' },
      additional_rate_limits: [{ limit_name: 'Spark', metered_feature: 'codex_spark', rate_limit: { allowed: true, limit_reached: false, primary_window: window(50, 18_000, 1_795_550_000), secondary_window: null } }],
    });
    expect(usageSnapshots(payload)).to.deep.equal([
      {
        limit_id: 'codex',
        limit_name: null,
        primary: { used_percent: 6, window_minutes: 300, resets_at: 1_795_557_111 },
        secondary: { used_percent: 24, window_minutes: 10_080, resets_at: 1_795_900_000 },
        credits: { has_credits: true, unlimited: false, balance: '5.39' },
        plan_type: 'plus',
      },
      { limit_id: 'codex_spark', limit_name: 'Spark', primary: { used_percent: 50, window_minutes: 300, resets_at: 1_795_550_000 }, secondary: null, credits: null, plan_type: 'plus' },
    ]);
  });

  it('rounds window lengths up to minutes, has none for a length of zero or less, and keeps reset times as sent', () => {
    const [main] = usageSnapshots(decoded({ plan_type: 'pro', rate_limit: { allowed: true, limit_reached: false, primary_window: window(1, 90, 5), secondary_window: window(0, 0, 0) } }));
    expect(main!.primary).to.deep.equal({ used_percent: 1, window_minutes: 2, resets_at: 5 });
    expect(main!.secondary).to.deep.equal({ used_percent: 0, window_minutes: null, resets_at: 0 });
    expect(usageSnapshots(decoded({ plan_type: 'pro', rate_limit: { allowed: true, limit_reached: false, primary_window: window(0, -60, -7) } }))[0]!.primary).to.deep.equal({
      used_percent: 0,
      window_minutes: null,
      resets_at: -7,
    });
  });

  it('has no windows or credits when the backend sends none', () => {
    expect(usageSnapshots(decoded({ plan_type: 'free' }))).to.deep.equal([{ limit_id: 'codex', limit_name: null, primary: null, secondary: null, credits: null, plan_type: 'free' }]);
    expect(usageSnapshots(decoded({ plan_type: 'free', rate_limit: null, credits: null, additional_rate_limits: null }))).to.have.length(1);
  });

  it('names the plans the protocol has no type for unknown, and education edu', () => {
    const plans = ['guest', 'free', 'go', 'plus', 'pro', 'free_workspace', 'team', 'business', 'education', 'quorum', 'k12', 'enterprise', 'edu'];
    expect(plans.map((plan) => usageSnapshots(decoded({ plan_type: plan }))[0]!.plan_type)).to.deep.equal([
      'unknown', 'free', 'go', 'plus', 'pro', 'unknown', 'team', 'business', 'edu', 'unknown', 'unknown', 'enterprise', 'edu',
    ]);
  });

  it('refuses what the reference refuses: missing members, fractions, values past i32, unknown plans', () => {
    const refused = [
      { rate_limit: null },
      { plan_type: 'galaxy' },
      { plan_type: 'pro', rate_limit: { primary_window: null } },
      { plan_type: 'pro', rate_limit: { allowed: true, limit_reached: false, primary_window: { used_percent: 1, limit_window_seconds: 90 } } },
      { plan_type: 'pro', rate_limit: { allowed: true, limit_reached: false, primary_window: window(6.5, 60, 1) } },
      { plan_type: 'pro', rate_limit: { allowed: true, limit_reached: false, primary_window: window(3_000_000_000, 60, 1) } },
      { plan_type: 'pro', credits: { has_credits: true } },
      { plan_type: 'pro', credits: { has_credits: true, unlimited: false, balance: 5.39 } },
      { plan_type: 'pro', additional_rate_limits: [{ limit_name: 'X', rate_limit: null }] },
    ];
    for (const value of refused) expect(E.isLeft(UsagePayload.decode(value)), JSON.stringify(value)).to.equal(true);
  });
});
