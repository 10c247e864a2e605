import type { ConfigLayerMetadata } from '../protocol/v2/config.js';
import { isEnabled, layerMetadata, type ConfigLayerEntry } from './configLayer.js';
import { isTable, setEntry, valueAtPath, type JsonTable, type JsonValue } from './configValue.js';

/**
 * Deep merge of two tables: where both sides hold a table the two merge recursively, anything
 * else in `overlay` replaces what `base` had (arrays included). Pure: neither input is touched.
 *
 * @example
 * mergeTables({ a: { x: 1, y: 2 }, l: [1, 2] }, { a: { y: 3 }, l: [9] }); // { a: { x: 1, y: 3 }, l: [9] }
 */
export const mergeTables = (base: JsonTable, overlay: JsonTable): JsonTable => {
  const merged: JsonTable = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const below = Object.hasOwn(base, key) ? base[key] : undefined;
    setEntry(merged, key, isTable(below) && isTable(value) ? mergeTables(below, value) : value);
  }
  return merged;
};

/** The merged table of a stack and, for each leaf, the layer that set it. */
export interface MergedConfig {
  readonly config: JsonTable;
  /** Dotted path of every leaf (array elements by index) → the layer whose value is in effect. */
  readonly origins: Record<string, ConfigLayerMetadata>;
}

/**
 * The effective config of a layer stack (SPEC §10.1): the enabled layers merged from lowest to
 * highest precedence, with the origin of every leaf. The origin of a leaf is the highest layer
 * holding a value at its path: any higher value there would have replaced it.
 *
 * @example
 * mergeLayers([systemLayer, userLayer, sessionFlagsLayer]).origins['model']; // { name: { type: 'sessionFlags' }, … }
 */
export const mergeLayers = (layers: readonly ConfigLayerEntry[]): MergedConfig => {
  const enabled = layers.filter(isEnabled);
  const config = enabled.reduce<JsonTable>((merged, layer) => mergeTables(merged, layer.config), {});
  const origins: Record<string, ConfigLayerMetadata> = {};
  for (const path of leafPaths(config)) {
    const owner = enabled.findLast((layer) => valueAtPath(layer.config, path) !== undefined);
    if (owner) setEntry(origins, path.join('.'), layerMetadata(owner));
  }
  return { config, origins };
};

/** Key paths of the scalar leaves of a value; empty tables and arrays have none. */
const leafPaths = (value: JsonValue, prefix: readonly string[] = []): string[][] => {
  if (isTable(value)) return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  if (Array.isArray(value)) return value.flatMap((item, i) => leafPaths(item, [...prefix, String(i)]));
  return prefix.length === 0 ? [] : [[...prefix]];
};
