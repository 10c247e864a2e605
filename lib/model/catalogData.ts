import type { ModelInfo } from './modelCatalog.js';

// The model catalog rxagent ships (SPEC §8.1): the reference's bundled slugs, visibilities and
// priorities, so `model/list` offers the same picker; descriptions and instructions are
// rxagent's own. `[models.<slug>]` tables in config.toml overlay or extend it.

const BASE_INSTRUCTIONS = `You are a coding agent working in the user's workspace through rxagent. You read and change files, run commands and explain what you did, to get the user's task done.

- Understand before acting: read the relevant code, and prefer \`rg\` / \`rg --files\` to search.
- Make focused changes that follow the project's conventions. Edit single files with apply_patch where it is available; don't hand-edit generated files.
- The worktree may contain changes you did not make. Never revert or overwrite them unless the user asks, and never run destructive commands (such as \`git reset --hard\`) without explicit approval.
- Verify your work when you can (build, tests, a quick run) and say plainly what you could not verify.
- For multi-step work, keep a short plan with the plan tool and update it as steps complete.
- When asked for a review, lead with findings (bugs, risks, missing tests) ordered by severity, with file and line references.

Final answers are plain text that the client renders as Markdown: lead with the outcome, keep it concise, refer to files as inline code paths (\`src/app.ts:42\`), use fenced code blocks for snippets, and suggest natural next steps briefly.`;

const PERSONALITY_TEMPLATE = `You are a coding agent working with the user in a shared workspace through rxagent.

{{ personality }}

${BASE_INSTRUCTIONS.split('\n').slice(2).join('\n')}`;

const PERSONALITY = {
  personality_default: 'Be clear and helpful, and match the amount of detail to the task.',
  personality_friendly:
    'Be warm and encouraging. Explain your reasoning in approachable terms, acknowledge good ideas, and keep the user informed as you work.',
  personality_pragmatic:
    'Be direct and efficient. Favour action over discussion, keep explanations brief and factual, and surface only what the user needs to decide or know.',
} as const;

const EFFORT = {
  minimal: { effort: 'minimal', description: 'Least reasoning; for quick, simple edits' },
  low: { effort: 'low', description: 'Quick answers with light reasoning' },
  medium: { effort: 'medium', description: 'Balanced depth and speed for everyday work' },
  high: { effort: 'high', description: 'Deeper reasoning for hard problems' },
  xhigh: { effort: 'xhigh', description: 'Maximum reasoning depth for the hardest problems' },
} as const;

const UPGRADE = { model: 'gpt-5.3-codex', migration_markdown: null };

/** Shared by every bundled entry; each entry overrides what differs. */
const COMMON: Omit<ModelInfo, 'slug' | 'display_name' | 'description' | 'visibility' | 'priority' | 'supported_reasoning_levels'> = {
  default_reasoning_level: 'medium',
  shell_type: 'shell_command',
  supported_in_api: true,
  upgrade: UPGRADE,
  base_instructions: BASE_INSTRUCTIONS,
  model_messages: null,
  supports_reasoning_summaries: true,
  support_verbosity: false,
  default_verbosity: null,
  apply_patch_tool_type: 'freeform',
  truncation_policy: { mode: 'tokens', limit: 10_000 },
  supports_parallel_tool_calls: true,
  context_window: 272_000,
  auto_compact_token_limit: null,
  effective_context_window_percent: 95,
  experimental_supported_tools: [],
  input_modalities: ['text', 'image'],
  prefer_websockets: false,
};

const GENERAL: Partial<ModelInfo> = {
  support_verbosity: true,
  default_verbosity: 'low',
  truncation_policy: { mode: 'bytes', limit: 10_000 },
};

/** The bundled entries, in priority order. */
export const BUNDLED_MODELS: readonly ModelInfo[] = [
  {
    ...COMMON,
    slug: 'gpt-5.3-codex',
    display_name: 'gpt-5.3-codex',
    description: 'Newest Codex model for long, autonomous coding work.',
    visibility: 'hide',
    priority: 0,
    upgrade: null,
    supported_reasoning_levels: [EFFORT.low, EFFORT.medium, EFFORT.high, EFFORT.xhigh],
    model_messages: { instructions_template: PERSONALITY_TEMPLATE, instructions_variables: PERSONALITY },
    support_verbosity: true,
    default_verbosity: 'low',
  },
  {
    ...COMMON,
    slug: 'gpt-5.2-codex',
    display_name: 'gpt-5.2-codex',
    description: 'Frontier Codex model for agentic coding; the everyday default.',
    visibility: 'list',
    priority: 1,
    supported_reasoning_levels: [EFFORT.low, EFFORT.medium, EFFORT.high, EFFORT.xhigh],
    model_messages: { instructions_template: PERSONALITY_TEMPLATE, instructions_variables: PERSONALITY },
  },
  {
    ...COMMON,
    slug: 'gpt-5.1-codex-max',
    display_name: 'gpt-5.1-codex-max',
    description: 'Codex model tuned for long sessions and deep reasoning.',
    visibility: 'list',
    priority: 2,
    supported_reasoning_levels: [EFFORT.low, EFFORT.medium, EFFORT.high, EFFORT.xhigh],
  },
  {
    ...COMMON,
    slug: 'gpt-5.1-codex',
    display_name: 'gpt-5.1-codex',
    description: 'Earlier Codex model for agentic coding.',
    visibility: 'hide',
    priority: 3,
    supported_reasoning_levels: [EFFORT.low, EFFORT.medium, EFFORT.high],
  },
  {
    ...COMMON,
    ...GENERAL,
    slug: 'gpt-5.2',
    display_name: 'gpt-5.2',
    description: 'General-purpose frontier model: broad knowledge, strong reasoning and coding.',
    visibility: 'list',
    priority: 4,
    supported_reasoning_levels: [EFFORT.low, EFFORT.medium, EFFORT.high, EFFORT.xhigh],
  },
  {
    ...COMMON,
    ...GENERAL,
    slug: 'gpt-5.1',
    display_name: 'gpt-5.1',
    description: 'Earlier general-purpose model.',
    visibility: 'hide',
    priority: 5,
    supported_reasoning_levels: [EFFORT.low, EFFORT.medium, EFFORT.high],
  },
  {
    ...COMMON,
    slug: 'gpt-5-codex',
    display_name: 'gpt-5-codex',
    description: 'First-generation Codex model of the GPT-5 family.',
    visibility: 'hide',
    priority: 8,
    supported_reasoning_levels: [EFFORT.low, EFFORT.medium, EFFORT.high],
  },
  {
    ...COMMON,
    ...GENERAL,
    slug: 'gpt-5',
    display_name: 'gpt-5',
    description: 'First GPT-5 general-purpose model.',
    visibility: 'hide',
    priority: 9,
    shell_type: 'default',
    supported_reasoning_levels: [EFFORT.minimal, EFFORT.low, EFFORT.medium, EFFORT.high],
  },
  {
    ...COMMON,
    slug: 'gpt-5.1-codex-mini',
    display_name: 'gpt-5.1-codex-mini',
    description: 'Small, fast and economical Codex model for routine tasks.',
    visibility: 'list',
    priority: 10,
    supported_reasoning_levels: [EFFORT.medium, EFFORT.high],
  },
  {
    ...COMMON,
    slug: 'gpt-5-codex-mini',
    display_name: 'gpt-5-codex-mini',
    description: 'Earlier small Codex model.',
    visibility: 'hide',
    priority: 11,
    supported_reasoning_levels: [EFFORT.medium, EFFORT.high],
  },
  // rxagent's own: the offline demo model of the built-in `replay` provider (lib/model/replay/).
  // Hidden from the picker unless `rxagent serve` lists it (no credentials configured); the
  // function form of apply_patch is what its scripts call.
  {
    ...COMMON,
    slug: 'replay-demo',
    display_name: 'Offline demo (replay)',
    description: 'Scripted demo conversations bundled with rxagent, for trying it without credentials or network. Not a real model.',
    visibility: 'hide',
    priority: 50,
    upgrade: null,
    supported_reasoning_levels: [EFFORT.low, EFFORT.medium, EFFORT.high],
    apply_patch_tool_type: 'function',
  },
];

/** Instructions for a model rxagent knows nothing about. */
export const FALLBACK_BASE_INSTRUCTIONS = BASE_INSTRUCTIONS;
