import * as t from 'io-ts';
import { ResponseItem } from '../protocol/index.js';

/** The variants core `ResponseItem` knows; any other `type` deserializes to `other` (serde `#[serde(other)]`). */
const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'message',
  'reasoning',
  'local_shell_call',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'web_search_call',
  'ghost_snapshot',
  'compaction',
  'other',
]);

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * Rollout (serde) form → in-memory form. The JSON Schema describes the deserializer's view, so the
 * protocol codec expects `function_call_output.output` as `{body}` and a reasoning `id`; the
 * reference writes the body bare and never writes item ids (SPEC §6.3). A value already in the
 * in-memory form is left as it is.
 *
 * @example
 * fromSerde({ type: 'function_call_output', call_id: 'c1', output: 'ok' }); // { …, output: { body: 'ok' } }
 */
export const fromSerde = (u: unknown): unknown => {
  if (!isRecord(u) || typeof u.type !== 'string') return u;
  if (u.type === 'compaction_summary') return { ...u, type: 'compaction' };
  if (!KNOWN_TYPES.has(u.type)) return { type: 'other' };
  if (u.type === 'reasoning' && typeof u.id !== 'string') return { ...u, id: '' };
  if (u.type === 'function_call_output' && !(isRecord(u.output) && 'body' in u.output)) {
    return { ...u, output: { body: u.output } };
  }
  return u;
};

/** In-memory form → rollout (serde) form: ids are `skip_serializing`, the output payload is its body. */
const toSerde = (item: ResponseItem): unknown => {
  const { id: _id, ...rest } = item as ResponseItem & { id?: unknown };
  if (rest.type === 'function_call_output') return { ...rest, output: rest.output.body };
  return rest;
};

/**
 * `ResponseItem` as rollout files and the Responses API carry it: decodes what the reference
 * writes (bare `function_call_output.output`, no item ids, `compaction_summary` alias, unknown
 * types as `other`) into the protocol's `ResponseItem`, and encodes back to that form.
 *
 * @example
 * RolloutResponseItem.decode({ type: 'function_call_output', call_id: 'c1', output: 'ok' });
 * // Right({ type: 'function_call_output', call_id: 'c1', output: { body: 'ok' } })
 * RolloutResponseItem.encode(item); // { type: 'function_call_output', call_id: 'c1', output: 'ok' }
 */
export const RolloutResponseItem = new t.Type<ResponseItem, unknown, unknown>(
  'RolloutResponseItem',
  ResponseItem.is,
  (u, c) => ResponseItem.validate(fromSerde(u), c),
  toSerde,
);
