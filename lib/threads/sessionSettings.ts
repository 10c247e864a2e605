import type { ConfigSettings, SandboxWorkspaceWriteSettings } from '../config/configSettings.js';
import type { AskForApproval, Personality, ReasoningEffort, ReasoningSummary, SandboxMode, SandboxPolicy } from '../protocol/index.js';

/** The typed fields of thread/start, resume and fork: "harness overrides", above every config layer. */
export interface TypedOverrides {
  readonly model?: string | null;
  readonly modelProvider?: string | null;
  readonly approvalPolicy?: AskForApproval | null;
  readonly sandbox?: SandboxMode | null;
  readonly personality?: Personality | null;
  readonly baseInstructions?: string | null;
  readonly developerInstructions?: string | null;
}

/**
 * What a session runs with, resolved once from the effective config and the request's typed
 * fields; turns may override parts of it later (sticky, SPEC §4.10).
 */
export interface SessionSettings {
  readonly model: string;
  readonly modelProvider: string;
  readonly cwd: string;
  readonly approvalPolicy: AskForApproval;
  readonly sandboxPolicy: SandboxPolicy;
  readonly reasoningEffort: ReasoningEffort | null;
  readonly reasoningSummary: ReasoningSummary;
  readonly personality: Personality | null;
  readonly baseInstructions: string | null;
  readonly developerInstructions: string | null;
  /**
   * The AGENTS.md instructions for the session's cwd, read once when the thread is created or
   * loaded (they open its initial context and are recorded in every `turn_context`); `undefined`
   * until then.
   */
  readonly userInstructions?: string | null;
}

/**
 * The sandbox policy a mode names, with the `[sandbox_workspace_write]` settings for
 * `workspace-write` (SPEC §4.1: responses carry the policy object, not the mode).
 *
 * @example
 * sandboxPolicyFor('read-only', {}); // { type: 'readOnly', access: { type: 'fullAccess' } }
 */
export const sandboxPolicyFor = (mode: SandboxMode, workspaceWrite: SandboxWorkspaceWriteSettings): SandboxPolicy => {
  switch (mode) {
    case 'danger-full-access':
      return { type: 'dangerFullAccess' };
    case 'read-only':
      return { type: 'readOnly', access: { type: 'fullAccess' } };
    case 'workspace-write':
      return {
        type: 'workspaceWrite',
        writableRoots: [...workspaceWrite.writableRoots],
        readOnlyAccess: { type: 'fullAccess' },
        networkAccess: workspaceWrite.networkAccess,
        excludeTmpdirEnvVar: workspaceWrite.excludeTmpdirEnvVar,
        excludeSlashTmp: workspaceWrite.excludeSlashTmp,
      };
  }
};

/** What the model catalog tells settings about a model. */
export interface ModelDefaults {
  readonly defaultModel: string;
  readonly defaultReasoningEffort: (model: string) => ReasoningEffort | null;
}

/** The effective config's request fields as config keys (`thread/*` typed params are harness overrides). */
export const typedConfigOverrides = (overrides: TypedOverrides): Record<string, string> => {
  const entries: Array<[string, string | null | undefined]> = [
    ['model', overrides.model],
    ['model_provider', overrides.modelProvider],
    ['approval_policy', overrides.approvalPolicy],
    ['sandbox_mode', overrides.sandbox],
    ['personality', overrides.personality],
    ['developer_instructions', overrides.developerInstructions],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === 'string'));
};

/**
 * Resolves a session's settings from the typed view of its effective config (typed request
 * fields already on top), falling back to rxagent's defaults: the catalog's default model,
 * approval `on-request`, sandbox `read-only`, summary `auto`.
 *
 * @example
 * resolveSessionSettings(configSettings(effective), '/p', null, defaults).approvalPolicy; // 'on-request'
 */
export const resolveSessionSettings = (
  config: ConfigSettings,
  cwd: string,
  baseInstructions: string | null,
  models: ModelDefaults,
): SessionSettings => {
  const model = config.model ?? models.defaultModel;
  return {
    model,
    modelProvider: config.modelProvider,
    cwd,
    approvalPolicy: config.approvalPolicy ?? 'on-request',
    sandboxPolicy: sandboxPolicyFor(config.sandboxMode ?? 'read-only', config.sandboxWorkspaceWrite),
    reasoningEffort: config.reasoningEffort ?? models.defaultReasoningEffort(model),
    reasoningSummary: config.reasoningSummary ?? 'auto',
    // With the `personality` feature on (the default) and nothing configured, pragmatic (SPEC §10.6).
    personality: config.personality ?? (config.features.personality === false ? null : 'pragmatic'),
    baseInstructions,
    developerInstructions: config.developerInstructions ?? null,
  };
};
