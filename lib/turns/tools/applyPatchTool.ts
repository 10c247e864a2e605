import * as E from 'fp-ts/lib/Either.js';
import { applyPlannedPatch, nodePatchFs, parsePatch, planPatch, recordPatch, renderTurnDiff } from '../../tools/applyPatch/index.js';
import type { LiveThread } from '../../threads/liveThread.js';
import { patchNeedsApproval, requestPatchApproval } from '../approvals.js';
import type { ToolCallItem, ToolContext, ToolResult } from '../toolRouter.js';
import { callIdOf, parseArguments, toolOutput } from './toolOutput.js';

/** Which apply_patch form the model gets, if any: the model's own choice, or the feature flag. */
export const applyPatchForm = (thread: LiveThread): 'freeform' | 'function' | null => {
  const info = thread.catalog.lookup(thread.settings.model);
  if (thread.config.features.apply_patch_freeform === true) return 'freeform';
  return info.apply_patch_tool_type;
};

/** The patch text of a call: the freeform input, or the function's `input` argument. */
const patchText = (call: ToolCallItem): string | { error: string } => {
  if (call.type === 'custom_tool_call') return call.input;
  const parsed = parseArguments(call);
  if (!parsed.ok) return { error: parsed.message };
  return typeof parsed.args.input === 'string' ? parsed.args.input : { error: 'failed to parse function arguments: `input` must be a string' };
};

/**
 * `apply_patch` (SPEC §4.16–4.17, §5.2): parses and plans the patch without touching the disk,
 * asks for approval when the sandbox and policy require it, reports a `fileChange` item with the
 * planned changes, applies them, and publishes the turn's aggregated diff.
 */
export const runApplyPatch = async (call: ToolCallItem, ctx: ToolContext): Promise<ToolResult> => {
  const text = patchText(call);
  if (typeof text !== 'string') return { output: toolOutput(call, text.error, false) };
  const cwd = ctx.thread.settings.cwd;
  const patch = parsePatch(text);
  if (E.isLeft(patch)) return { output: toolOutput(call, `apply_patch verification failed: ${patch.left.message}`, false) };
  const fs = nodePatchFs();
  const plan = await planPatch(patch.right, fs, cwd);
  if (E.isLeft(plan)) return { output: toolOutput(call, `apply_patch verification failed: ${plan.left.message}`, false) };
  const itemId = callIdOf(call);
  const changes = plan.right.changes;
  const item = (status: string) => ({ type: 'fileChange', id: itemId, changes, status });
  const paths = changes.map((c) => c.path);
  const approved = ctx.thread.approvedForSession.paths;
  const settings = ctx.thread.settings;
  const needs = paths.every((p) => approved.has(p)) ? false : patchNeedsApproval(settings.approvalPolicy, settings.sandboxPolicy, cwd, paths);
  if (needs === 'refuse') {
    return { output: toolOutput(call, 'patch rejected: writing these files needs approval, and the approval policy is "never"', false) };
  }
  ctx.notifyItem('item/started', item('inProgress'));
  if (needs) {
    const outcome = await requestPatchApproval(ctx, { itemId, reason: null, grantRoot: null });
    if (outcome === 'acceptForSession') paths.forEach((p) => approved.add(p));
    if (outcome === 'decline' || outcome === 'cancel' || outcome === 'failed') {
      ctx.notifyItem('item/completed', item(outcome === 'failed' ? 'failed' : 'declined'));
      if (outcome === 'cancel') ctx.cancelTurn();
      return { output: toolOutput(call, 'patch rejected by user', false) };
    }
  }
  const applied = await applyPlannedPatch(plan.right, fs);
  if (E.isLeft(applied)) {
    ctx.notifyItem('item/completed', item('failed'));
    return { output: toolOutput(call, applied.left.message, false) };
  }
  ctx.notifyItem('item/completed', item('completed'));
  ctx.scratch.turnDiff = recordPatch(ctx.scratch.turnDiff, plan.right);
  const diff = renderTurnDiff(ctx.scratch.turnDiff, cwd);
  if (diff !== undefined) ctx.notify('turn/diff/updated', { diff });
  return { output: toolOutput(call, applied.right, true) };
};
