import * as E from 'fp-ts/lib/Either.js';
import { configSettings } from '../../config/configSettings.js';
import { effectiveConfig } from '../../config/effectiveConfig.js';
import { CommandExecParams, CommandExecResponse } from '../../protocol/v2/command.js';
import { sandboxPolicyFor } from '../../threads/sessionSettings.js';
import { runCommandExec } from '../../tools/exec/index.js';
import { turnServices } from '../../turns/turnServices.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';

/**
 * `command/exec` (Appendix B): runs an argv without a thread, under the request's sandbox policy
 * or the configured one, and answers `{exitCode, stdout, stderr}`.
 */
export const commandExec = handle('command/exec', CommandExecParams, CommandExecResponse, async (params, ctx) => {
  const server = ctx.server;
  if (params.command.length === 0) throw rpcError.invalidRequest('command must not be empty', 'invalidParams');
  const cwd = process.cwd();
  const config = configSettings(await effectiveConfig({ codexHome: server.codexHome, cwd, cliOverrides: server.cliOverrides, env: server.env }));
  const result = await runCommandExec(
    params,
    { cwd, sandboxPolicy: sandboxPolicyFor(config.sandboxMode ?? 'read-only', config.sandboxWorkspaceWrite) },
    { sandbox: turnServices(server).sandbox, env: server.env },
  );
  if (E.isRight(result)) return result.right;
  if (result.left.kind === 'emptyCommand') throw rpcError.invalidRequest(result.left.message, 'invalidParams');
  if (result.left.kind === 'sandboxUnavailable') throw rpcError.invalidRequest(result.left.message, 'sandboxUnavailable');
  throw rpcError.internal(result.left.message);
});
