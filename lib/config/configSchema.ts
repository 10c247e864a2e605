import * as t from 'io-ts';
import { int64 } from '../protocol/codec.js';
import { explain } from '../protocol/decode.js';
import { AskForApproval, ForcedLoginMethod, Personality, ReasoningEffort, ReasoningSummary, SandboxMode, SandboxWorkspaceWrite, Verbosity, WebSearchMode } from '../protocol/v2/common.js';
import type { JsonTable } from './configValue.js';

// The typed part of `config.toml`: the keys rxagent reads or `config/read` reports with a type.
// Every other key passes through unchecked, as the reference's `ConfigToml` ignores unknown keys.

const ModelProvider = t.partial({
  name: t.string,
  base_url: t.string,
  env_key: t.string,
  env_key_instructions: t.string,
  experimental_bearer_token: t.string,
  wire_api: t.keyof({ responses: null, chat: null }),
  query_params: t.record(t.string, t.string),
  http_headers: t.record(t.string, t.string),
  env_http_headers: t.record(t.string, t.string),
  request_max_retries: int64,
  stream_max_retries: int64,
  stream_idle_timeout_ms: int64,
  requires_openai_auth: t.boolean,
  supports_websockets: t.boolean,
}, 'ModelProvider');

const Profile = t.partial({
  model: t.string,
  model_provider: t.string,
  approval_policy: AskForApproval,
  sandbox_mode: SandboxMode,
  model_reasoning_effort: ReasoningEffort,
  model_reasoning_summary: ReasoningSummary,
  model_verbosity: Verbosity,
  personality: Personality,
  web_search: WebSearchMode,
  chatgpt_base_url: t.string,
  model_instructions_file: t.string,
  developer_instructions: t.string,
  features: t.record(t.string, t.boolean),
}, 'Profile');

/** The schema the effective config and every written user config must satisfy (SPEC §10.2, §10.3). */
export const ConfigToml = t.partial({
  model: t.string,
  review_model: t.string,
  model_provider: t.string,
  model_context_window: int64,
  model_auto_compact_token_limit: int64,
  approval_policy: AskForApproval,
  sandbox_mode: SandboxMode,
  sandbox_workspace_write: SandboxWorkspaceWrite,
  forced_chatgpt_workspace_id: t.string,
  forced_login_method: ForcedLoginMethod,
  web_search: WebSearchMode,
  tools: t.partial({ web_search: t.boolean, view_image: t.boolean }),
  profile: t.string,
  profiles: t.record(t.string, Profile),
  instructions: t.string,
  developer_instructions: t.string,
  model_instructions_file: t.string,
  compact_prompt: t.string,
  model_reasoning_effort: ReasoningEffort,
  model_reasoning_summary: ReasoningSummary,
  model_verbosity: Verbosity,
  personality: Personality,
  analytics: t.partial({ enabled: t.boolean }),
  features: t.record(t.string, t.boolean),
  model_providers: t.record(t.string, ModelProvider),
  projects: t.record(t.string, t.partial({ trust_level: t.keyof({ trusted: null, untrusted: null }) })),
  project_root_markers: t.array(t.string),
}, 'ConfigToml');

/** Where and why a table fails the schema: the key path (for error locations) and a message. */
export interface SchemaViolation {
  readonly path: readonly string[];
  /** E.g. `approval_policy: expected one of "untrusted", "on-failure", "on-request", "never", got "sometimes"`. */
  readonly message: string;
}

/**
 * Checks a config table against the schema; `undefined` when it conforms.
 *
 * @example
 * validateConfig({ approval_policy: 'sometimes' })?.path; // ['approval_policy']
 */
export const validateConfig = (table: JsonTable): SchemaViolation | undefined => {
  const problem = explain(ConfigToml, table, ROOT);
  if (problem === undefined) return undefined;
  const cut = problem.indexOf(': ');
  const pathText = problem.slice(ROOT.length, cut);
  return { path: parsePath(pathText), message: `${pathText.replace(/^\./, '')}${problem.slice(cut)}` };
};

const ROOT = 'config';

/** `.a["b.c"][0]` → `['a', 'b.c', '0']`, the path syntax of the decode reporter. */
const parsePath = (text: string): string[] =>
  [...text.matchAll(/\.([A-Za-z_$][A-Za-z0-9_$]*)|\[("(?:[^"\\]|\\.)*"|\d+)\]/g)].map((m) =>
    m[1] ?? (m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!),
  );
