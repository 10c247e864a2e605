import type { ConfigOverride } from './cliOverrides.js';
import { fromToml, parentTable, setEntry, type JsonTable, type JsonValue } from './configValue.js';

/**
 * The session-flags layer (SPEC §10.1): the process's `-c key=value` overrides, then a request's
 * `config` map (dotted keys such as `"sandbox_workspace_write.network_access"`), applied in order
 * so the request wins. Each dotted key creates the tables on its way; a non-table in the way is
 * replaced by a table. `null` values in a request map set nothing.
 *
 * @example
 * sessionFlagsTable([{ path: ['model'], value: 'o3' }], { 'features.x': true });
 * // { model: 'o3', features: { x: true } }
 */
export const sessionFlagsTable = (
  cliOverrides: readonly ConfigOverride[],
  requestConfig: Readonly<Record<string, unknown>> = {},
): JsonTable => {
  const table: JsonTable = {};
  for (const { path, value } of cliOverrides) setPath(table, path, fromToml(value));
  for (const [key, value] of Object.entries(requestConfig)) {
    if (value === null || value === undefined) continue;
    setPath(table, key.split('.'), fromToml(value));
  }
  return table;
};

const setPath = (table: JsonTable, path: readonly string[], value: JsonValue): void => {
  setEntry(parentTable(table, path), path[path.length - 1]!, value);
};
