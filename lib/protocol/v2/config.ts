// `config/read`, config writes and `configRequirements/read` (SPEC §10); `Config` is snake_case.

import * as t from 'io-ts';
import { anyJson, int64, uint16 } from '../codec.js';
import { experimentalField } from '../experimental.js';
import { AbsolutePathBuf, AskForApproval, ForcedLoginMethod, ReasoningEffort, ReasoningSummary, SandboxMode, SandboxWorkspaceWrite, Verbosity, WebSearchMode } from './common.js';

/** The `[analytics]` section of `Config`. */
export const AnalyticsConfig = t.partial({
  enabled: t.union([t.boolean, t.null]),
}, 'AnalyticsConfig');
export type AnalyticsConfig = t.TypeOf<typeof AnalyticsConfig>;

/** Why an app is disabled in config. */
export const AppDisabledReason = t.keyof({ unknown: null, user: null }, 'AppDisabledReason');
export type AppDisabledReason = t.TypeOf<typeof AppDisabledReason>;

/** One app's entry in the `[apps]` section of `Config`. */
export const AppConfig = t.partial({
  disabled_reason: t.union([AppDisabledReason, t.null]),
  enabled: t.boolean,
}, 'AppConfig');
export type AppConfig = t.TypeOf<typeof AppConfig>;

/** The `[apps]` section of `Config` (opaque in the reference schema). */
export const AppsConfig = t.type({}, 'AppsConfig');
export type AppsConfig = t.TypeOf<typeof AppsConfig>;

/** A named `[profiles.<name>]` section of `Config`. */
export const ProfileV2 = t.partial({
  approval_policy: t.union([AskForApproval, t.null]),
  chatgpt_base_url: t.union([t.string, t.null]),
  model: t.union([t.string, t.null]),
  model_provider: t.union([t.string, t.null]),
  model_reasoning_effort: t.union([ReasoningEffort, t.null]),
  model_reasoning_summary: t.union([ReasoningSummary, t.null]),
  model_verbosity: t.union([Verbosity, t.null]),
  web_search: t.union([WebSearchMode, t.null]),
}, 'ProfileV2');
export type ProfileV2 = t.TypeOf<typeof ProfileV2>;

/** The `[tools]` section of `Config`. */
export const ToolsV2 = t.partial({
  view_image: t.union([t.boolean, t.null]),
  web_search: t.union([t.boolean, t.null]),
}, 'ToolsV2');
export type ToolsV2 = t.TypeOf<typeof ToolsV2>;

/** The effective configuration, as `config.toml` spells it (snake_case). */
export const Config = t.partial({
  analytics: t.union([AnalyticsConfig, t.null]),
  approval_policy: t.union([AskForApproval, t.null]),
  compact_prompt: t.union([t.string, t.null]),
  developer_instructions: t.union([t.string, t.null]),
  forced_chatgpt_workspace_id: t.union([t.string, t.null]),
  forced_login_method: t.union([ForcedLoginMethod, t.null]),
  instructions: t.union([t.string, t.null]),
  model: t.union([t.string, t.null]),
  model_auto_compact_token_limit: t.union([int64, t.null]),
  model_context_window: t.union([int64, t.null]),
  model_provider: t.union([t.string, t.null]),
  model_reasoning_effort: t.union([ReasoningEffort, t.null]),
  model_reasoning_summary: t.union([ReasoningSummary, t.null]),
  model_verbosity: t.union([Verbosity, t.null]),
  profile: t.union([t.string, t.null]),
  profiles: t.record(t.string, ProfileV2),
  review_model: t.union([t.string, t.null]),
  sandbox_mode: t.union([SandboxMode, t.null]),
  sandbox_workspace_write: t.union([SandboxWorkspaceWrite, t.null]),
  tools: t.union([ToolsV2, t.null]),
  web_search: t.union([WebSearchMode, t.null]),
  apps: experimentalField(t.union([AppsConfig, t.null])),
}, 'Config');
export type Config = t.TypeOf<typeof Config>;

/** How a config write combines with the existing value. */
export const MergeStrategy = t.keyof({ replace: null, upsert: null }, 'MergeStrategy');
export type MergeStrategy = t.TypeOf<typeof MergeStrategy>;

/** One edit of `config/batchWrite`. */
export const ConfigEdit = t.type({
  keyPath: t.string,
  mergeStrategy: MergeStrategy,
  value: anyJson,
}, 'ConfigEdit');
export type ConfigEdit = t.TypeOf<typeof ConfigEdit>;

/** Params of `config/batchWrite`. */
export const ConfigBatchWriteParams = t.intersection([
  t.type({
    edits: t.array(ConfigEdit),
  }),
  t.partial({
    expectedVersion: t.union([t.string, t.null]),
    /** Path to the config file to write; defaults to the user's `config.toml` when omitted. */
    filePath: t.union([t.string, t.null]),
  }),
], 'ConfigBatchWriteParams');
export type ConfigBatchWriteParams = t.TypeOf<typeof ConfigBatchWriteParams>;

/** Where a config layer comes from (SPEC §10.1), tagged by `type`. */
export const ConfigLayerSource = t.union([
  /** Managed preferences layer delivered by MDM (macOS only). */
  t.type({
    domain: t.string,
    key: t.string,
    type: t.literal('mdm'),
  }, 'MdmConfigLayerSource'),
  /** Managed config layer from a file (usually `managed_config.toml`). */
  t.type({
    /** This is the path to the system config.toml file, though it is not guaranteed to exist. */
    file: AbsolutePathBuf,
    type: t.literal('system'),
  }, 'SystemConfigLayerSource'),
  /** User config layer from $CODEX_HOME/config.toml. This layer is special in that it is expected to be: - writable by the user - generally outside the workspace directory */
  t.type({
    /** This is the path to the user's config.toml file, though it is not guaranteed to exist. */
    file: AbsolutePathBuf,
    type: t.literal('user'),
  }, 'UserConfigLayerSource'),
  /** Path to a .codex/ folder within a project. There could be multiple of these between `cwd` and the project/repo root. */
  t.type({
    dotCodexFolder: AbsolutePathBuf,
    type: t.literal('project'),
  }, 'ProjectConfigLayerSource'),
  /** Session-layer overrides supplied via `-c`/`--config`. */
  t.type({
    type: t.literal('sessionFlags'),
  }, 'SessionFlagsConfigLayerSource'),
  /** `managed_config.toml` was designed to be a config that was loaded as the last layer on top of everything else. This scheme did not quite work out as intended, but we keep this variant as a "best effort" while we phase out `managed_config.toml` in favor of `requirements.toml`. */
  t.type({
    file: AbsolutePathBuf,
    type: t.literal('legacyManagedConfigTomlFromFile'),
  }, 'LegacyManagedConfigTomlFromFileConfigLayerSource'),
  t.type({
    type: t.literal('legacyManagedConfigTomlFromMdm'),
  }, 'LegacyManagedConfigTomlFromMdmConfigLayerSource'),
], 'ConfigLayerSource');
export type ConfigLayerSource = t.TypeOf<typeof ConfigLayerSource>;

/** One config layer with its source and contents, for `config/read` with `includeLayers`. */
export const ConfigLayer = t.intersection([
  t.type({
    config: anyJson,
    name: ConfigLayerSource,
    version: t.string,
  }),
  t.partial({
    disabledReason: t.union([t.string, t.null]),
  }),
], 'ConfigLayer');
export type ConfigLayer = t.TypeOf<typeof ConfigLayer>;

/** The layer a config value came from: its source and version. */
export const ConfigLayerMetadata = t.type({
  name: ConfigLayerSource,
  version: t.string,
}, 'ConfigLayerMetadata');
export type ConfigLayerMetadata = t.TypeOf<typeof ConfigLayerMetadata>;

/** Params of `config/read`. */
export const ConfigReadParams = t.partial({
  /** Optional working directory to resolve project config layers. If specified, return the effective config as seen from that directory (i.e., including any project layers between `cwd` and the project/repo root). */
  cwd: t.union([t.string, t.null]),
  includeLayers: t.boolean,
}, 'ConfigReadParams');
export type ConfigReadParams = t.TypeOf<typeof ConfigReadParams>;

/** Result of `config/read`. */
export const ConfigReadResponse = t.intersection([
  t.type({
    config: Config,
    origins: t.record(t.string, ConfigLayerMetadata),
  }),
  t.partial({
    layers: t.union([t.array(ConfigLayer), t.null]),
  }),
], 'ConfigReadResponse');
export type ConfigReadResponse = t.TypeOf<typeof ConfigReadResponse>;

/** Network allow-lists imposed by requirements. */
export const NetworkRequirements = t.partial({
  allowLocalBinding: t.union([t.boolean, t.null]),
  allowUnixSockets: t.union([t.array(t.string), t.null]),
  allowUpstreamProxy: t.union([t.boolean, t.null]),
  allowedDomains: t.union([t.array(t.string), t.null]),
  dangerouslyAllowNonLoopbackAdmin: t.union([t.boolean, t.null]),
  dangerouslyAllowNonLoopbackProxy: t.union([t.boolean, t.null]),
  deniedDomains: t.union([t.array(t.string), t.null]),
  enabled: t.union([t.boolean, t.null]),
  httpPort: t.union([uint16, t.null]),
  socksPort: t.union([uint16, t.null]),
}, 'NetworkRequirements');
export type NetworkRequirements = t.TypeOf<typeof NetworkRequirements>;

/** A data residency requirement. */
export const ResidencyRequirement = t.literal('us', 'ResidencyRequirement');
export type ResidencyRequirement = t.TypeOf<typeof ResidencyRequirement>;

/** Admin/cloud allow-lists the configuration must stay within (SPEC §10.4). */
export const ConfigRequirements = t.partial({
  allowedApprovalPolicies: t.union([t.array(AskForApproval), t.null]),
  allowedSandboxModes: t.union([t.array(SandboxMode), t.null]),
  allowedWebSearchModes: t.union([t.array(WebSearchMode), t.null]),
  enforceResidency: t.union([ResidencyRequirement, t.null]),
  network: experimentalField(t.union([NetworkRequirements, t.null])),
}, 'ConfigRequirements');
export type ConfigRequirements = t.TypeOf<typeof ConfigRequirements>;

/** Result of `configRequirements/read`. */
export const ConfigRequirementsReadResponse = t.partial({
  /** Null if no requirements are configured (e.g. no requirements.toml/MDM entries). */
  requirements: t.union([ConfigRequirements, t.null]),
}, 'ConfigRequirementsReadResponse');
export type ConfigRequirementsReadResponse = t.TypeOf<typeof ConfigRequirementsReadResponse>;

/** Params of `config/value/write`. */
export const ConfigValueWriteParams = t.intersection([
  t.type({
    keyPath: t.string,
    mergeStrategy: MergeStrategy,
    value: anyJson,
  }),
  t.partial({
    expectedVersion: t.union([t.string, t.null]),
    /** Path to the config file to write; defaults to the user's `config.toml` when omitted. */
    filePath: t.union([t.string, t.null]),
  }),
], 'ConfigValueWriteParams');
export type ConfigValueWriteParams = t.TypeOf<typeof ConfigValueWriteParams>;

/** A written value that a higher-precedence layer overrides, and what wins. */
export const OverriddenMetadata = t.type({
  effectiveValue: anyJson,
  message: t.string,
  overridingLayer: ConfigLayerMetadata,
}, 'OverriddenMetadata');
export type OverriddenMetadata = t.TypeOf<typeof OverriddenMetadata>;

/** Whether a config write took effect or is overridden. */
export const WriteStatus = t.keyof({ ok: null, okOverridden: null }, 'WriteStatus');
export type WriteStatus = t.TypeOf<typeof WriteStatus>;

/** Result of `config/value/write` and `config/batchWrite`. */
export const ConfigWriteResponse = t.intersection([
  t.type({
    /** Canonical path to the config file that was written. */
    filePath: AbsolutePathBuf,
    status: WriteStatus,
    version: t.string,
  }),
  t.partial({
    overriddenMetadata: t.union([OverriddenMetadata, t.null]),
  }),
], 'ConfigWriteResponse');
export type ConfigWriteResponse = t.TypeOf<typeof ConfigWriteResponse>;
