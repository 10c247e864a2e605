import { ConfigLoadError } from '../../config/configError.js';
import { ConfigWriteError } from '../../config/configEdits.js';
import { ConfigSchemaError } from '../../config/effectiveConfig.js';
import { ErrorCode, RpcError } from '../rpcError.js';

/**
 * Config failures as JSON-RPC errors (SPEC §10.2–10.3, §I.2). A refused write is `-32600` with the
 * reference's `config_write_error_code` and the same code as `kind`; a config that cannot be read
 * is `-32603` (`configLoadFailed`, or `invalidConfiguration` for values of the wrong type), with
 * the reference's message prefix. Anything else is rethrown unchanged.
 *
 * @example
 * try { … } catch (err) { throw configRpcError(err, 'failed to read configuration layers'); }
 */
export const configRpcError = (err: unknown, context: string): unknown => {
  if (err instanceof ConfigWriteError) {
    return new RpcError(ErrorCode.invalidRequest, err.message, err.code, { config_write_error_code: err.code });
  }
  if (err instanceof ConfigSchemaError) return new RpcError(ErrorCode.internalError, `invalid configuration: ${err.message}`, 'invalidConfiguration');
  if (err instanceof ConfigLoadError) return new RpcError(ErrorCode.internalError, `${context}: ${err.message}`, 'configLoadFailed');
  return err;
};
