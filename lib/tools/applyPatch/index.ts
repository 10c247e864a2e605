/**
 * The `apply_patch` tool: parse the model's patch, plan its effect without touching files, apply
 * the plan, and keep the turn's aggregated diff.
 *
 * @example
 * const parsed = parsePatch(input);
 * const plan = isRight(parsed) ? await planPatch(parsed.right, fs, cwd) : parsed;
 * const output = isRight(plan) ? await applyPlannedPatch(plan.right, fs) : plan;
 */
export type { Patch, PatchError, PatchOperation, UpdateChunk } from './patch.js';
export { parsePatch } from './parsePatch.js';
export { seekSequence, type MatchTier } from './seekSequence.js';
export { applyChunks } from './applyChunks.js';
export { diffLines, splitLinesKeepingEnds, unifiedDiff, type DiffOp, type UnifiedDiffOptions } from './lineDiff.js';
export { planPatch, type PatchPlan, type PatchReader, type PlannedFile, type PlannedWrite } from './planPatch.js';
export { applyPlannedPatch, type PatchWriter } from './applyPlannedPatch.js';
export { nodePatchFs } from './nodePatchFs.js';
export { emptyTurnDiff, recordPatch, renderTurnDiff, type TurnDiff } from './turnDiff.js';
export { APPLY_PATCH_FREEFORM_TOOL, APPLY_PATCH_FUNCTION_TOOL, APPLY_PATCH_LARK_GRAMMAR } from './toolSpec.js';
