import type { ConfigLayer, ConfigLayerMetadata, ConfigLayerSource } from '../protocol/v2/config.js';
import type { JsonTable } from './configValue.js';
import { layerVersion } from './fingerprint.js';

/**
 * One layer of the config stack (SPEC §10.1): where it comes from, its table, its version, and
 * why it is ignored when it is (an untrusted project folder).
 */
export interface ConfigLayerEntry {
  readonly name: ConfigLayerSource;
  readonly config: JsonTable;
  readonly version: string;
  readonly disabledReason?: string;
}

/**
 * Builds a layer entry, computing its version from its table.
 *
 * @example
 * configLayer({ type: 'user', file: '/home/u/.codex/config.toml' }, { model: 'o3' });
 */
export const configLayer = (name: ConfigLayerSource, config: JsonTable, disabledReason?: string): ConfigLayerEntry => ({
  name,
  config,
  version: layerVersion(config),
  ...(disabledReason === undefined ? {} : { disabledReason }),
});

/** Whether the layer takes part in the effective config. */
export const isEnabled = (layer: ConfigLayerEntry): boolean => layer.disabledReason === undefined;

/**
 * The layer's source and version, as `origins` and `overridingLayer` carry them.
 *
 * @example
 * layerMetadata(userLayer); // { name: { type: 'user', file: … }, version: 'sha256:…' }
 */
export const layerMetadata = (layer: ConfigLayerEntry): ConfigLayerMetadata => ({ name: layer.name, version: layer.version });

/**
 * The layer as `config/read` lists it with `includeLayers` (`disabledReason` only when disabled).
 *
 * @example
 * toWireLayer(projectLayer); // { name, version, config, disabledReason: 'To load config.toml, …' }
 */
export const toWireLayer = (layer: ConfigLayerEntry): ConfigLayer => ({
  name: layer.name,
  version: layer.version,
  config: layer.config,
  ...(layer.disabledReason === undefined ? {} : { disabledReason: layer.disabledReason }),
});
