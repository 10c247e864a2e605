import type { ReplayMatcher, ReplayResponse, ReplayScript } from './scriptCodec.js';

// How the replay provider picks what to answer: facts read off the Responses request body (the
// JSON a real server would get), then the first script that matches them and the response for
// the step the turn is at.

/** A tool the request offers, as its `tools` entry names it. */
export interface OfferedTool {
  readonly type: string;
  readonly name: string;
}

/** What script selection looks at in a request. */
export interface RequestFacts {
  /** Text of the last user message (the turn's input, or a steer); '' when there is none. */
  readonly userText: string;
  /** `plan` when the latest collaboration-mode instructions in the input are plan mode's. */
  readonly mode: 'plan' | 'default';
  /** Rounds of tool outputs since the last user message: 0 for the first request of a turn. */
  readonly step: number;
  /** Text of the last tool output in the input, if the input ends with tool outputs. */
  readonly lastToolOutput: string | null;
  readonly tools: readonly OfferedTool[];
  /** Number of input items (used to make ids unique per request). */
  readonly inputLength: number;
}

type Json = Record<string, unknown>;
const isRecord = (u: unknown): u is Json => typeof u === 'object' && u !== null && !Array.isArray(u);

/** The text of message content (`input_text` / `output_text` parts) or a tool output (string or content items). */
const textOf = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
};

const TOOL_OUTPUTS = new Set(['function_call_output', 'custom_tool_call_output', 'local_shell_call_output']);
/** User-role messages the server adds to the context: not something the user typed. */
const CONTEXT_MESSAGE = /^\s*(<environment_context>|<user_instructions>|# AGENTS\.md instructions)/;
const PLAN_MARKER = /<proposed_plan>|\bplan mode\b/i;
const DEFAULT_MARKER = /\bdefault mode\b/i;

const isUserMessage = (item: Json): boolean =>
  item.type === 'message' && item.role === 'user' && !CONTEXT_MESSAGE.test(textOf(item.content));

/**
 * Reads the facts script selection needs from a Responses request body (input items in the form
 * the API takes: bare `function_call_output.output`, content parts with `text`).
 *
 * @example
 * requestFacts({ input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'run ls' }] }], tools: [] });
 * // { userText: 'run ls', mode: 'default', step: 0, lastToolOutput: null, tools: [], inputLength: 1 }
 */
export const requestFacts = (body: Json): RequestFacts => {
  const input = Array.isArray(body.input) ? body.input.filter(isRecord) : [];
  let lastUser = -1;
  let mode: 'plan' | 'default' = 'default';
  input.forEach((item, i) => {
    if (isUserMessage(item)) lastUser = i;
    if (item.type === 'message' && (item.role === 'developer' || item.role === 'system')) {
      const text = textOf(item.content);
      if (PLAN_MARKER.test(text)) mode = 'plan';
      else if (DEFAULT_MARKER.test(text)) mode = 'default';
    }
  });
  // One round = one contiguous run of tool outputs (the calls of a response are answered together).
  let step = 0;
  let inOutputs = false;
  for (const item of input.slice(lastUser + 1)) {
    const isOutput = TOOL_OUTPUTS.has(String(item.type));
    if (isOutput && !inOutputs) step++;
    inOutputs = isOutput;
  }
  const last = input.at(-1);
  const lastToolOutput = last && TOOL_OUTPUTS.has(String(last.type)) ? textOf(last.output) : null;
  const tools = (Array.isArray(body.tools) ? body.tools : [])
    .filter(isRecord)
    .map((tool) => ({ type: String(tool.type), name: typeof tool.name === 'string' ? tool.name : String(tool.type) }));
  return {
    userText: lastUser >= 0 ? textOf(input[lastUser]!.content) : '',
    mode,
    step,
    lastToolOutput,
    tools,
    inputLength: input.length,
  };
};

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];

/** Whether a keyword occurs in `text`: a single word must start a word; a phrase must appear as written (case-insensitive). */
export const keywordMatches = (keyword: string, text: string): boolean => {
  const wanted = keyword.trim().toLowerCase();
  if (wanted === '') return false;
  if (/\s/.test(wanted)) return text.toLowerCase().replace(/\s+/g, ' ').includes(wanted.replace(/\s+/g, ' '));
  return words(text).some((word) => word.startsWith(wanted));
};

/** Whether every condition of `matcher` holds for the request. */
export const matcherHolds = (matcher: ReplayMatcher, facts: RequestFacts): boolean =>
  (matcher.mode === undefined || matcher.mode === facts.mode) &&
  (matcher.keywords === undefined || matcher.keywords.some((keyword) => keywordMatches(keyword, facts.userText)));

/** Whether a script answers the request: no matchers, or one that holds. */
export const scriptMatches = (script: ReplayScript, facts: RequestFacts): boolean =>
  script.match.length === 0 || script.match.some((matcher) => matcherHolds(matcher, facts));

/** What to stream for a request. */
export type Selection =
  | { readonly kind: 'response'; readonly script: ReplayScript; readonly step: number; readonly response: ReplayResponse }
  /** The script has no response for this step (e.g. more tool rounds than it scripted). */
  | { readonly kind: 'endOfScript'; readonly script: ReplayScript; readonly step: number }
  | { readonly kind: 'noScript' };

const conditionHolds = (response: ReplayResponse, facts: RequestFacts): boolean => {
  const pattern = response.when?.toolOutput;
  return pattern === undefined || (facts.lastToolOutput !== null && new RegExp(pattern, 'i').test(facts.lastToolOutput));
};

/**
 * The first script (in order) that matches the request, and the response for its step: the
 * first alternative whose `when` holds.
 *
 * @example
 * selectResponse(scripts, requestFacts(body)); // { kind: 'response', script: { name: 'command', … }, step: 0, response: {…} }
 */
export const selectResponse = (scripts: readonly ReplayScript[], facts: RequestFacts): Selection => {
  const script = scripts.find((s) => scriptMatches(s, facts));
  if (!script) return { kind: 'noScript' };
  const alternatives = script.responses[facts.step];
  const response = alternatives?.find((r) => conditionHolds(r, facts));
  return response ? { kind: 'response', script, step: facts.step, response } : { kind: 'endOfScript', script, step: facts.step };
};
