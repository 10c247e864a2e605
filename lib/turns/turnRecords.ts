import type { CollaborationMode, SandboxPolicy, ThreadTokenUsage, TokenUsageBreakdown } from '../protocol/index.js';
import type { CoreTokenUsage } from '../rollout/eventMsg.js';
import type { TurnContext } from '../rollout/turnContext.js';
import type { SessionSettings } from '../threads/sessionSettings.js';

/**
 * The core (rollout) form of a sandbox policy: kebab-case `type`, snake_case fields, empty
 * writable roots and full read access omitted (SPEC §6.3).
 *
 * @example
 * coreSandboxPolicy({ type: 'readOnly', access: { type: 'fullAccess' } }); // { type: 'read-only' }
 */
export const coreSandboxPolicy = (policy: SandboxPolicy): Record<string, unknown> => {
  switch (policy.type) {
    case 'dangerFullAccess':
      return { type: 'danger-full-access' };
    case 'readOnly':
      return { type: 'read-only' };
    case 'externalSandbox':
      return { type: 'external-sandbox', network_access: policy.networkAccess ?? 'restricted' };
    case 'workspaceWrite':
      return {
        type: 'workspace-write',
        ...((policy.writableRoots?.length ?? 0) > 0 ? { writable_roots: policy.writableRoots } : {}),
        network_access: policy.networkAccess ?? false,
        exclude_tmpdir_env_var: policy.excludeTmpdirEnvVar ?? false,
        exclude_slash_tmp: policy.excludeSlashTmp ?? false,
      };
  }
};

/** The `turn_context` line written before each model request of a turn (SPEC §6.3). */
export const turnContextPayload = (
  turnId: string,
  settings: SessionSettings,
  mode: CollaborationMode,
  outputSchema: unknown,
  truncationPolicy: { readonly mode: string; readonly limit: number } | null,
): TurnContext => ({
  turn_id: turnId,
  cwd: settings.cwd,
  approval_policy: settings.approvalPolicy,
  sandbox_policy: coreSandboxPolicy(settings.sandboxPolicy),
  model: settings.model,
  ...(settings.personality ? { personality: settings.personality } : {}),
  collaboration_mode: mode as unknown as Record<string, unknown>,
  ...(settings.reasoningEffort ? { effort: settings.reasoningEffort } : {}),
  summary: settings.reasoningSummary,
  ...(settings.userInstructions ? { user_instructions: settings.userInstructions } : {}),
  ...(settings.developerInstructions ? { developer_instructions: settings.developerInstructions } : {}),
  ...(outputSchema !== undefined && outputSchema !== null ? { final_output_json_schema: outputSchema } : {}),
  ...(truncationPolicy ? { truncation_policy: { mode: truncationPolicy.mode, limit: truncationPolicy.limit } } : {}),
});

const breakdown = (u: CoreTokenUsage): TokenUsageBreakdown => ({
  totalTokens: u.total_tokens,
  inputTokens: u.input_tokens,
  cachedInputTokens: u.cached_input_tokens,
  outputTokens: u.output_tokens,
  reasoningOutputTokens: u.reasoning_output_tokens,
});

// In the reference's member order, so that rewritten usage reads as the reference writes it.
const core = (b: TokenUsageBreakdown): CoreTokenUsage => ({
  input_tokens: b.inputTokens,
  cached_input_tokens: b.cachedInputTokens,
  output_tokens: b.outputTokens,
  reasoning_output_tokens: b.reasoningOutputTokens,
  total_tokens: b.totalTokens,
});

/** The persisted `token_count.info` and its wire twin for `thread/tokenUsage/updated`. */
export interface TokenInfo {
  readonly total_token_usage: CoreTokenUsage;
  readonly last_token_usage: CoreTokenUsage;
  readonly model_context_window: number | null;
}

export const tokenInfoWire = (info: TokenInfo): ThreadTokenUsage => ({
  total: breakdown(info.total_token_usage),
  last: breakdown(info.last_token_usage),
  modelContextWindow: info.model_context_window,
});

/** The thread's usage so far (as its rollout folds to) in core form, or `null` before any. */
export const tokenInfoOf = (usage: ThreadTokenUsage | null): TokenInfo | null =>
  usage === null
    ? null
    : { total_token_usage: core(usage.total), last_token_usage: core(usage.last), model_context_window: usage.modelContextWindow ?? null };

/** Adds one response's usage to the running total. */
export const addUsage = (previous: TokenInfo | null, last: CoreTokenUsage, window: number | null): TokenInfo => {
  const total = previous?.total_token_usage;
  const sum = (key: keyof CoreTokenUsage): number => (total?.[key] ?? 0) + last[key];
  return {
    total_token_usage: {
      input_tokens: sum('input_tokens'),
      cached_input_tokens: sum('cached_input_tokens'),
      output_tokens: sum('output_tokens'),
      reasoning_output_tokens: sum('reasoning_output_tokens'),
      total_tokens: sum('total_tokens'),
    },
    last_token_usage: last,
    model_context_window: window,
  };
};
