// Rate-limit snapshots the Codex backend reports in response headers (SPEC §12.3) and, on the
// WebSocket transport, in `codex.rate_limits` events. Shapes are the core (snake_case) ones that
// `token_count` events carry.

/** One usage window: how much is used and when it resets. */
export interface CoreRateLimitWindow {
  readonly used_percent: number;
  readonly window_minutes: number | null;
  /** Unix seconds. */
  readonly resets_at: number | null;
}

/** Credits of the account, when the backend reports them. */
export interface CoreCreditsSnapshot {
  readonly has_credits: boolean;
  readonly unlimited: boolean;
  readonly balance: string | null;
}

/** One metered limit (`codex`, or another family such as `codex_other`). */
export interface CoreRateLimitSnapshot {
  readonly limit_id: string;
  readonly limit_name: string | null;
  readonly primary: CoreRateLimitWindow | null;
  readonly secondary: CoreRateLimitWindow | null;
  readonly credits: CoreCreditsSnapshot | null;
  readonly plan_type: string | null;
}

type Headers = Readonly<Record<string, string | undefined>>;

const header = (headers: Headers, name: string): string | undefined => headers[name]?.trim() || undefined;

const float = (headers: Headers, name: string): number | undefined => {
  const raw = header(headers, name);
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) ? value : undefined;
};

const integer = (headers: Headers, name: string): number | null => {
  const raw = header(headers, name);
  return raw !== undefined && /^-?\d+$/.test(raw) ? Number(raw) : null;
};

const bool = (headers: Headers, name: string): boolean | undefined => {
  const raw = header(headers, name)?.toLowerCase();
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return undefined;
};

const windowOf = (headers: Headers, prefix: string): CoreRateLimitWindow | null => {
  const used = float(headers, `${prefix}-used-percent`);
  if (used === undefined) return null;
  const windowMinutes = integer(headers, `${prefix}-window-minutes`);
  const resetsAt = integer(headers, `${prefix}-reset-at`);
  // A window of all zeros is how the backend says "no data".
  const hasData = used !== 0 || (windowMinutes !== null && windowMinutes !== 0) || resetsAt !== null;
  return hasData ? { used_percent: used, window_minutes: windowMinutes, resets_at: resetsAt } : null;
};

const creditsOf = (headers: Headers): CoreCreditsSnapshot | null => {
  const hasCredits = bool(headers, 'x-codex-credits-has-credits');
  const unlimited = bool(headers, 'x-codex-credits-unlimited');
  if (hasCredits === undefined || unlimited === undefined) return null;
  return { has_credits: hasCredits, unlimited, balance: header(headers, 'x-codex-credits-balance') ?? null };
};

const normalizeLimitId = (name: string): string => name.trim().toLowerCase().replaceAll('-', '_');

const snapshotFor = (headers: Headers, limitId: string): CoreRateLimitSnapshot => {
  const prefix = `x-${limitId.replaceAll('_', '-')}`;
  return {
    limit_id: normalizeLimitId(limitId),
    limit_name: header(headers, `${prefix}-limit-name`) ?? null,
    primary: windowOf(headers, `${prefix}-primary`),
    secondary: windowOf(headers, `${prefix}-secondary`),
    credits: creditsOf(headers),
    plan_type: null,
  };
};

const PRIMARY_SUFFIX = '-primary-used-percent';

/** The `codex` snapshot when nothing is known yet, as the reference reports it before a response. */
export const UNKNOWN_CODEX_LIMITS: CoreRateLimitSnapshot = { limit_id: 'codex', limit_name: null, primary: null, secondary: null, credits: null, plan_type: null };

/**
 * The snapshots in a response's headers (names in lower case): always the `codex` one (possibly
 * empty, as the reference reports it), then every other `x-<limit>-primary-used-percent` family
 * that carries data.
 *
 * @example
 * rateLimitsFromHeaders({ 'x-codex-primary-used-percent': '12.5', 'x-codex-primary-window-minutes': '300' })[0].primary;
 * // { used_percent: 12.5, window_minutes: 300, resets_at: null }
 */
export const rateLimitsFromHeaders = (headers: Headers): CoreRateLimitSnapshot[] => {
  const families = new Set<string>();
  for (const name of Object.keys(headers)) {
    if (!name.startsWith('x-') || !name.endsWith(PRIMARY_SUFFIX)) continue;
    const id = normalizeLimitId(name.slice(2, -PRIMARY_SUFFIX.length));
    if (id !== 'codex' && id !== '') families.add(id);
  }
  const others = [...families]
    .sort()
    .map((id) => snapshotFor(headers, id))
    .filter((s) => s.primary !== null || s.secondary !== null || s.credits !== null);
  return [snapshotFor(headers, 'codex'), ...others];
};

interface RateLimitEventWindow {
  readonly used_percent?: unknown;
  readonly window_minutes?: unknown;
  readonly reset_at?: unknown;
}

const eventWindow = (window: RateLimitEventWindow | null | undefined): CoreRateLimitWindow | null =>
  window && typeof window.used_percent === 'number'
    ? {
        used_percent: window.used_percent,
        window_minutes: typeof window.window_minutes === 'number' ? window.window_minutes : null,
        resets_at: typeof window.reset_at === 'number' ? window.reset_at : null,
      }
    : null;

/**
 * The snapshot of a `codex.rate_limits` WebSocket event, or `undefined` for any other payload.
 *
 * @example
 * rateLimitsFromEvent({ type: 'codex.rate_limits', rate_limits: { primary: { used_percent: 5 } } })?.primary?.used_percent; // 5
 */
export const rateLimitsFromEvent = (event: Readonly<Record<string, unknown>>): CoreRateLimitSnapshot | undefined => {
  if (event.type !== 'codex.rate_limits') return undefined;
  const limits = (typeof event.rate_limits === 'object' && event.rate_limits !== null ? event.rate_limits : {}) as Record<string, RateLimitEventWindow | null>;
  const credits = event.credits as { has_credits?: unknown; unlimited?: unknown; balance?: unknown } | null | undefined;
  const name = typeof event.metered_limit_name === 'string' ? event.metered_limit_name : typeof event.limit_name === 'string' ? event.limit_name : 'codex';
  return {
    limit_id: normalizeLimitId(name),
    limit_name: null,
    primary: eventWindow(limits.primary),
    secondary: eventWindow(limits.secondary),
    credits:
      credits && typeof credits.has_credits === 'boolean' && typeof credits.unlimited === 'boolean'
        ? { has_credits: credits.has_credits, unlimited: credits.unlimited, balance: typeof credits.balance === 'string' ? credits.balance : null }
        : null,
    plan_type: typeof event.plan_type === 'string' ? event.plan_type : null,
  };
};
