import { absolutePath } from './configPaths.js';
import { isTable, setEntry, type JsonTable, type JsonValue } from './configValue.js';

// The keys the reference reads as absolute paths. A relative value means "relative to the folder
// of the layer that set it", so each layer is resolved on its own before layers merge (SPEC §10.1).
const PATH_KEYS = ['model_instructions_file', 'experimental_instructions_file', 'experimental_compact_prompt_file'];

/**
 * A copy of a layer's table with its path-valued keys made absolute against `base` (the layer's
 * folder): the instruction files at the top level and in each profile, and
 * `sandbox_workspace_write.writable_roots`. Values of the wrong type are left for validation.
 *
 * @example
 * resolveLayerPaths({ model_instructions_file: 'inst.md' }, '/p/.codex', env);
 * // { model_instructions_file: '/p/.codex/inst.md' }
 */
export const resolveLayerPaths = (table: JsonTable, base: string, env: NodeJS.ProcessEnv): JsonTable => {
  const resolveIn = (section: JsonTable): JsonTable => {
    const out: JsonTable = { ...section };
    for (const key of PATH_KEYS) {
      const value = Object.hasOwn(section, key) ? section[key] : undefined;
      if (typeof value === 'string') setEntry(out, key, absolutePath(value, base, env));
    }
    return out;
  };
  const resolved = resolveIn(table);
  const sandbox = resolved.sandbox_workspace_write;
  if (isTable(sandbox) && Array.isArray(sandbox.writable_roots)) {
    const roots = sandbox.writable_roots.map((root: JsonValue) => (typeof root === 'string' ? absolutePath(root, base, env) : root));
    resolved.sandbox_workspace_write = { ...sandbox, writable_roots: roots };
  }
  if (isTable(resolved.profiles)) {
    const profiles: JsonTable = {};
    for (const [name, profile] of Object.entries(resolved.profiles)) setEntry(profiles, name, isTable(profile) ? resolveIn(profile) : profile);
    resolved.profiles = profiles;
  }
  return resolved;
};
