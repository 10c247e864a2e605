import type { ToolContext, ToolResult, ToolCallItem } from '../toolRouter.js';
import { parseArguments, toolOutput } from './toolOutput.js';

/** The `update_plan` function the model is offered (rxagent's own description). */
export const UPDATE_PLAN_SPEC = {
  type: 'function',
  name: 'update_plan',
  description:
    'Keep the user informed of your plan for a multi-step task. Send the whole plan each time: every step with its status (pending, in_progress or completed), at most one step in_progress, and an optional short explanation of what changed.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      explanation: { type: 'string' },
      plan: {
        type: 'array',
        description: 'The steps of the plan, in order',
        items: {
          type: 'object',
          properties: { step: { type: 'string' }, status: { type: 'string', description: 'One of: pending, in_progress, completed' } },
          required: ['step', 'status'],
          additionalProperties: false,
        },
      },
    },
    required: ['plan'],
    additionalProperties: false,
  },
};

const STATUS: Record<string, 'pending' | 'inProgress' | 'completed'> = { pending: 'pending', in_progress: 'inProgress', completed: 'completed' };

/**
 * `update_plan` (SPEC §4.16): publishes `turn/plan/updated`. Refused in plan mode, where the plan
 * is the `<proposed_plan>` block, not a checklist (SPEC §7.1).
 */
export const runUpdatePlan = (call: ToolCallItem, ctx: ToolContext): ToolResult => {
  if (ctx.planMode) return { output: toolOutput(call, 'update_plan is a TODO/checklist tool and is not allowed in Plan mode', false) };
  const parsed = parseArguments(call);
  if (!parsed.ok) return { output: toolOutput(call, parsed.message, false) };
  const plan = parsed.args.plan;
  if (!Array.isArray(plan)) return { output: toolOutput(call, 'failed to parse function arguments: `plan` must be an array', false) };
  const steps = [];
  for (const entry of plan as unknown[]) {
    const step = (entry as { step?: unknown })?.step;
    const status = STATUS[String((entry as { status?: unknown })?.status)];
    if (typeof step !== 'string' || !status) {
      return { output: toolOutput(call, 'failed to parse function arguments: each step needs `step` (string) and `status` (pending, in_progress or completed)', false) };
    }
    steps.push({ step, status });
  }
  const explanation = typeof parsed.args.explanation === 'string' ? parsed.args.explanation : null;
  ctx.notify('turn/plan/updated', { explanation, plan: steps });
  return { output: toolOutput(call, 'Plan updated', true) };
};
