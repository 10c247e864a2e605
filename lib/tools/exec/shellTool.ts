import * as E from 'fp-ts/lib/Either.js';
import { catchError, concat, defer, from, mergeMap, Observable, of, type SchedulerLike } from 'rxjs';
import { isLikelySandboxDenied } from '../../sandbox/denial.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { MAX_AGGREGATED_OUTPUT, neverRan, spawnFailureMessage, type ExecCall, type ExecEvent } from './events.js';
import { mergeEnv } from './execEnv.js';
import { HeadTailText } from './headTail.js';
import { DEFAULT_MAX_OUTPUT_TOKENS, formatShellReportJson, formatShellReportText, type ShellReport } from './modelOutput.js';
import type { ShellPlan } from './plans.js';
import { runProcess } from './runProcess.js';
import { nodeSpawner, type Spawner } from './spawner.js';

export interface ShellToolDeps {
  readonly sandbox: Sandbox;
  readonly spawner?: Spawner;
  readonly scheduler?: SchedulerLike;
  /** The commands' base environment. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `json` (default) or `text` when the freeform `apply_patch` tool is offered (SPEC §12.2). */
  readonly format?: 'json' | 'text';
  /** The model's output budget. Default {@link DEFAULT_MAX_OUTPUT_TOKENS}. */
  readonly maxOutputTokens?: number;
}

/**
 * Runs a `shell` tool call: `begin`, output deltas, `end`, then the `toolOutput` (JSON or text).
 * The command is killed at its timeout (exit code 124) or when the subscription is dropped
 * (turn interrupted).
 *
 * @example
 * const plan = planShellCall({ command: ['ls'] }, { cwd: '/proj' });
 * if (E.isRight(plan)) runShellTool(plan.right, { callId: 'call_1', sandboxPolicy }, { sandbox }).subscribe(toNotifications);
 */
export function runShellTool(plan: ShellPlan, call: ExecCall, deps: ShellToolDeps): Observable<ExecEvent> {
  const itemId = call.callId;
  const begin: ExecEvent = { type: 'begin', itemId, processId: null, command: plan.command, cwd: plan.cwd, commandActions: plan.commandActions };
  const run = defer(() => from(deps.sandbox.prepare(plan.argv, call.sandboxPolicy, plan.cwd))).pipe(
    mergeMap((prepared): Observable<ExecEvent> => {
      if (E.isLeft(prepared)) return from(neverRan(itemId, null, prepared.left.message));
      const aggregated = new HeadTailText(MAX_AGGREGATED_OUTPUT);
      const request = {
        argv: prepared.right.argv,
        cwd: plan.cwd,
        env: mergeEnv(deps.env ?? process.env, prepared.right.env),
        stdin: 'null' as const,
        timeoutMs: plan.timeoutMs,
      };
      return runProcess(request, { spawner: deps.spawner ?? nodeSpawner, scheduler: deps.scheduler }).pipe(
            mergeMap((event): ExecEvent[] => {
              switch (event.type) {
                case 'started':
                  return [];
                case 'output':
                  aggregated.push(event.text);
                  return [{ type: 'outputDelta', itemId, stream: event.stream, delta: event.text }];
                case 'exited': {
                  const output = aggregated.toString();
                  const report: ShellReport = {
                    output,
                    exitCode: event.exitCode,
                    durationMs: event.durationMs,
                    timedOut: event.timedOut,
                    timeoutMs: plan.timeoutMs,
                    maxOutputTokens: deps.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
                  };
                  const text = deps.format === 'text' ? formatShellReportText(report) : formatShellReportJson(report);
                  return [
                    {
                      type: 'end',
                      itemId,
                      processId: null,
                      status: event.exitCode === 0 ? 'completed' : 'failed',
                      exitCode: event.exitCode,
                      aggregatedOutput: output,
                      durationMs: event.durationMs,
                      timedOut: event.timedOut,
                      sandboxDenied: isLikelySandboxDenied({ sandboxed: prepared.right.sandboxed, exitCode: event.exitCode, output }),
                    },
                    { type: 'toolOutput', callId: call.callId, output: text, success: event.exitCode === 0 },
                  ];
                }
              }
            }),
            // A command that cannot start is a failed item, not a broken turn.
            catchError((error: unknown) => from(neverRan(itemId, null, spawnFailureMessage(error, plan.command)))),
      );
    }),
  );
  return concat(of(begin), run);
}
