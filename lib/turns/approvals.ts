import { catchError, firstValueFrom, map, of, takeUntil } from 'rxjs';
import type { AskForApproval, CommandAction, SandboxPolicy } from '../protocol/index.js';
import { CommandExecutionRequestApprovalResponse, FileChangeRequestApprovalResponse } from '../protocol/v2/serverRequests.js';
import type { ToolContext } from './toolRouter.js';

/**
 * A client's verdict on an approval request, reduced to what the turn does with it (SPEC §5.1):
 * run, run and stop asking for the same thing this session, skip (`decline`), skip and stop the
 * turn (`cancel`), or no usable answer (client error, no client: the item ends `failed`).
 */
export type ApprovalOutcome = 'accept' | 'acceptForSession' | 'decline' | 'cancel' | 'failed';

/**
 * Asks the subscribed clients to approve a command. Resolves `failed` on a client error or with
 * nobody to ask; an undecodable answer counts as `decline`; an interrupted turn resolves `cancel`.
 */
export const requestCommandApproval = (
  ctx: ToolContext,
  request: { itemId: string; command: string; cwd: string; commandActions: CommandAction[]; reason: string | null; amendment: string[] | null },
): Promise<ApprovalOutcome> =>
  ask(ctx, 'item/commandExecution/requestApproval', {
    threadId: ctx.thread.id,
    turnId: ctx.turnId,
    itemId: request.itemId,
    reason: request.reason,
    command: request.command,
    cwd: request.cwd,
    commandActions: request.commandActions,
    proposedExecpolicyAmendment: request.amendment,
  }, (answer) => {
    if (!CommandExecutionRequestApprovalResponse.is(answer)) return 'decline';
    const decision = answer.decision;
    // Amending the exec policy is answered like "accept for session": rxagent keeps no rules file.
    return typeof decision === 'string' ? decision : 'acceptForSession';
  });

/** Asks the subscribed clients to approve a file change (SPEC §5.2); outcomes as for commands. */
export const requestPatchApproval = (ctx: ToolContext, request: { itemId: string; reason: string | null; grantRoot: string | null }): Promise<ApprovalOutcome> =>
  ask(ctx, 'item/fileChange/requestApproval', {
    threadId: ctx.thread.id,
    turnId: ctx.turnId,
    itemId: request.itemId,
    reason: request.reason,
    grantRoot: request.grantRoot,
  }, (answer) => (FileChangeRequestApprovalResponse.is(answer) ? answer.decision : 'decline'));

const ask = (ctx: ToolContext, method: string, params: Record<string, unknown>, decide: (answer: unknown) => ApprovalOutcome): Promise<ApprovalOutcome> =>
  firstValueFrom(
    ctx.serverRequests.request([...ctx.thread.subscribers], method, params).pipe(
      map(decide),
      takeUntil(ctx.interrupted$),
      catchError(() => of<ApprovalOutcome>('failed')),
    ),
    { defaultValue: 'cancel' },
  );

/** Commands that only read, which `untrusted` runs without asking (the first word of each simple command). */
const KNOWN_SAFE = new Set([
  'cat', 'cd', 'echo', 'false', 'grep', 'head', 'ls', 'nl', 'pwd', 'rg', 'sed', 'tail', 'true', 'wc', 'which', 'find', 'git', 'stat', 'file', 'tree', 'du', 'df', 'date', 'uname', 'whoami', 'env',
]);
const UNSAFE_FLAGS: Record<string, RegExp> = {
  find: /^-(exec|execdir|ok|okdir|delete|fprint|fprintf|fls)/,
  sed: /^(-i|--in-place)/,
  git: /^(?!(status|log|diff|show|branch|rev-parse|ls-files|blame)$)/,
  rg: /^--(pre|search-zip)/,
};

/** Whether a simple command (argv) only reads, so `untrusted` need not ask for it. */
export const isKnownSafe = (argv: readonly string[]): boolean => {
  const [name, ...args] = argv;
  if (!name || !KNOWN_SAFE.has(name)) return false;
  const unsafe = UNSAFE_FLAGS[name];
  if (!unsafe) return true;
  return name === 'git' ? args.length > 0 && !unsafe.test(args[0]!) : !args.some((a) => unsafe.test(a));
};

/**
 * Whether a command must be approved before it runs (SPEC §5.1): always under `untrusted` unless
 * every part only reads; under `on-request` when the model asks to leave the sandbox (that
 * request is refused under `never`); `on-failure` asks only after a sandbox denial.
 */
export const commandNeedsApproval = (policy: AskForApproval, parts: ReadonlyArray<readonly string[]>, escalated: boolean): boolean => {
  switch (policy) {
    case 'untrusted':
      return !parts.every(isKnownSafe);
    case 'on-request':
      return escalated;
    case 'on-failure':
    case 'never':
      return false;
  }
};

/**
 * Whether writing `paths` needs approval (SPEC §5.2): never with full access; under
 * `workspace-write` not when every path is inside a writable root; else yes (`untrusted` always
 * asks). `'refuse'`: it would need approval but the policy is `never`.
 */
export const patchNeedsApproval = (policy: AskForApproval, sandbox: SandboxPolicy, cwd: string, paths: readonly string[]): boolean | 'refuse' => {
  if (policy === 'untrusted') return true;
  if (sandbox.type === 'dangerFullAccess' || sandbox.type === 'externalSandbox') return false;
  if (sandbox.type === 'workspaceWrite') {
    const roots = [cwd, ...(sandbox.writableRoots ?? [])].map((r) => (r.endsWith('/') ? r : `${r}/`));
    if (paths.every((p) => roots.some((root) => p.startsWith(root)))) return false;
  }
  return policy === 'never' ? 'refuse' : true;
};
