import type { CollaborationModeMask, ModeKind } from '../protocol/index.js';

// rxagent's own instructions for the collaboration modes (SPEC §7.1); the reference's texts are
// not copied. The plan-mode text tells the model the one convention the server depends on: the
// plan goes in a `<proposed_plan>` block whose tags fill whole lines.

const PLAN_INSTRUCTIONS = `# Plan mode

You are in plan mode: the user wants a plan before any change is made. Do not edit files or run commands that change anything; reading files and running read-only commands to understand the problem is fine.

1. Investigate until you understand what has to change and why. If a decision really needs the user, ask with the request_user_input tool (one to three short questions, each with two or three options, the recommended option first).
2. Then write the plan inside a block whose opening and closing tags each stand alone on their own line:

<proposed_plan>
# Title of the plan
- concrete step, naming files and functions
- …
- how the result will be verified
</proposed_plan>

Keep text outside the block short: a sentence of context before it, and at most a question after it. Write one plan per message; if the user asks for changes, write the whole revised plan again.`;

const DEFAULT_INSTRUCTIONS = `# Default mode

You are in default mode: carry out the user's request directly, making the changes and running the commands it needs. The request_user_input tool is not available in this mode; when something is unclear, make a reasonable assumption, state it, and continue.`;

/** The built-in presets `collaborationMode/list` returns, in the reference's order. */
export const COLLABORATION_MODE_PRESETS: readonly CollaborationModeMask[] = [
  { name: 'Plan', mode: 'plan', model: null, reasoning_effort: 'medium', developer_instructions: PLAN_INSTRUCTIONS },
  { name: 'Default', mode: 'default', model: null, reasoning_effort: null, developer_instructions: DEFAULT_INSTRUCTIONS },
];

/** The built-in instructions of a mode (used when a request's `developer_instructions` is null). */
export const presetInstructions = (mode: ModeKind): string =>
  COLLABORATION_MODE_PRESETS.find((p) => p.mode === mode)?.developer_instructions ?? '';
