import { readConfig } from '../../config/readConfig.js';
import { ConfigReadParams, ConfigReadResponse } from '../../protocol/v2/config.js';
import { handle } from '../handler.js';
import { configRpcError } from './configErrors.js';

/**
 * `config/read` (SPEC §10.2): the effective config for `cwd` (no project layers without one),
 * the origin of every value and, with `includeLayers`, every layer highest first.
 */
export const configRead = handle('config/read', ConfigReadParams, ConfigReadResponse, async (params, { server }) => {
  try {
    return await readConfig({
      codexHome: server.codexHome,
      cliOverrides: server.cliOverrides,
      env: server.env,
      cwd: params.cwd,
      includeLayers: params.includeLayers ?? false,
    });
  } catch (err) {
    throw configRpcError(err, 'failed to read configuration layers');
  }
});
