import { join } from 'node:path';
import * as t from 'io-ts';
import { uint16 } from '../protocol/codec.js';
import { explain } from '../protocol/decode.js';
import { AskForApproval, WebSearchMode } from '../protocol/v2/common.js';
import type { ConfigRequirements } from '../protocol/v2/config.js';
import { ConfigLoadError } from './configError.js';
import { REQUIREMENTS_TOML, systemConfigDir } from './configPaths.js';
import { isTable, type JsonTable, type JsonValue } from './configValue.js';
import { readTomlFile } from './tomlFile.js';

// `requirements.toml` as admins write it (snake_case). `external-sandbox` is a valid requirement
// but not a `SandboxMode` on the wire, so it is accepted here and left out of the answer.
const RequirementsToml = t.partial({
  allowed_approval_policies: t.array(AskForApproval),
  allowed_sandbox_modes: t.array(t.keyof({ 'read-only': null, 'workspace-write': null, 'danger-full-access': null, 'external-sandbox': null })),
  allowed_web_search_modes: t.array(WebSearchMode),
  enforce_residency: t.literal('us'),
  network: t.partial({
    enabled: t.boolean,
    http_port: uint16,
    socks_port: uint16,
    allow_upstream_proxy: t.boolean,
    dangerously_allow_non_loopback_proxy: t.boolean,
    dangerously_allow_non_loopback_admin: t.boolean,
    allowed_domains: t.array(t.string),
    denied_domains: t.array(t.string),
    allow_unix_sockets: t.array(t.string),
    allow_local_binding: t.boolean,
  }),
});

// Sections that make requirements non-empty although `configRequirements/read` does not show them.
const UNSHOWN_SECTIONS = ['mcp_servers', 'rules'];

/**
 * `configRequirements/read` (SPEC §10.4): the admin allow-lists of `requirements.toml` in the system
 * config folder (`/etc/codex`, or `RXAGENT_SYSTEM_CONFIG_DIR`), in the wire's camelCase; `null`
 * when the file is missing or sets nothing. `allowedWebSearchModes` always includes `"disabled"`.
 * A malformed file throws `ConfigLoadError`.
 *
 * @example
 * await readRequirements(process.env); // { allowedApprovalPolicies: ['never'], allowedSandboxModes: null, … } or null
 */
export const readRequirements = async (env: NodeJS.ProcessEnv): Promise<ConfigRequirements | null> => {
  const file = join(systemConfigDir(env), REQUIREMENTS_TOML);
  const loaded = await readTomlFile(file);
  if (loaded === undefined) return null;
  const toml = loaded.table;
  const problem = explain(RequirementsToml, toml, 'requirements');
  if (problem !== undefined) throw new ConfigLoadError(`Error parsing requirements file ${file}: ${problem}`);
  const known = Object.keys(RequirementsToml.props);
  if (![...known, ...UNSHOWN_SECTIONS].some((key) => Object.hasOwn(toml, key))) return null;
  const webSearch = strings(toml.allowed_web_search_modes);
  return {
    allowedApprovalPolicies: (strings(toml.allowed_approval_policies) as AskForApproval[] | null),
    allowedSandboxModes: (strings(toml.allowed_sandbox_modes)?.filter((m) => m !== 'external-sandbox') ?? null) as ConfigRequirements['allowedSandboxModes'],
    allowedWebSearchModes: (webSearch === null ? null : [...new Set([...webSearch, 'disabled'])]) as WebSearchMode[] | null,
    enforceResidency: toml.enforce_residency === 'us' ? 'us' : null,
    network: isTable(toml.network) ? camelCase(toml.network) : null,
  };
};

const strings = (value: JsonValue | undefined): string[] | null =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null;

const camelCase = (table: JsonTable): JsonTable =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
