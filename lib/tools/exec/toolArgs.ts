import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { decodeAt } from '../../protocol/decode.js';

// Models send `null` for an optional argument about as often as they leave it out.
const optional = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** `use_default` runs under the turn's sandbox; `require_escalated` asks the user to run it without one. */
export const SandboxPermissions = t.keyof({ use_default: null, require_escalated: null }, 'SandboxPermissions');

const escalationFields = {
  sandbox_permissions: optional(SandboxPermissions),
  justification: optional(t.string),
  prefix_rule: optional(t.array(t.string)),
};

/** Arguments of `exec_command`. */
export const ExecCommandArgs = t.intersection([
  t.type({ cmd: t.string }),
  t.partial({
    workdir: optional(t.string),
    shell: optional(t.string),
    login: optional(t.boolean),
    tty: optional(t.boolean),
    yield_time_ms: optional(t.number),
    max_output_tokens: optional(t.number),
    ...escalationFields,
  }),
], 'ExecCommandArgs');
export type ExecCommandArgs = t.TypeOf<typeof ExecCommandArgs>;

/** Arguments of `write_stdin`. */
export const WriteStdinArgs = t.intersection([
  t.type({ session_id: t.number }),
  t.partial({
    chars: optional(t.string),
    yield_time_ms: optional(t.number),
    max_output_tokens: optional(t.number),
  }),
], 'WriteStdinArgs');
export type WriteStdinArgs = t.TypeOf<typeof WriteStdinArgs>;

/** Arguments of `shell` (argv form). */
export const ShellArgs = t.intersection([
  t.type({ command: t.array(t.string) }),
  t.partial({
    workdir: optional(t.string),
    timeout_ms: optional(t.number),
    ...escalationFields,
  }),
], 'ShellArgs');
export type ShellArgs = t.TypeOf<typeof ShellArgs>;

/**
 * Decodes a function call's arguments (the JSON string the model sent, or already parsed) into
 * `codec`; the failure is the text the model gets back, naming the bad field.
 *
 * @example
 * decodeToolArgs(WriteStdinArgs, '{"chars":"y"}'); // left('failed to parse function arguments: arguments.session_id: missing required field')
 */
export function decodeToolArgs<C extends t.Mixed>(codec: C, raw: unknown): E.Either<string, t.TypeOf<C>> {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return E.left(`failed to parse function arguments: ${(error as Error).message}`);
    }
  }
  return E.mapLeft((problem: string) => `failed to parse function arguments: ${problem}`)(decodeAt(codec, value, 'arguments'));
}
