// `command/exec`: run an argv vector in the server sandbox without a thread.

import * as t from 'io-ts';
import { int32, int64 } from '../codec.js';
import { SandboxPolicy } from './common.js';

/** Params of `command/exec`. */
export const CommandExecParams = t.intersection([
  t.type({
    command: t.array(t.string),
  }),
  t.partial({
    cwd: t.union([t.string, t.null]),
    sandboxPolicy: t.union([SandboxPolicy, t.null]),
    timeoutMs: t.union([int64, t.null]),
  }),
], 'CommandExecParams');
export type CommandExecParams = t.TypeOf<typeof CommandExecParams>;

/** Result of `command/exec`. */
export const CommandExecResponse = t.type({
  exitCode: int32,
  stderr: t.string,
  stdout: t.string,
}, 'CommandExecResponse');
export type CommandExecResponse = t.TypeOf<typeof CommandExecResponse>;
