import type { ConfigEditRequest } from '../../config/configEdits.js';
import { writeUserConfig } from '../../config/writeUserConfig.js';
import { ConfigBatchWriteParams, ConfigValueWriteParams, ConfigWriteResponse } from '../../protocol/v2/config.js';
import { handle, type RequestContext } from '../handler.js';
import { configRpcError } from './configErrors.js';

const write = async (
  edits: readonly ConfigEditRequest[],
  params: { filePath?: string | null; expectedVersion?: string | null },
  { server }: RequestContext,
): Promise<ConfigWriteResponse> => {
  try {
    return await writeUserConfig({
      codexHome: server.codexHome,
      cliOverrides: server.cliOverrides,
      env: server.env,
      edits,
      filePath: params.filePath,
      expectedVersion: params.expectedVersion,
    });
  } catch (err) {
    throw configRpcError(err, 'failed to load configuration');
  }
};

/** `config/value/write` (SPEC §10.3): one edit of the user `config.toml`. */
export const configValueWrite = handle('config/value/write', ConfigValueWriteParams, ConfigWriteResponse, (params, ctx) =>
  write([{ keyPath: params.keyPath, value: params.value, mergeStrategy: params.mergeStrategy }], params, ctx),
);

/** `config/batchWrite` (SPEC §10.3): several edits of the user `config.toml`, applied in order, all or none. */
export const configBatchWrite = handle('config/batchWrite', ConfigBatchWriteParams, ConfigWriteResponse, (params, ctx) =>
  write(params.edits, params, ctx),
);
