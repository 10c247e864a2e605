import * as t from 'io-ts';
import { readRequirements } from '../../config/requirements.js';
import { ConfigRequirementsReadResponse } from '../../protocol/v2/config.js';
import { handle } from '../handler.js';
import { configRpcError } from './configErrors.js';

/** `configRequirements/read` (SPEC §10.4): the admin allow-lists of `requirements.toml`, or `null`. */
export const configRequirementsRead = handle('configRequirements/read', t.null, ConfigRequirementsReadResponse, async (_params, { server }) => {
  try {
    return { requirements: await readRequirements(server.env) };
  } catch (err) {
    throw configRpcError(err, 'failed to read configuration layers');
  }
});
