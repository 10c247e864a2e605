import type { ExperimentalFeature, ExperimentalFeatureStage } from '../protocol/v2/model.js';

/** One `[features]` flag: its config key, lifecycle stage and default. */
export interface FeatureFlag {
  readonly name: string;
  readonly stage: ExperimentalFeatureStage;
  readonly defaultEnabled: boolean;
  /** What an "experimental features" screen shows; only beta flags have it. */
  readonly beta?: { readonly displayName: string; readonly description: string; readonly announcement: string };
}

const flag = (name: string, stage: ExperimentalFeatureStage, defaultEnabled: boolean): FeatureFlag => ({ name, stage, defaultEnabled });

/**
 * The feature flags of Codex 0.101.0, in its order, so a client's feature screen and its
 * `config/value/write` of `features.<name>` work against rxagent as against the reference (the
 * keys, stages and defaults are the reference's, observed with `experimentalFeature/list`; the
 * beta texts are rxagent's own). rxagent acts on `unified_exec`, `apply_patch_freeform`,
 * `personality` and `responses_websockets(_v2)`; the others are listed and stored, to no effect.
 */
export const FEATURE_FLAGS: readonly FeatureFlag[] = [
  flag('undo', 'stable', false),
  flag('shell_tool', 'stable', true),
  flag('unified_exec', 'stable', true),
  flag('shell_snapshot', 'stable', true),
  flag('js_repl', 'underDevelopment', false),
  flag('web_search_request', 'deprecated', false),
  flag('web_search_cached', 'deprecated', false),
  flag('search_tool', 'removed', false),
  flag('runtime_metrics', 'underDevelopment', false),
  flag('sqlite', 'underDevelopment', false),
  flag('memory_tool', 'underDevelopment', false),
  flag('child_agents_md', 'underDevelopment', false),
  flag('apply_patch_freeform', 'underDevelopment', false),
  {
    ...flag('use_linux_sandbox_bwrap', 'beta', false),
    beta: {
      displayName: 'Bubblewrap sandbox',
      description: 'Sandbox commands on Linux with bubblewrap.',
      announcement: 'Linux commands can now run in a bubblewrap sandbox that keeps .git and .codex read-only. Turn it on under experimental features.',
    },
  },
  flag('request_rule', 'stable', true),
  flag('experimental_windows_sandbox', 'removed', false),
  flag('elevated_windows_sandbox', 'removed', false),
  flag('remote_models', 'stable', true),
  flag('powershell_utf8', 'underDevelopment', false),
  flag('enable_request_compression', 'stable', true),
  {
    ...flag('collab', 'beta', false),
    beta: {
      displayName: 'Sub-agents',
      description: 'Let the agent start helper agents in threads of their own.',
      announcement: 'The agent can now hand parts of a task to helper agents. Turn it on under experimental features.',
    },
  },
  {
    ...flag('apps', 'beta', false),
    beta: {
      displayName: 'Apps',
      description: 'Use connected apps from a conversation.',
      announcement: 'Connected apps can now be used from a conversation. Turn it on under experimental features.',
    },
  },
  flag('skill_mcp_dependency_install', 'stable', true),
  flag('skill_env_var_dependency_prompt', 'underDevelopment', false),
  flag('steer', 'stable', true),
  flag('collaboration_modes', 'stable', true),
  flag('personality', 'stable', true),
  flag('responses_websockets', 'underDevelopment', false),
  flag('responses_websockets_v2', 'underDevelopment', false),
];

/**
 * The flags as `experimentalFeature/list` shows them: `enabled` is the configured value (the
 * `[features]` table, a profile's on top), else the default.
 *
 * @example
 * featureList({ personality: false }).find((f) => f.name === 'personality')?.enabled; // false
 */
export const featureList = (configured: Readonly<Record<string, boolean>>): ExperimentalFeature[] =>
  FEATURE_FLAGS.map(({ name, stage, defaultEnabled, beta }) => ({
    name,
    stage,
    displayName: beta?.displayName ?? null,
    description: beta?.description ?? null,
    announcement: beta?.announcement ?? null,
    enabled: configured[name] ?? defaultEnabled,
    defaultEnabled,
  }));
