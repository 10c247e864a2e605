import type { ConfigReadResponse } from '../protocol/v2/config.js';
import type { ConfigOverride } from './cliOverrides.js';
import { toWireLayer } from './configLayer.js';
import { absolutePath } from './configPaths.js';
import { effectiveConfig } from './effectiveConfig.js';
import { toWireConfig } from './wireConfig.js';

/** What `config/read` needs from the server and the request. */
export interface ReadConfigRequest {
  readonly codexHome: string;
  readonly cliOverrides: readonly ConfigOverride[];
  readonly env: NodeJS.ProcessEnv;
  /** The request's `cwd` (`~` expanded, relative to the server's cwd); without it no project layers. */
  readonly cwd?: string | null;
  readonly includeLayers?: boolean;
}

/**
 * `config/read` (SPEC §10.2): the effective config (snake_case `Config`), the origin of every
 * leaf, and with `includeLayers` every layer, highest precedence first, disabled ones included.
 * Throws `ConfigLoadError` / `ConfigSchemaError` like `effectiveConfig`.
 *
 * @example
 * await readConfig({ codexHome, cliOverrides: [], env: process.env, cwd: '/home/u/proj', includeLayers: true });
 */
export const readConfig = async (request: ReadConfigRequest): Promise<ConfigReadResponse> => {
  const cwd = request.cwd == null ? undefined : absolutePath(request.cwd, process.cwd(), request.env);
  const effective = await effectiveConfig({ codexHome: request.codexHome, cliOverrides: request.cliOverrides, env: request.env, cwd });
  return {
    config: toWireConfig(effective.config),
    origins: effective.origins,
    // Without `includeLayers` the reference leaves the member out (it is optional).
    ...(request.includeLayers ? { layers: [...effective.layers].reverse().map(toWireLayer) } : {}),
  };
};
