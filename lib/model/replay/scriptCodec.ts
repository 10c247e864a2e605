import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { uint } from '../../protocol/codec.js';
import { decodeAt } from '../../protocol/decode.js';

// The replay script format (documented in README-section.md): what the offline `replay` provider
// answers Responses requests with. A script is one demo conversation: how to recognise a request
// that belongs to it (`match`), and the response to stream at each step of the turn (step 0 for
// the user's message, step n after the n-th round of tool outputs). Responses are written as
// output items (like the mock Responses server of the specs) and turned into the same SSE
// payloads the real API streams; `events` gives raw payloads for full control.

/** An assistant message; `chunks` (which must join to `text`) are its deltas, else one per word. */
export const ReplayMessage = t.intersection(
  [
    t.type({ type: t.literal('message'), text: t.string }),
    t.partial({ chunks: t.array(t.string), phase: t.keyof({ commentary: null, final_answer: null }), id: t.string }),
  ],
  'ReplayMessage',
);

/** A reasoning item: each summary part is streamed word by word. */
export const ReplayReasoning = t.intersection(
  [t.type({ type: t.literal('reasoning'), summary: t.array(t.string) }), t.partial({ id: t.string })],
  'ReplayReasoning',
);

/**
 * A function tool call; `arguments` is the JSON string the API sends, or an object to encode.
 * Without `call_id` a fresh one is made per request, so a demo can run twice in a thread.
 */
export const ReplayFunctionCall = t.intersection(
  [
    t.type({ type: t.literal('function_call'), name: t.string, arguments: t.union([t.string, t.UnknownRecord]) }),
    t.partial({ call_id: t.string, id: t.string }),
  ],
  'ReplayFunctionCall',
);

/** A freeform (custom) tool call, e.g. `apply_patch` with the patch as `input`. */
export const ReplayCustomToolCall = t.intersection(
  [t.type({ type: t.literal('custom_tool_call'), name: t.string, input: t.string }), t.partial({ call_id: t.string, id: t.string })],
  'ReplayCustomToolCall',
);

export const ReplayItem = t.union([ReplayMessage, ReplayReasoning, ReplayFunctionCall, ReplayCustomToolCall], 'ReplayItem');
export type ReplayItem = t.TypeOf<typeof ReplayItem>;

/** Token counts reported by `response.completed`; missing ones are estimated from the text. */
export const ReplayUsage = t.partial(
  { input_tokens: uint, cached_tokens: uint, output_tokens: uint, reasoning_tokens: uint },
  'ReplayUsage',
);
export type ReplayUsage = t.TypeOf<typeof ReplayUsage>;

/** When an alternative of a step applies: `toolOutput` is a regular expression (case-insensitive) tried on the last tool output. */
export const ResponseCondition = t.partial({ toolOutput: t.string }, 'ResponseCondition');
export type ResponseCondition = t.TypeOf<typeof ResponseCondition>;

/**
 * One streamed response: `output` items (the usual way), or raw `events` (Responses SSE payload
 * objects sent exactly as written, nothing added: end them with `response.completed` yourself).
 */
export const ReplayResponse = t.partial(
  {
    output: t.array(ReplayItem),
    events: t.array(t.UnknownRecord),
    when: ResponseCondition,
    /** Pause before each delta, in ms. */
    delayMs: uint,
    /** `null`: `response.completed` without usage. */
    usage: t.union([ReplayUsage, t.null]),
  },
  'ReplayResponse',
);
export type ReplayResponse = t.TypeOf<typeof ReplayResponse>;

/** A step: one response, or alternatives tried in order (the first whose `when` holds). */
export const ReplayStep = t.union([ReplayResponse, t.array(ReplayResponse)], 'ReplayStep');

/**
 * Which requests a script answers; every field given must hold. `keywords`: one of them starts a
 * word of the user's last message (case-insensitive). `mode`: the collaboration mode the request
 * is in (`plan` when the plan-mode instructions are the latest mode instructions in the input).
 */
export const ReplayMatcher = t.partial({ keywords: t.array(t.string), mode: t.keyof({ plan: null, default: null }) }, 'ReplayMatcher');
export type ReplayMatcher = t.TypeOf<typeof ReplayMatcher>;

export const ReplayScriptCodec = t.intersection(
  [
    t.type({ name: t.string, responses: t.array(ReplayStep) }),
    t.partial({
      description: t.string,
      /** One matcher, or several of which one must hold; none: the script answers anything. */
      match: t.union([ReplayMatcher, t.array(ReplayMatcher)]),
      delayMs: uint,
    }),
  ],
  'ReplayScript',
);

/** A file of scripts, tried in order; `delayMs` is the default for all of them. */
export const ReplayScriptFileCodec = t.intersection(
  [t.type({ scripts: t.array(ReplayScriptCodec) }), t.partial({ version: t.literal(1), delayMs: uint })],
  'ReplayScriptFile',
);
export type ReplayScriptFile = t.TypeOf<typeof ReplayScriptFileCodec>;

/** A decoded script, normalised: matchers as a list, every step as a list of alternatives, delays resolved. */
export interface ReplayScript {
  readonly name: string;
  readonly description?: string;
  /** Empty: matches any request. */
  readonly match: readonly ReplayMatcher[];
  readonly responses: readonly (readonly ReplayResponse[])[];
  /** Per-delta pause for responses that do not set their own. */
  readonly delayMs: number;
  /** Where it came from, for messages (`bundled`, or a file path). */
  readonly source: string;
}

/** Checks what the codec cannot: one of `output`/`events`, chunks that join to the text, regexes that compile. */
const checkResponse = (response: ReplayResponse, path: string): string | undefined => {
  if ((response.output === undefined) === (response.events === undefined)) return `${path}: give exactly one of \`output\` or \`events\``;
  if (response.when?.toolOutput !== undefined) {
    try {
      new RegExp(response.when.toolOutput, 'i');
    } catch (err) {
      return `${path}.when.toolOutput: not a regular expression: ${(err as Error).message}`;
    }
  }
  for (const [i, item] of (response.output ?? []).entries()) {
    if (item.type === 'message' && item.chunks !== undefined && item.chunks.join('') !== item.text) {
      return `${path}.output[${i}].chunks: the chunks do not join to \`text\``;
    }
  }
  return undefined;
};

const normalise = (script: t.TypeOf<typeof ReplayScriptCodec>, path: string, fileDelayMs: number, source: string): E.Either<string, ReplayScript> => {
  if (script.responses.length === 0) return E.left(`${path}.responses: give at least one response`);
  const steps = script.responses.map((step) => (Array.isArray(step) ? step : [step]));
  for (const [i, step] of steps.entries()) {
    if (step.length === 0) return E.left(`${path}.responses[${i}]: give at least one alternative`);
    for (const [j, response] of step.entries()) {
      const problem = checkResponse(response, Array.isArray(script.responses[i]) ? `${path}.responses[${i}][${j}]` : `${path}.responses[${i}]`);
      if (problem) return E.left(problem);
    }
  }
  const match = script.match === undefined ? [] : Array.isArray(script.match) ? script.match : [script.match];
  return E.right({
    name: script.name,
    ...(script.description === undefined ? {} : { description: script.description }),
    match,
    responses: steps,
    delayMs: script.delayMs ?? fileDelayMs,
    source,
  });
};

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * Decodes a script document: `{"scripts": [...]}` (optionally with `version: 1` and a default
 * `delayMs`), a bare array of scripts, or a single script. The error names the JSON path of the
 * first problem, rooted at `source`.
 *
 * @example
 * decodeReplayScripts({ scripts: [{ name: 'hi', responses: [{ output: [{ type: 'message', text: 'Hi!' }] }] }] }, 'demo.json');
 * // right([{ name: 'hi', match: [], responses: [[…]], delayMs: 0, source: 'demo.json' }])
 * decodeReplayScripts({ scripts: [{ name: 'x' }] }, 'demo.json'); // left('demo.json.scripts[0].responses: missing required field')
 */
export const decodeReplayScripts = (json: unknown, source: string): E.Either<string, ReplayScript[]> => {
  let file: E.Either<string, ReplayScriptFile>;
  if (Array.isArray(json)) file = E.map((scripts: t.TypeOf<typeof ReplayScriptCodec>[]) => ({ scripts }))(decodeAt(t.array(ReplayScriptCodec), json, source));
  else if (isRecord(json) && 'scripts' in json) file = decodeAt(ReplayScriptFileCodec, json, source);
  else file = E.map((script: t.TypeOf<typeof ReplayScriptCodec>) => ({ scripts: [script] }))(decodeAt(ReplayScriptCodec, json, source));
  if (E.isLeft(file)) return file;
  const prefix = Array.isArray(json) ? source : isRecord(json) && 'scripts' in json ? `${source}.scripts` : undefined;
  const scripts: ReplayScript[] = [];
  for (const [i, script] of file.right.scripts.entries()) {
    const normalised = normalise(script, prefix === undefined ? source : `${prefix}[${i}]`, file.right.delayMs ?? 0, source);
    if (E.isLeft(normalised)) return normalised;
    scripts.push(normalised.right);
  }
  return E.right(scripts);
};
