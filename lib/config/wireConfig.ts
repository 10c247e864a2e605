import type { Config } from '../protocol/v2/config.js';
import { isTable, setEntry, type JsonTable, type JsonValue } from './configValue.js';

// The reference reports `Config`'s own fields always (null when unset) and fills the defaults of
// the sections it types; every other key of the merged TOML follows as it is.
const KNOWN_FIELDS = [
  'model', 'review_model', 'model_context_window', 'model_auto_compact_token_limit', 'model_provider',
  'approval_policy', 'sandbox_mode', 'sandbox_workspace_write', 'forced_chatgpt_workspace_id',
  'forced_login_method', 'web_search', 'tools', 'profile', 'profiles', 'instructions',
  'developer_instructions', 'compact_prompt', 'model_reasoning_effort', 'model_reasoning_summary',
  'model_verbosity', 'analytics', 'apps',
] as const;

const PROFILE_FIELDS = [
  'model', 'model_provider', 'approval_policy', 'model_reasoning_effort', 'model_reasoning_summary',
  'model_verbosity', 'web_search', 'chatgpt_base_url',
] as const;

/**
 * The effective config as `config/read` returns it (SPEC §10.2): snake_case, `Config`'s known
 * fields present (null when unset, `profiles` `{}`), `sandbox_workspace_write` with its defaults,
 * and every other merged key passed through.
 *
 * @example
 * toWireConfig({ model: 'o3', features: { x: true } });
 * // { model: 'o3', review_model: null, …, profiles: {}, …, features: { x: true } }
 */
export const toWireConfig = (config: JsonTable): Config => {
  const wire: JsonTable = {};
  for (const field of KNOWN_FIELDS) setEntry(wire, field, Object.hasOwn(config, field) ? config[field]! : null);
  wire.profiles = isTable(config.profiles) ? mapTable(config.profiles, (p) => (isTable(p) ? withNulls(p, PROFILE_FIELDS) : p)) : {};
  if (isTable(config.sandbox_workspace_write)) {
    wire.sandbox_workspace_write = {
      writable_roots: [],
      network_access: false,
      exclude_tmpdir_env_var: false,
      exclude_slash_tmp: false,
      ...config.sandbox_workspace_write,
    };
  }
  if (isTable(config.tools)) wire.tools = withNulls(config.tools, ['web_search', 'view_image']);
  if (isTable(config.analytics)) wire.analytics = withNulls(config.analytics, ['enabled']);
  for (const [key, value] of Object.entries(config)) if (!Object.hasOwn(wire, key)) setEntry(wire, key, value);
  return wire as Config;
};

const withNulls = (table: JsonTable, fields: readonly string[]): JsonTable => {
  const out: JsonTable = {};
  for (const field of fields) setEntry(out, field, null);
  return { ...out, ...table };
};

const mapTable = (table: JsonTable, fn: (value: JsonValue) => JsonValue): JsonTable => {
  const out: JsonTable = {};
  for (const [key, value] of Object.entries(table)) setEntry(out, key, fn(value));
  return out;
};
