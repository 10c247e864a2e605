import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigLayerMetadata } from '../protocol/v2/config.js';
import type { ConfigWarningNotification } from '../protocol/v2/notifications.js';
import { ConfigLoadError, rangeOf } from './configError.js';
import { isEnabled, type ConfigLayerEntry } from './configLayer.js';
import { CONFIG_TOML } from './configPaths.js';
import { validateConfig, type SchemaViolation } from './configSchema.js';
import { isTable, type JsonTable, type JsonValue } from './configValue.js';
import { loadConfigLayers, type LayerSources } from './loadLayers.js';
import { mergeLayers, mergeTables } from './merge.js';
import { keySpan } from './tomlDocument.js';

/**
 * A merged config whose values do not have the types the schema requires (SPEC §10.2: "invalid
 * configuration"); located in the first layer file that is wrong on its own.
 */
export class ConfigSchemaError extends ConfigLoadError {}

/** What `effectiveConfig` needs: the layer sources plus a request's typed fields. */
export interface EffectiveConfigOptions extends LayerSources {
  /**
   * Typed request fields (`thread/start`'s `model`, `approvalPolicy`, … spelled as config keys,
   * e.g. `{ model: 'o3', approval_policy: 'never' }`): the last word, above every layer and the
   * selected profile. Not a layer, so they have no origin.
   */
  readonly typedOverrides?: JsonTable;
}

/** The config a thread (or `config/read`) works with. */
export interface EffectiveConfig {
  /** Enabled layers merged, then the typed overrides. */
  readonly config: JsonTable;
  /** Every layer, lowest precedence first, disabled project layers included. */
  readonly layers: readonly ConfigLayerEntry[];
  /** Dotted leaf path → the layer whose value is in effect (paths set by typed overrides are left out). */
  readonly origins: Readonly<Record<string, ConfigLayerMetadata>>;
  /** Things the user should hear about (disabled project layers), as `configWarning` params. */
  readonly warnings: readonly ConfigWarningNotification[];
  readonly typedOverrides: JsonTable;
}

/**
 * Loads and merges the config layers for a cwd (SPEC §10.1) and checks the result against the
 * config schema. Throws `ConfigLoadError` for an unreadable or malformed file, `ConfigSchemaError`
 * when a value has the wrong type (both carry the file and range when known).
 *
 * @example
 * const { config, origins } = await effectiveConfig({
 *   codexHome: '/home/u/.codex', cwd: '/home/u/proj', cliOverrides: server.cliOverrides,
 *   requestConfig: params.config ?? undefined, typedOverrides: { model: params.model },
 * });
 */
export const effectiveConfig = async (options: EffectiveConfigOptions): Promise<EffectiveConfig> => {
  const layers = await loadConfigLayers(options);
  const merged = mergeLayers(layers);
  const violation = validateConfig(merged.config);
  if (violation) throw await schemaError(violation, layers);
  const typedOverrides = withoutUndefined(options.typedOverrides ?? {});
  const overridden = valuePaths(typedOverrides).map((p) => p.join('.'));
  const origins = Object.fromEntries(
    Object.entries(merged.origins).filter(([path]) => !overridden.some((o) => path === o || path.startsWith(`${o}.`))),
  );
  return {
    config: mergeTables(merged.config, typedOverrides),
    layers,
    origins,
    warnings: disabledProjectWarning(layers),
    typedOverrides,
  };
};

/** The one warning listing disabled project folders and why (SPEC §10.5), in the reference's words. */
const disabledProjectWarning = (layers: readonly ConfigLayerEntry[]): ConfigWarningNotification[] => {
  const disabled = layers.filter((l) => l.name.type === 'project' && !isEnabled(l));
  if (disabled.length === 0) return [];
  const lines = disabled.map((layer, i) => {
    const folder = layer.name.type === 'project' ? layer.name.dotCodexFolder : '';
    return `    ${i + 1}. ${folder}\n       ${layer.disabledReason}\n`;
  });
  return [{
    summary: `Project config.toml files are disabled in the following folders. Settings in those files are ignored, but skills and exec policies still load.\n${lines.join('')}`,
    details: null,
  }];
};

/** Blames the first enabled layer that is wrong on its own, pointing into its file when it has one. */
const schemaError = async (violation: SchemaViolation, layers: readonly ConfigLayerEntry[]): Promise<ConfigSchemaError> => {
  for (const layer of layers.filter(isEnabled)) {
    const own = validateConfig(layer.config);
    if (!own) continue;
    const file = layerFile(layer);
    const text = file === undefined ? undefined : await readFile(file, 'utf8').catch(() => undefined);
    const span = text === undefined ? undefined : safeKeySpan(text, own.path);
    return new ConfigSchemaError(own.message, file !== undefined && span ? { file, range: rangeOf(text!, span.start, span.end) } : undefined);
  }
  return new ConfigSchemaError(violation.message);
};

const layerFile = (layer: ConfigLayerEntry): string | undefined => {
  switch (layer.name.type) {
    case 'system':
    case 'user':
    case 'legacyManagedConfigTomlFromFile':
      return layer.name.file;
    case 'project':
      return join(layer.name.dotCodexFolder, CONFIG_TOML);
    default:
      return undefined;
  }
};

const safeKeySpan = (text: string, path: readonly string[]): ReturnType<typeof keySpan> => {
  try {
    return keySpan(text, path);
  } catch {
    return undefined;
  }
};

/** Paths of the non-table values of a table (what a merge of it replaces). */
const valuePaths = (value: JsonValue, prefix: readonly string[] = []): string[][] =>
  isTable(value) ? Object.entries(value).flatMap(([k, v]) => valuePaths(v, [...prefix, k])) : [[...prefix]];

/** Typed fields arrive as optional or nullable properties; an absent or null one overrides nothing. */
const withoutUndefined = (table: JsonTable): JsonTable =>
  Object.fromEntries(
    Object.entries(table)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, isTable(v) ? withoutUndefined(v) : v]),
  );
