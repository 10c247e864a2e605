import type { FunctionCallOutputContentItem, ResponseItem } from '../../protocol/index.js';
import type { ToolCallItem } from '../toolRouter.js';

/** The id the model gave a tool call, whichever its kind. */
export const callIdOf = (call: ToolCallItem): string => (call.type === 'local_shell_call' ? (call.call_id ?? call.id ?? '') : call.call_id);

/**
 * The output item answering `call`: `custom_tool_call_output` for a freeform (custom) call,
 * else `function_call_output` with the text or content items.
 *
 * @example
 * toolOutput(call, 'Plan updated', true);
 */
export const toolOutput = (call: ToolCallItem, body: string | FunctionCallOutputContentItem[], success: boolean): ResponseItem => {
  if (call.type === 'custom_tool_call') {
    const text = typeof body === 'string' ? body : body.map((c) => (c.type === 'input_text' ? c.text : '[image]')).join('\n');
    return { type: 'custom_tool_call_output', call_id: call.call_id, output: text };
  }
  return { type: 'function_call_output', call_id: callIdOf(call), output: { body, success } };
};

/** The JSON arguments of a function call as an object, or an error message for the model. */
export const parseArguments = (call: ToolCallItem): { ok: true; args: Record<string, unknown> } | { ok: false; message: string } => {
  const raw = call.type === 'function_call' ? call.arguments : call.type === 'custom_tool_call' ? call.input : '{}';
  try {
    const args: unknown = JSON.parse(raw);
    if (typeof args === 'object' && args !== null && !Array.isArray(args)) return { ok: true, args: args as Record<string, unknown> };
    return { ok: false, message: 'failed to parse function arguments: expected a JSON object' };
  } catch (err) {
    return { ok: false, message: `failed to parse function arguments: ${(err as Error).message}` };
  }
};
