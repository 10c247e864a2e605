import type { OfferedTool, RequestFacts } from './scriptSelection.js';
import type { ReplayItem, ReplayResponse, ReplayUsage } from './scriptCodec.js';

// A scripted response as the Responses API streams it: the event payloads a real server sends
// for each output item (created, items added, deltas, items done, completed), each framed as an
// SSE event. The transport feeds these frames to the same parser the HTTP transport uses.

/** One SSE frame to send, and how long to wait before it. */
export interface SseFrame {
  readonly delayMs: number;
  readonly text: string;
}

type Payload = Record<string, unknown>;

/** What the encoder needs besides the response: ids, the pause per delta, the request. */
export interface EncodeContext {
  readonly responseId: string;
  /** Unique per request (e.g. `r12`), for generated item and call ids. */
  readonly idPrefix: string;
  readonly delayMs: number;
  readonly facts: RequestFacts;
  /** Characters of the request (instructions and input), for the estimated input tokens. */
  readonly requestChars: number;
}

/**
 * Splits text into word-sized deltas that join back to it exactly.
 *
 * @example
 * wordChunks('Hello big\nworld'); // ['Hello ', 'big\n', 'world']
 */
export const wordChunks = (text: string): string[] => (text === '' ? [] : text.split(/(?<=\s)(?=\S)/u));

/** `event:` + `data:` lines of one payload. */
export const sseFrame = (payload: Payload): string => `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;

const offers = (tools: readonly OfferedTool[], type: string, name: string): boolean => tools.some((t) => t.type === type && t.name === name);

const argumentsText = (args: string | Record<string, unknown>): string => (typeof args === 'string' ? args : JSON.stringify(args));

const parsedArguments = (args: string | Record<string, unknown>): Record<string, unknown> | undefined => {
  if (typeof args !== 'string') return args;
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Fits a scripted tool call to the tools the request offers, as a model would: `apply_patch` as a
 * freeform (custom) call when that is the form offered, or as a function call with `{input}`
 * when only that is; `exec_command` as `shell` (`["bash", "-lc", cmd]`) when unified exec is off.
 * Without any tools offered (e.g. a compaction request) calls are dropped.
 */
export const adaptCall = (item: ReplayItem, tools: readonly OfferedTool[]): ReplayItem | undefined => {
  if (item.type !== 'function_call' && item.type !== 'custom_tool_call') return item;
  if (tools.length === 0) return undefined;
  if (item.type === 'function_call' && item.name === 'apply_patch' && offers(tools, 'custom', 'apply_patch') && !offers(tools, 'function', 'apply_patch')) {
    const input = parsedArguments(item.arguments)?.input;
    if (typeof input === 'string') return { type: 'custom_tool_call', name: 'apply_patch', input, ...(item.call_id ? { call_id: item.call_id } : {}) };
  }
  if (item.type === 'custom_tool_call' && item.name === 'apply_patch' && offers(tools, 'function', 'apply_patch') && !offers(tools, 'custom', 'apply_patch')) {
    return { type: 'function_call', name: 'apply_patch', arguments: { input: item.input }, ...(item.call_id ? { call_id: item.call_id } : {}) };
  }
  if (item.type === 'function_call' && item.name === 'exec_command' && !offers(tools, 'function', 'exec_command') && offers(tools, 'function', 'shell')) {
    const args = parsedArguments(item.arguments);
    if (args && typeof args.cmd === 'string') {
      const { cmd, workdir, sandbox_permissions, justification, prefix_rule } = args;
      const shellArgs = { command: ['bash', '-lc', cmd], workdir, sandbox_permissions, justification, prefix_rule };
      return { ...item, name: 'shell', arguments: JSON.parse(JSON.stringify(shellArgs)) as Record<string, unknown> };
    }
  }
  return item;
};

/** A rough token count (4 characters a token), for usage the script does not give. */
const tokens = (chars: number): number => Math.ceil(chars / 4);

const usagePayload = (usage: ReplayUsage | undefined, outputChars: number, reasoningChars: number, requestChars: number): Payload => {
  const input = usage?.input_tokens ?? tokens(requestChars);
  const reasoning = usage?.reasoning_tokens ?? tokens(reasoningChars);
  const output = usage?.output_tokens ?? tokens(outputChars) + reasoning;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.cached_tokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
};

/**
 * The SSE frames of a scripted response. `output` items become the events a real server sends
 * (deltas paced by `delayMs`) between `response.created` and `response.completed` (with the
 * script's usage, or an estimate); raw `events` are framed as written, nothing added.
 *
 * @example
 * encodeResponse({ output: [{ type: 'message', text: 'Hi there' }] }, ctx).map((f) => f.text);
 * // ['event: response.created\ndata: {…}\n\n', …, 'event: response.completed\ndata: {…}\n\n']
 */
export const encodeResponse = (response: ReplayResponse, ctx: EncodeContext): SseFrame[] => {
  if (response.events) return response.events.map((payload) => ({ delayMs: 0, text: sseFrame(payload) }));
  const frames: SseFrame[] = [];
  const now = (payload: Payload): void => void frames.push({ delayMs: 0, text: sseFrame(payload) });
  const paced = (payload: Payload): void => void frames.push({ delayMs: ctx.delayMs, text: sseFrame(payload) });
  const { responseId } = ctx;
  now({ type: 'response.created', response: { id: responseId, object: 'response', status: 'in_progress', output: [] } });
  now({ type: 'response.in_progress', response: { id: responseId, object: 'response', status: 'in_progress', output: [] } });
  let outputChars = 0;
  let reasoningChars = 0;
  const items = (response.output ?? []).map((item) => adaptCall(item, ctx.facts.tools)).filter((item): item is ReplayItem => item !== undefined);
  items.forEach((item, output_index) => {
    const id = item.id ?? `${item.type === 'message' ? 'msg' : item.type === 'reasoning' ? 'rs' : 'fc'}_replay_${ctx.idPrefix}_${output_index}`;
    switch (item.type) {
      case 'message': {
        outputChars += item.text.length;
        const chunks = item.chunks ?? wordChunks(item.text);
        now({ type: 'response.output_item.added', output_index, item: { type: 'message', id, role: 'assistant', status: 'in_progress', content: [] } });
        now({ type: 'response.content_part.added', item_id: id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
        for (const delta of chunks) if (delta !== '') paced({ type: 'response.output_text.delta', item_id: id, output_index, content_index: 0, delta });
        now({ type: 'response.output_text.done', item_id: id, output_index, content_index: 0, text: item.text });
        const done: Payload = { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: item.text, annotations: [] }] };
        if (item.phase) done.phase = item.phase;
        now({ type: 'response.output_item.done', output_index, item: done });
        break;
      }
      case 'reasoning': {
        now({ type: 'response.output_item.added', output_index, item: { type: 'reasoning', id, summary: [] } });
        item.summary.forEach((text, summary_index) => {
          reasoningChars += text.length;
          now({ type: 'response.reasoning_summary_part.added', item_id: id, output_index, summary_index, part: { type: 'summary_text', text: '' } });
          for (const delta of wordChunks(text)) paced({ type: 'response.reasoning_summary_text.delta', item_id: id, output_index, summary_index, delta });
          now({ type: 'response.reasoning_summary_text.done', item_id: id, output_index, summary_index, text });
        });
        now({ type: 'response.output_item.done', output_index, item: { type: 'reasoning', id, summary: item.summary.map((text) => ({ type: 'summary_text', text })) } });
        break;
      }
      case 'function_call': {
        const callId = item.call_id ?? `call_replay_${ctx.idPrefix}_${output_index}`;
        const args = argumentsText(item.arguments);
        outputChars += args.length;
        now({ type: 'response.output_item.added', output_index, item: { type: 'function_call', id, call_id: callId, name: item.name, arguments: '', status: 'in_progress' } });
        paced({ type: 'response.function_call_arguments.delta', item_id: id, output_index, delta: args });
        now({ type: 'response.function_call_arguments.done', item_id: id, output_index, arguments: args });
        now({ type: 'response.output_item.done', output_index, item: { type: 'function_call', id, call_id: callId, name: item.name, arguments: args, status: 'completed' } });
        break;
      }
      case 'custom_tool_call': {
        const callId = item.call_id ?? `call_replay_${ctx.idPrefix}_${output_index}`;
        outputChars += item.input.length;
        now({ type: 'response.output_item.added', output_index, item: { type: 'custom_tool_call', id, call_id: callId, name: item.name, input: '', status: 'in_progress' } });
        paced({ type: 'response.custom_tool_call_input.delta', item_id: id, output_index, delta: item.input });
        now({ type: 'response.custom_tool_call_input.done', item_id: id, output_index, input: item.input });
        now({ type: 'response.output_item.done', output_index, item: { type: 'custom_tool_call', id, call_id: callId, name: item.name, input: item.input, status: 'completed' } });
        break;
      }
    }
  });
  const completed: Payload = { id: responseId, object: 'response', status: 'completed', output: [] };
  if (response.usage !== null) completed.usage = usagePayload(response.usage, outputChars, reasoningChars, ctx.requestChars);
  now({ type: 'response.completed', response: completed });
  return frames;
};
