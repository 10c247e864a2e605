import { realpath } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { ConfigLayerSource, ConfigWriteResponse, OverriddenMetadata } from '../protocol/v2/config.js';
import { log } from '../log.js';
import type { ConfigOverride } from './cliOverrides.js';
import { applyConfigEdits, ConfigWriteError, parseKeyPath, type ConfigEditRequest } from './configEdits.js';
import { configLayer, isEnabled, layerMetadata, type ConfigLayerEntry } from './configLayer.js';
import { CONFIG_TOML, userConfigFile } from './configPaths.js';
import { validateConfig } from './configSchema.js';
import { deepEqual, valueAtPath, type JsonTable } from './configValue.js';
import { writeFileAtomic } from './atomicWrite.js';
import { loadConfigLayers } from './loadLayers.js';
import { mergeLayers } from './merge.js';
import { resolveLayerPaths } from './resolvePaths.js';
import { Serialized } from './serialized.js';
import { readTomlFile } from './tomlFile.js';
import { rewriteToml } from './tomlEditor.js';

/** What `config/value/write` and `config/batchWrite` need from the server and the request. */
export interface WriteUserConfigRequest {
  readonly codexHome: string;
  readonly cliOverrides: readonly ConfigOverride[];
  readonly env: NodeJS.ProcessEnv;
  readonly edits: readonly ConfigEditRequest[];
  readonly filePath?: string | null;
  readonly expectedVersion?: string | null;
}

// One process writes through one queue per file: read, version check and rename never interleave.
const writes = new Serialized();

/**
 * Applies edits to the user config file (SPEC §10.3): only `$CODEX_HOME/config.toml` may be
 * written (`configLayerReadonly`); a stale `expectedVersion` is `configVersionConflict`; the edited
 * user config and the resulting effective config must satisfy the schema
 * (`configValidationError`). Only changed keys are rewritten (comments and layout elsewhere are
 * kept), atomically, and writes to the file are serialized. `okOverridden` tells that a higher
 * layer (e.g. a `-c` flag) still decides an edited key.
 *
 * @example
 * await writeUserConfig({ codexHome, cliOverrides: [], env: process.env,
 *   edits: [{ keyPath: 'model', value: 'o3', mergeStrategy: 'replace' }], expectedVersion: 'sha256:…' });
 * // { status: 'ok', version: 'sha256:…', filePath: '/home/u/.codex/config.toml', overriddenMetadata: null }
 */
export const writeUserConfig = async (request: WriteUserConfigRequest): Promise<ConfigWriteResponse> => {
  const { codexHome, env } = request;
  const userFile = userConfigFile(codexHome);
  const filePath = request.filePath == null ? userFile : resolve(request.filePath);
  if (request.filePath != null && (!isAbsolute(request.filePath) || (await canonical(filePath)) !== (await canonical(userFile)))) {
    throw new ConfigWriteError('configLayerReadonly', 'Only writes to the user config are allowed');
  }
  // Keyed by the folder, which exists before the file does: the first write creates the file.
  return writes.run(join(await canonical(codexHome), CONFIG_TOML), async () => {
    const layers = await loadConfigLayers({ codexHome, cliOverrides: request.cliOverrides, env });
    // Read again under the lock: this text is what gets edited, and its version is what is checked.
    const file = await readTomlFile(userFile);
    const before = file?.table ?? {};
    const userLayer = configLayer({ type: 'user', file: userFile }, resolveLayerPaths(before, codexHome, env));
    if (request.expectedVersion != null && request.expectedVersion !== userLayer.version) {
      throw new ConfigWriteError('configVersionConflict', 'Configuration was modified since last read. Fetch latest version and retry.');
    }
    const after = applyConfigEdits(before, request.edits);
    const updatedUser = configLayer(userLayer.name, resolveLayerPaths(after, codexHome, env));
    const updatedLayers = layers.map((layer) => (layer.name.type === 'user' ? updatedUser : layer));
    const effective = mergeLayers(updatedLayers).config;
    for (const table of [updatedUser.config, effective]) {
      const violation = validateConfig(table);
      if (violation) throw new ConfigWriteError('configValidationError', `Invalid configuration: ${violation.message}`);
    }
    if (!deepEqual(before, after)) {
      const rewritten = rewriteToml(file?.text ?? '', before, after);
      if (!rewritten.preserved && file !== undefined) log.debug('config.toml rewritten in full; its layout could not be kept', { file: userFile });
      await writeFileAtomic(userFile, rewritten.text);
    }
    const overridden = request.edits
      .map((edit) => overriddenBy(updatedLayers, updatedUser, effective, parseKeyPath(edit.keyPath)))
      .find((meta) => meta !== undefined);
    return {
      status: overridden ? 'okOverridden' : 'ok',
      version: updatedUser.version,
      filePath,
      overriddenMetadata: overridden ?? null,
    };
  });
};

/** When the user's value at `path` is not the effective one: which layer decides it instead. */
const overriddenBy = (
  layers: readonly ConfigLayerEntry[],
  user: ConfigLayerEntry,
  effective: JsonTable,
  path: readonly string[],
): OverriddenMetadata | undefined => {
  const mine = valueAtPath(user.config, path);
  const effectiveValue = valueAtPath(effective, path);
  if ((mine !== undefined && deepEqual(mine, effectiveValue)) || (mine === undefined && effectiveValue === undefined)) return undefined;
  const winner = layers.filter(isEnabled).findLast((layer) => valueAtPath(layer.config, path) !== undefined);
  if (!winner) return undefined;
  return { message: overrideMessage(winner.name), overridingLayer: layerMetadata(winner), effectiveValue: effectiveValue ?? null };
};

/** The reference's wording for each kind of overriding layer. */
const overrideMessage = (source: ConfigLayerSource): string => {
  switch (source.type) {
    case 'mdm':
      return `Overridden by managed policy (MDM): ${source.domain}`;
    case 'system':
      return `Overridden by managed config (system): ${source.file}`;
    case 'project':
      return `Overridden by project config: ${source.dotCodexFolder}/config.toml`;
    case 'sessionFlags':
      return 'Overridden by session flags';
    case 'user':
      return `Overridden by user config: ${source.file}`;
    case 'legacyManagedConfigTomlFromFile':
      return `Overridden by legacy managed_config.toml: ${source.file}`;
    case 'legacyManagedConfigTomlFromMdm':
      return 'Overridden by legacy managed configuration from MDM';
  }
};

/** The path with symlinks resolved when it exists, so two spellings of one file compare equal. */
const canonical = async (path: string): Promise<string> => realpath(path).catch(() => resolve(path));
