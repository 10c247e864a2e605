// Config values as plain JSON: what a TOML layer becomes once parsed, and what the wire carries.

/** A JSON value as found in a config layer (TOML datetimes are read as their text). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonTable;

/** A TOML table as a plain object. */
export interface JsonTable {
  [key: string]: JsonValue;
}

/**
 * Whether `value` is a table (a plain object, not an array or null).
 *
 * @example
 * isTable({ a: 1 }); // true
 * isTable([1]);      // false
 */
export const isTable = (value: unknown): value is JsonTable =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Sets `table[key]` as an own data property, even for keys such as `__proto__` that a plain
 * assignment would turn into a prototype change (config keys come from files and clients).
 *
 * @example
 * setEntry(table, 'model', 'o3');
 */
export const setEntry = <V>(table: Record<string, V>, key: string, value: V): void => {
  Object.defineProperty(table, key, { value, enumerable: true, writable: true, configurable: true });
};

/**
 * Structural equality of two JSON values (key order ignored).
 *
 * @example
 * deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }); // true
 */
export const deepEqual = (a: JsonValue | undefined, b: JsonValue | undefined): boolean => {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isTable(a) && isTable(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
};

/**
 * The value at a key path; array elements are addressed by their decimal index.
 *
 * @example
 * valueAtPath({ a: { b: [10, 20] } }, ['a', 'b', '1']); // 20
 */
export const valueAtPath = (root: JsonValue, path: readonly string[]): JsonValue | undefined => {
  let current: JsonValue | undefined = root;
  for (const segment of path) {
    if (isTable(current)) current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    else if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
};

/**
 * A deep copy of a value, so edits never alias a loaded layer.
 *
 * @example
 * const copy = cloneValue(layer.config);
 */
export const cloneValue = <V extends JsonValue>(value: V): V => structuredClone(value);

/**
 * Converts a parsed TOML document (smol-toml objects, `TomlDate`s) into plain JSON values:
 * null-prototype tables become ordinary objects and datetimes their TOML text.
 *
 * @example
 * fromToml(parse('d = 1979-05-27')); // { d: '1979-05-27' }
 */
export const fromToml = (value: unknown): JsonValue => {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(fromToml);
  if (typeof value === 'object' && value !== null) {
    const table: JsonTable = {};
    for (const [key, item] of Object.entries(value)) setEntry(table, key, fromToml(item));
    return table;
  }
  return value as JsonValue;
};

/**
 * The table that holds the last key of `path`, walking from `root` and creating the tables on
 * the way (a value that is not a table is replaced by one, as the reference's editor does).
 *
 * @example
 * const parent = parentTable(root, ['a', 'b', 'c']); // root.a.b, created if needed
 */
export const parentTable = (root: JsonTable, path: readonly string[]): JsonTable => {
  let current = root;
  for (const segment of path.slice(0, -1)) {
    const next = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (isTable(next)) current = next;
    else {
      const created: JsonTable = {};
      setEntry(current, segment, created);
      current = created;
    }
  }
  return current;
};
