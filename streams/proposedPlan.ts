// Plan mode's `<proposed_plan>` block (SPEC Part II §7.2–7.3): the tag spec and the helpers the
// turn pipeline applies to a complete assistant message when its item is done.
import { parseTaggedBlocks, type TagSpec } from './taggedBlocks.js';

/**
 * The plan block of plan mode.
 *
 * @example
 * deltas$.pipe(taggedBlocks([PROPOSED_PLAN])); // segments tagged 'proposed_plan'
 */
export const PROPOSED_PLAN: TagSpec<'proposed_plan'> = {
  tag: 'proposed_plan',
  open: '<proposed_plan>',
  close: '</proposed_plan>',
};

/**
 * The message without its plan blocks (tag lines and contents removed): the agent message text.
 *
 * @example
 * stripProposedPlanBlocks('Preface\n<proposed_plan>\n- a\n</proposed_plan>\nPostscript');
 * // 'Preface\nPostscript'
 */
export function stripProposedPlanBlocks(message: string): string {
  const texts: string[] = [];
  for (const segment of parseTaggedBlocks(message, [PROPOSED_PLAN])) {
    if (segment.kind === 'text') texts.push(segment.text);
  }
  return texts.join('');
}

/**
 * The text of the **last** plan block (each block start discards the previous one, as in the
 * reference), or `undefined` when the message has no block. An unterminated block counts.
 *
 * @example
 * extractProposedPlanText('x\n<proposed_plan>\n# Plan\n- a\n</proposed_plan>\n'); // '# Plan\n- a\n'
 * extractProposedPlanText('no plan here');                                      // undefined
 */
export function extractProposedPlanText(message: string): string | undefined {
  let plan: string[] | undefined;
  for (const segment of parseTaggedBlocks(message, [PROPOSED_PLAN])) {
    if (segment.kind === 'blockStart') plan = [];
    else if (segment.kind === 'blockText') plan?.push(segment.text);
  }
  return plan?.join('');
}
