import * as E from 'fp-ts/lib/Either.js';
import { takeUntil, type Observable } from 'rxjs';
import type { SandboxPolicy } from '../../protocol/index.js';
import type { Sandbox } from '../../sandbox/index.js';
import {
  defaultUserShell,
  planExecCommand,
  planShellCall,
  runShellTool,
  shellScriptOf,
  splitScript,
  UnifiedExec,
  type CommandPlan,
  type ExecEvent,
} from '../../tools/exec/index.js';
import type { LiveThread } from '../../threads/liveThread.js';
import { commandNeedsApproval, requestCommandApproval } from '../approvals.js';
import type { ToolCallItem, ToolContext, ToolResult } from '../toolRouter.js';
import { applyPatchForm } from './applyPatchTool.js';
import { callIdOf, toolOutput } from './toolOutput.js';

/** What running commands needs from the server: one sandbox for all threads. */
export interface ExecDeps {
  readonly sandbox: Sandbox;
}

/** Each thread's unified-exec sessions (they outlive a turn, not the thread). */
const sessions = new WeakMap<LiveThread, UnifiedExec>();
const sessionsOf = (thread: LiveThread, deps: ExecDeps, env: NodeJS.ProcessEnv): UnifiedExec => {
  let exec = sessions.get(thread);
  if (!exec) {
    exec = new UnifiedExec({ sandbox: deps.sandbox, env });
    sessions.set(thread, exec);
  }
  return exec;
};

/** Ends the thread's running command sessions (interrupt, archive, shutdown). */
export const closeThreadSessions = async (thread: LiveThread): Promise<void> => {
  await sessions.get(thread)?.closeAll();
};

/** The simple commands of a plan, for the "only reads" check of `untrusted`. */
const simpleCommands = (plan: CommandPlan): string[][] => {
  const script = shellScriptOf(plan.argv);
  if (script === null) return [[...plan.argv]];
  return splitScript(script)?.map((c) => [...c.words]) ?? [[...plan.argv]];
};

const UNSANDBOXED: SandboxPolicy = { type: 'dangerFullAccess' };

/**
 * Runs an exec event stream: publishes the command item's start, output and completion, and
 * resolves with the model's output as soon as it is known. A long-running command keeps
 * streaming after that (its item completes when it exits). When the turn is interrupted the
 * stream is dropped (the command is killed) and the item completes `failed` with the output
 * seen so far, so no item is left in progress.
 */
const drive = (events$: Observable<ExecEvent>, call: ToolCallItem, ctx: ToolContext, onEnd: (e: Extract<ExecEvent, { type: 'end' }>) => void): Promise<ToolResult> =>
  new Promise((resolve) => {
    let started: Extract<ExecEvent, { type: 'begin' }> | undefined;
    let startedAt = 0;
    let output = '';
    let ended = false;
    let answered = false;
    const answer = (result: ToolResult): void => {
      if (!answered) resolve(result);
      answered = true;
    };
    const item = (status: string, end?: Extract<ExecEvent, { type: 'end' }>) => ({
      type: 'commandExecution',
      id: started!.itemId,
      command: started!.command,
      cwd: started!.cwd,
      processId: started!.processId,
      status,
      commandActions: started!.commandActions,
      aggregatedOutput: end && end.aggregatedOutput !== '' ? end.aggregatedOutput : null,
      exitCode: end?.exitCode ?? null,
      durationMs: end ? end.durationMs : null,
    });
    events$.pipe(takeUntil(ctx.interrupted$)).subscribe({
      next: (event) => {
        switch (event.type) {
          case 'begin':
            started = event;
            startedAt = ctx.world.now().getTime();
            ctx.notifyItem('item/started', item('inProgress'));
            break;
          case 'outputDelta':
            if (event.itemId === started?.itemId) output += event.delta;
            ctx.notify('item/commandExecution/outputDelta', { itemId: event.itemId, delta: event.delta });
            break;
          case 'terminalInteraction':
            ctx.notify('item/commandExecution/terminalInteraction', { itemId: event.itemId, processId: event.processId, stdin: event.stdin });
            break;
          case 'end':
            ended = true;
            if (started) ctx.notifyItem('item/completed', item(event.status, event));
            onEnd(event);
            break;
          case 'toolOutput':
            answer({ output: toolOutput(call, event.output, event.success) });
            break;
        }
      },
      complete: () => {
        if (started && !ended) {
          // Interrupted: the command is being killed; its end will not be reported.
          const durationMs = Math.max(0, ctx.world.now().getTime() - startedAt);
          ctx.notifyItem('item/completed', { ...item('failed'), aggregatedOutput: output === '' ? null : output, durationMs });
        }
        answer({ output: toolOutput(call, 'command interrupted', false) });
      },
      error: (err: unknown) => answer({ output: toolOutput(call, `command failed: ${(err as Error).message}`, false) }),
    });
  });

/**
 * Approval before a command runs (SPEC §5.1). Returns the sandbox policy to run with, or the
 * result to give the model when the user said no (the declined item is published here).
 */
const approve = async (plan: CommandPlan, call: ToolCallItem, ctx: ToolContext, reason: string | null): Promise<SandboxPolicy | ToolResult> => {
  const settings = ctx.thread.settings;
  const key = `${plan.cwd}\u0000${plan.command}`;
  const escalated = plan.escalation.requested;
  if (escalated && settings.approvalPolicy === 'never') {
    return { output: toolOutput(call, 'running outside the sandbox is not allowed: the approval policy is "never"', false) };
  }
  const ask = reason !== null || (!ctx.thread.approvedForSession.commands.has(key) && commandNeedsApproval(settings.approvalPolicy, simpleCommands(plan), escalated));
  const policy = escalated || reason !== null ? UNSANDBOXED : settings.sandboxPolicy;
  if (!ask) return policy;
  const itemId = callIdOf(call);
  const outcome = await requestCommandApproval(ctx, {
    itemId,
    command: plan.command,
    cwd: plan.cwd,
    commandActions: plan.commandActions,
    reason: reason ?? plan.escalation.justification,
    amendment: plan.escalation.prefixRule ? [...plan.escalation.prefixRule] : (simpleCommands(plan).find((argv) => commandNeedsApproval('untrusted', [argv], false)) ?? null),
  });
  if (outcome === 'accept') return policy;
  if (outcome === 'acceptForSession') {
    ctx.thread.approvedForSession.commands.add(key);
    return policy;
  }
  const declined = {
    type: 'commandExecution',
    id: itemId,
    command: plan.command,
    cwd: plan.cwd,
    processId: null,
    status: outcome === 'failed' ? 'failed' : 'declined',
    commandActions: plan.commandActions,
    aggregatedOutput: null,
    exitCode: null,
    durationMs: null,
  };
  ctx.notifyItem('item/started', { ...declined, status: 'inProgress' });
  ctx.notifyItem('item/completed', declined);
  if (outcome === 'cancel') ctx.cancelTurn();
  return { output: toolOutput(call, 'exec command rejected by user', false) };
};

const isResult = (value: SandboxPolicy | ToolResult): value is ToolResult => 'output' in value;

/**
 * Runs a planned command with approvals and, under `on-failure`, one retry outside the sandbox
 * when the sandbox seems to have blocked it and the user agrees.
 */
const runPlanned = async (
  plan: CommandPlan,
  call: ToolCallItem,
  ctx: ToolContext,
  start: (policy: SandboxPolicy) => Observable<ExecEvent>,
): Promise<ToolResult> => {
  const policy = await approve(plan, call, ctx, null);
  if (isResult(policy)) return policy;
  let denied = false;
  const first = await drive(start(policy), call, ctx, (end) => (denied = end.sandboxDenied));
  if (!denied || ctx.thread.settings.approvalPolicy !== 'on-failure' || policy.type === 'dangerFullAccess') return first;
  const retry = await approve(plan, call, ctx, 'command failed in the sandbox; run it again without the sandbox?');
  if (isResult(retry)) return first;
  return drive(start(retry), call, ctx, () => undefined);
};

/** `exec_command`: a command in the user's shell, kept as a session if it outlives its yield time. */
export const runExecCommand = async (call: ToolCallItem, ctx: ToolContext, deps: ExecDeps): Promise<ToolResult> => {
  const args = call.type === 'function_call' ? call.arguments : '{}';
  const plan = planExecCommand(args, { cwd: ctx.thread.settings.cwd, defaultShell: defaultUserShell(ctx.env) });
  if (E.isLeft(plan)) return { output: toolOutput(call, plan.left, false) };
  const exec = sessionsOf(ctx.thread, deps, ctx.env);
  return runPlanned(plan.right, call, ctx, (policy) => exec.exec(plan.right, { callId: callIdOf(call), sandboxPolicy: policy }));
};

/** `write_stdin`: writes to (or polls) a running `exec_command` session. */
export const runWriteStdin = async (call: ToolCallItem, ctx: ToolContext, deps: ExecDeps): Promise<ToolResult> => {
  const args = call.type === 'function_call' ? call.arguments : '{}';
  const exec = sessionsOf(ctx.thread, deps, ctx.env);
  return drive(exec.writeStdin(args, { callId: callIdOf(call) }), call, ctx, () => undefined);
};

/** `shell` (array form): one command, run to completion or timeout. */
export const runShell = async (call: ToolCallItem, ctx: ToolContext, deps: ExecDeps): Promise<ToolResult> => {
  const raw =
    call.type === 'local_shell_call'
      ? { command: (call.action as { command?: string[] }).command ?? [], workdir: (call.action as { working_directory?: string }).working_directory }
      : call.type === 'function_call'
        ? call.arguments
        : '{}';
  const plan = planShellCall(raw, { cwd: ctx.thread.settings.cwd });
  if (E.isLeft(plan)) return { output: toolOutput(call, plan.left, false) };
  return runPlanned(plan.right, call, ctx, (policy) =>
    // With the freeform apply_patch tool offered the model reads shell results as text (SPEC §12.2).
    runShellTool(plan.right, { callId: callIdOf(call), sandboxPolicy: policy }, { sandbox: deps.sandbox, env: ctx.env, format: applyPatchForm(ctx.thread) === 'freeform' ? 'text' : 'json' }),
  );
};
