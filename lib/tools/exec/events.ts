import type { SandboxPolicy } from '../../protocol/v2/common.js';
import type { CommandAction } from '../../protocol/v2/items.js';
import type { OutputStream } from './spawner.js';

/**
 * What running a command tool produces, in order, for the turn pipeline to turn into
 * `commandExecution` item notifications and the function-call output:
 *
 * - `begin` → `item/started` (status `inProgress`);
 * - `outputDelta` → `item/commandExecution/outputDelta` (every byte, in order);
 * - `terminalInteraction` → `item/commandExecution/terminalInteraction` (a `write_stdin` to the item's process);
 * - `end` → `item/completed` (`completed` iff exit code 0);
 * - `toolOutput` → the `function_call_output` the model reads next.
 *
 * `itemId` is the call id of the tool call that started the command; `callId` (on `toolOutput`)
 * is the call being answered, which for `write_stdin` is a different call.
 */
export type ExecEvent =
  | {
      readonly type: 'begin';
      readonly itemId: string;
      /** The unified-exec session id as a string; null for one-shot commands. */
      readonly processId: string | null;
      readonly command: string;
      readonly cwd: string;
      readonly commandActions: CommandAction[];
    }
  | { readonly type: 'outputDelta'; readonly itemId: string; readonly stream: OutputStream; readonly delta: string }
  | { readonly type: 'terminalInteraction'; readonly itemId: string; readonly processId: string; readonly stdin: string }
  | {
      readonly type: 'end';
      readonly itemId: string;
      readonly processId: string | null;
      readonly status: 'completed' | 'failed';
      /** Null when the command never ran (refused by the sandbox, or could not start). */
      readonly exitCode: number | null;
      /** Stdout and stderr interleaved as they arrived, bounded (head and tail kept). */
      readonly aggregatedOutput: string;
      readonly durationMs: number;
      readonly timedOut: boolean;
      /** The sandbox probably blocked it: under `on-failure`, ask to run it again without the sandbox. */
      readonly sandboxDenied: boolean;
    }
  | { readonly type: 'toolOutput'; readonly callId: string; readonly output: string; readonly success: boolean };

/**
 * The tool call being run and the sandbox it runs under: the turn's policy, or
 * `{ type: 'dangerFullAccess' }` once the user approved running it outside the sandbox.
 */
export interface ExecCall {
  readonly callId: string;
  readonly sandboxPolicy: SandboxPolicy;
}

/** Bound on a command's `aggregatedOutput` and on what one session holds for the model between reads (UTF-16 code units). */
export const MAX_AGGREGATED_OUTPUT = 1024 * 1024;

/**
 * The events of a command that never ran: it begins and fails at once, and the model is told why.
 *
 * @example
 * neverRan('call_1', null, 'Refused to run the command: …'); // [{ type: 'end', status: 'failed', exitCode: null, … }, { type: 'toolOutput', … }]
 */
export function neverRan(itemId: string, processId: string | null, message: string, callId = itemId): ExecEvent[] {
  return [
    {
      type: 'end',
      itemId,
      processId,
      status: 'failed',
      exitCode: null,
      aggregatedOutput: message,
      durationMs: 0,
      timedOut: false,
      sandboxDenied: false,
    },
    { type: 'toolOutput', callId, output: message, success: false },
  ];
}

/**
 * What the model reads when a command cannot start at all (missing binary or directory).
 *
 * @example
 * spawnFailureMessage(new Error('spawn nope ENOENT'), 'nope'); // 'execution error: spawn nope ENOENT (while starting `nope`)'
 */
export const spawnFailureMessage = (error: unknown, command: string): string =>
  `execution error: ${error instanceof Error ? error.message : String(error)} (while starting \`${command}\`)`;
