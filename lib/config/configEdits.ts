import { cloneValue, isTable, parentTable, setEntry, type JsonTable, type JsonValue } from './configValue.js';
import { mergeTables } from './merge.js';

/** The reference's `ConfigWriteErrorCode`s (SPEC §10.3). */
export type ConfigWriteErrorCode =
  | 'configLayerReadonly'
  | 'configVersionConflict'
  | 'configValidationError'
  | 'configPathNotFound'
  | 'configSchemaUnknownKey'
  | 'userLayerNotFound';

/**
 * A refused config write; the method answers `-32600` with
 * `data: {kind: code, config_write_error_code: code}`.
 *
 * @example
 * throw new ConfigWriteError('configPathNotFound', 'Path not found');
 */
export class ConfigWriteError extends Error {
  constructor(
    readonly code: ConfigWriteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigWriteError';
  }
}

/** One edit of `config/value/write` / `config/batchWrite`. */
export interface ConfigEditRequest {
  readonly keyPath: string;
  /** `null` deletes the key. */
  readonly value: unknown;
  readonly mergeStrategy: 'replace' | 'upsert';
}

/**
 * `keyPath` split on dots; an empty (or blank) path is a validation error.
 *
 * @example
 * parseKeyPath('profiles.fast.model'); // ['profiles', 'fast', 'model']
 */
export const parseKeyPath = (keyPath: string): string[] => {
  if (keyPath.trim() === '') throw new ConfigWriteError('configValidationError', 'keyPath must not be empty');
  return keyPath.split('.');
};

/**
 * Applies edits to a copy of `table` (SPEC §10.3 step 4): `null` deletes the key (a missing table
 * on the way is `configPathNotFound`); any other value is set, creating the tables on its way (a
 * non-table in the way becomes a table); `upsert` of a table onto a table deep-merges them.
 * Values must be representable in TOML (no `null` inside).
 *
 * @example
 * applyConfigEdits({ a: { x: 1 } }, [{ keyPath: 'a', value: { y: 2 }, mergeStrategy: 'upsert' }]);
 * // { a: { x: 1, y: 2 } }
 */
export const applyConfigEdits = (table: JsonTable, edits: readonly ConfigEditRequest[]): JsonTable => {
  const result = cloneValue(table);
  for (const edit of edits) {
    const path = parseKeyPath(edit.keyPath);
    if (edit.value === null) remove(result, path);
    else set(result, path, tomlValue(edit.value, edit.keyPath), edit.mergeStrategy);
  }
  return result;
};

const remove = (root: JsonTable, path: readonly string[]): void => {
  let current = root;
  for (const segment of path.slice(0, -1)) {
    const next = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (!isTable(next)) throw new ConfigWriteError('configPathNotFound', 'Path not found');
    current = next;
  }
  delete current[path[path.length - 1]!];
};

const set = (root: JsonTable, path: readonly string[], value: JsonValue, strategy: 'replace' | 'upsert'): void => {
  const current = parentTable(root, path);
  const last = path[path.length - 1]!;
  const existing = Object.hasOwn(current, last) ? current[last] : undefined;
  setEntry(current, last, strategy === 'upsert' && isTable(existing) && isTable(value) ? mergeTables(existing, value) : value);
};

/** A JSON value as TOML can hold it; `null` anywhere inside has no TOML form. */
const tomlValue = (value: unknown, keyPath: string): JsonValue => {
  const check = (v: unknown, at: string): void => {
    if (v === null) throw new ConfigWriteError('configValidationError', `invalid value: null is not supported in TOML (at ${at})`);
    if (Array.isArray(v)) v.forEach((item, i) => check(item, `${at}[${i}]`));
    else if (isTable(v)) for (const [k, item] of Object.entries(v)) check(item, `${at}.${k}`);
  };
  check(value, keyPath);
  return cloneValue(value as JsonValue);
};
