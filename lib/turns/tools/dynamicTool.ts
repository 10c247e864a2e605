import { catchError, firstValueFrom, map, of, takeUntil } from 'rxjs';
import type { FunctionCallOutputContentItem } from '../../protocol/index.js';
import { DynamicToolCallResponse } from '../../protocol/v2/serverRequests.js';
import type { ToolCallItem, ToolContext, ToolResult } from '../toolRouter.js';
import { callIdOf, parseArguments, toolOutput } from './toolOutput.js';

/**
 * A dynamic tool as the model sees it (SPEC §11.1): a non-strict function with the client's
 * schema (only its structural keywords kept).
 */
export const dynamicToolSpec = (tool: { name: string; description: string; inputSchema: unknown }) => ({
  type: 'function',
  name: tool.name,
  description: tool.description,
  strict: false,
  parameters: sanitizeSchema(tool.inputSchema),
});

const KEPT = ['type', 'description', 'properties', 'required', 'items', 'additionalProperties'];

/** The JSON Schema subset the model is given: inferred `type`s, only structural keywords. */
const sanitizeSchema = (schema: unknown): Record<string, unknown> => {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { type: 'string' };
  const s = schema as Record<string, unknown>;
  let type = Array.isArray(s.type) ? s.type.find((t) => typeof t === 'string' && t !== 'null') : s.type;
  if (typeof type !== 'string') {
    if ('properties' in s || 'required' in s || 'additionalProperties' in s) type = 'object';
    else if ('items' in s || 'prefixItems' in s) type = 'array';
    else if ('minimum' in s || 'maximum' in s) type = 'number';
    else type = 'string';
  }
  if (type === 'integer') type = 'number';
  const out: Record<string, unknown> = { type };
  for (const key of KEPT) if (key !== 'type' && key in s) out[key] = s[key];
  if (type === 'object') {
    const props = (typeof s.properties === 'object' && s.properties !== null ? s.properties : {}) as Record<string, unknown>;
    out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sanitizeSchema(v)]));
    if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) out.additionalProperties = sanitizeSchema(s.additionalProperties);
  }
  if (type === 'array') out.items = sanitizeSchema(s.items ?? { type: 'string' });
  return out;
};

/**
 * A dynamic tool call (SPEC §5.4): forwarded to the client as `item/tool/call`; its content items
 * become the function output. A client error or silence yields a failed call the model is told about.
 */
export const runDynamicTool = async (call: ToolCallItem, name: string, ctx: ToolContext): Promise<ToolResult> => {
  const parsed = parseArguments(call);
  if (!parsed.ok) return { output: toolOutput(call, parsed.message, false) };
  const params = { threadId: ctx.thread.id, turnId: ctx.turnId, callId: callIdOf(call), tool: name, arguments: parsed.args };
  const failed = { contentItems: [{ type: 'inputText' as const, text: 'dynamic tool request failed' }], success: false };
  const response = await firstValueFrom(
    ctx.serverRequests.request([...ctx.thread.subscribers], 'item/tool/call', params).pipe(
      map((answer) => (DynamicToolCallResponse.is(answer) ? answer : { contentItems: [{ type: 'inputText' as const, text: 'dynamic tool response was invalid' }], success: false })),
      takeUntil(ctx.interrupted$),
      catchError(() => of(failed)),
    ),
    { defaultValue: failed },
  );
  const content: FunctionCallOutputContentItem[] = response.contentItems.map((item) =>
    item.type === 'inputText' ? { type: 'input_text', text: item.text } : { type: 'input_image', image_url: item.imageUrl },
  );
  return { output: toolOutput(call, content, response.success) };
};
