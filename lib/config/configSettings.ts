import type { AskForApproval, ForcedLoginMethod, Personality, ReasoningEffort, ReasoningSummary, SandboxMode, WebSearchMode } from '../protocol/v2/common.js';
import { ConfigLoadError } from './configError.js';
import { isTable, type JsonTable, type JsonValue } from './configValue.js';
import type { EffectiveConfig } from './effectiveConfig.js';
import { DEFAULT_PROJECT_ROOT_MARKERS } from './projectLayers.js';

/** `[sandbox_workspace_write]` with the reference's defaults filled in. */
export interface SandboxWorkspaceWriteSettings {
  readonly writableRoots: readonly string[];
  readonly networkAccess: boolean;
  readonly excludeTmpdirEnvVar: boolean;
  readonly excludeSlashTmp: boolean;
}

/**
 * The keys the server acts on, typed. `undefined` means "not configured": the caller applies its
 * own default (which for several keys depends on more than config, e.g. trust for approvals).
 */
export interface ConfigSettings {
  /** The selected profile (`profile` key or typed override), if any. */
  readonly profile?: string;
  readonly model?: string;
  /** `model_provider`, default `"openai"`. */
  readonly modelProvider: string;
  /** `[model_providers.<id>]` tables as configured (built-in providers are not listed). */
  readonly modelProviders: Readonly<Record<string, JsonTable>>;
  readonly approvalPolicy?: AskForApproval;
  readonly sandboxMode?: SandboxMode;
  readonly sandboxWorkspaceWrite: SandboxWorkspaceWriteSettings;
  readonly reasoningEffort?: ReasoningEffort;
  readonly reasoningSummary?: ReasoningSummary;
  readonly personality?: Personality;
  readonly developerInstructions?: string;
  /** Absolute (resolved against the folder of the layer that set it). */
  readonly modelInstructionsFile?: string;
  readonly forcedLoginMethod?: ForcedLoginMethod;
  readonly forcedChatgptWorkspaceId?: string;
  /** `[features]` flags as configured (a profile's flags on top). */
  readonly features: Readonly<Record<string, boolean>>;
  /** `web_search`, when set (see `webSearchMode` for what applies when it is not). */
  readonly webSearch?: WebSearchMode;
  /** The legacy `[tools] web_search` switch. */
  readonly toolsWebSearch?: boolean;
  readonly projectRootMarkers: readonly string[];
}

/**
 * The typed view of an effective config. Precedence per key, as the reference builds its
 * `Config`: typed request fields, then the selected profile (`profiles.<profile>`), then the merged
 * layers. A `profile` naming no `[profiles.*]` table is an error, as in the reference.
 *
 * @example
 * const settings = configSettings(await effectiveConfig({ codexHome, cwd, cliOverrides }));
 * settings.model; // 'o3'
 */
export const configSettings = (effective: EffectiveConfig): ConfigSettings => {
  const typed = effective.typedOverrides;
  // `config` already holds the typed fields; asking `typed` first puts them above the profile too.
  const layered = effective.config;
  const profileName = str(typed.profile) ?? str(layered.profile);
  const profiles = table(layered.profiles);
  const profile = profileName === undefined ? {} : Object.hasOwn(profiles, profileName) ? profiles[profileName] : undefined;
  if (!isTable(profile)) throw new ConfigLoadError(`config profile \`${profileName}\` not found`);
  const pick = (key: string): JsonValue | undefined => typed[key] ?? profile[key] ?? layered[key];
  const sandbox = table(pick('sandbox_workspace_write'));
  const providers = table(layered.model_providers);
  return {
    ...(profileName === undefined ? {} : { profile: profileName }),
    ...defined('model', str(pick('model'))),
    modelProvider: str(pick('model_provider')) ?? 'openai',
    modelProviders: Object.fromEntries(Object.entries(providers).filter((e): e is [string, JsonTable] => isTable(e[1]))),
    ...defined('approvalPolicy', str(pick('approval_policy')) as AskForApproval | undefined),
    ...defined('sandboxMode', str(pick('sandbox_mode')) as SandboxMode | undefined),
    sandboxWorkspaceWrite: {
      writableRoots: Array.isArray(sandbox.writable_roots) ? sandbox.writable_roots.filter((r): r is string => typeof r === 'string') : [],
      networkAccess: sandbox.network_access === true,
      excludeTmpdirEnvVar: sandbox.exclude_tmpdir_env_var === true,
      excludeSlashTmp: sandbox.exclude_slash_tmp === true,
    },
    ...defined('reasoningEffort', str(pick('model_reasoning_effort')) as ReasoningEffort | undefined),
    ...defined('reasoningSummary', str(pick('model_reasoning_summary')) as ReasoningSummary | undefined),
    ...defined('personality', str(pick('personality')) as Personality | undefined),
    ...defined('developerInstructions', str(pick('developer_instructions'))),
    ...defined('modelInstructionsFile', str(pick('model_instructions_file'))),
    ...defined('forcedLoginMethod', str(pick('forced_login_method')) as ForcedLoginMethod | undefined),
    ...defined('forcedChatgptWorkspaceId', str(pick('forced_chatgpt_workspace_id'))),
    features: booleans({ ...table(layered.features), ...table(profile.features), ...table(typed.features) }),
    ...defined('webSearch', str(pick('web_search')) as WebSearchMode | undefined),
    ...defined('toolsWebSearch', bool(table(pick('tools')).web_search)),
    projectRootMarkers: Array.isArray(layered.project_root_markers)
      ? layered.project_root_markers.filter((m): m is string => typeof m === 'string')
      : DEFAULT_PROJECT_ROOT_MARKERS,
  };
};

const str = (value: JsonValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
const bool = (value: JsonValue | undefined): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const table = (value: JsonValue | undefined): JsonTable => (isTable(value) ? value : {});
const booleans = (t: JsonTable): Record<string, boolean> =>
  Object.fromEntries(Object.entries(t).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'));
const defined = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
