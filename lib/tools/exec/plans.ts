import * as E from 'fp-ts/lib/Either.js';
import { resolve } from 'node:path';
import type { CommandAction } from '../../protocol/v2/items.js';
import { commandActions } from './commandActions.js';
import { DEFAULT_MAX_OUTPUT_TOKENS } from './modelOutput.js';
import { shellJoin } from './shellWords.js';
import { decodeToolArgs, ExecCommandArgs, ShellArgs } from './toolArgs.js';

/** What the model asked for beyond the turn's sandbox, for the approval layer to decide on. */
export interface EscalationRequest {
  /** `sandbox_permissions: "require_escalated"`: run outside the sandbox, if the user agrees. */
  readonly requested: boolean;
  readonly justification: string | null;
  /** An argv prefix the model suggests allowing from now on (`proposedExecpolicyAmendment`). */
  readonly prefixRule: readonly string[] | null;
}

/**
 * A command about to run, with everything the approval request and `item/started` show:
 * the argv, its shell-quoted display form, the working directory and the parsed actions.
 */
export interface CommandPlan {
  readonly argv: readonly string[];
  /** `shellJoin(argv)`: `commandExecution.command`. */
  readonly command: string;
  readonly cwd: string;
  readonly commandActions: CommandAction[];
  readonly escalation: EscalationRequest;
}

/** An `exec_command` call, decoded and resolved. */
export interface ExecCommandPlan extends CommandPlan {
  readonly tty: boolean;
  readonly yieldTimeMs: number;
  readonly maxOutputTokens: number;
}

/** A `shell` call, decoded and resolved. */
export interface ShellPlan extends CommandPlan {
  readonly timeoutMs: number;
}

/** How long `exec_command` waits for output by default, and the bounds the model's wish is clamped to. */
export const EXEC_YIELD_MS = { default: 10_000, min: 250, max: 30_000 } as const;

/** Timeout of a `shell` call that sets none. */
export const DEFAULT_SHELL_TIMEOUT_MS = 10_000;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

const escalationOf = (args: { sandbox_permissions?: string | null; justification?: string | null; prefix_rule?: string[] | null }): EscalationRequest => ({
  requested: args.sandbox_permissions === 'require_escalated',
  justification: args.justification ?? null,
  prefixRule: args.prefix_rule ?? null,
});

/**
 * Decodes `exec_command` arguments into a plan: `cmd` runs as `[shell, -lc|-c, cmd]` (the
 * call's `shell`, else the user's), in `workdir` resolved against the turn's cwd.
 *
 * @example
 * planExecCommand('{"cmd":"ls"}', { cwd: '/proj', defaultShell: '/bin/bash' });
 * // right({ argv: ['/bin/bash', '-lc', 'ls'], command: '/bin/bash -lc ls', cwd: '/proj', tty: false, yieldTimeMs: 10000, … })
 */
export function planExecCommand(raw: unknown, context: { cwd: string; defaultShell: string }): E.Either<string, ExecCommandPlan> {
  return E.map((args: ExecCommandArgs): ExecCommandPlan => {
    const argv = [args.shell || context.defaultShell, args.login === false ? '-c' : '-lc', args.cmd];
    const cwd = resolve(context.cwd, args.workdir ?? '.');
    return {
      argv,
      command: shellJoin(argv),
      cwd,
      commandActions: commandActions(argv, cwd),
      escalation: escalationOf(args),
      tty: args.tty === true,
      yieldTimeMs: clamp(args.yield_time_ms ?? EXEC_YIELD_MS.default, EXEC_YIELD_MS.min, EXEC_YIELD_MS.max),
      maxOutputTokens: Math.max(0, args.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS),
    };
  })(decodeToolArgs(ExecCommandArgs, raw));
}

/**
 * Decodes `shell` arguments into a plan; an empty argv is refused.
 *
 * @example
 * planShellCall({ command: ['cat', 'a.txt'], workdir: 'src' }, { cwd: '/proj' });
 * // right({ argv: ['cat', 'a.txt'], command: 'cat a.txt', cwd: '/proj/src', timeoutMs: 10000, … })
 */
export function planShellCall(raw: unknown, context: { cwd: string }): E.Either<string, ShellPlan> {
  return E.chain((args: ShellArgs): E.Either<string, ShellPlan> => {
    if (args.command.length === 0) return E.left('command must not be empty');
    const cwd = resolve(context.cwd, args.workdir ?? '.');
    return E.right({
      argv: args.command,
      command: shellJoin(args.command),
      cwd,
      commandActions: commandActions(args.command, cwd),
      escalation: escalationOf(args),
      timeoutMs: args.timeout_ms ?? DEFAULT_SHELL_TIMEOUT_MS,
    });
  })(decodeToolArgs(ShellArgs, raw));
}
