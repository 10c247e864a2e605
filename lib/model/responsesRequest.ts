import type { ResponseItem } from '../protocol/v2/responseItem.js';
import { RolloutResponseItem } from '../rollout/responseItem.js';

/** What to ask the model (SPEC §12.2); the turn pipeline builds it from history, tools and settings. */
export interface ResponsesRequest {
  readonly model: string;
  readonly instructions: string;
  /** Model history in memory form; sent in the form rollouts carry (no item ids, bare outputs). */
  readonly input: readonly ResponseItem[];
  /** Tool specs as the Responses API takes them (`function`, `custom`, `web_search`, …). */
  readonly tools: readonly unknown[];
  readonly parallelToolCalls: boolean;
  /** `null` for models without reasoning summaries (sent as `"reasoning": null`). */
  readonly reasoning: { readonly effort?: string; readonly summary?: string } | null;
  readonly store: boolean;
  readonly include: readonly string[];
  /** The thread id, so the backend can reuse its prompt cache. */
  readonly promptCacheKey?: string;
  /** Verbosity and/or output schema; omitted when there is neither. */
  readonly text?: Readonly<Record<string, unknown>>;
}

/**
 * The JSON body of a Responses request, fields in the reference's order, with `tool_choice:
 * "auto"` and `stream: true` (SPEC §12.2). The WebSocket transport sends the same fields.
 *
 * @example
 * JSON.stringify(responsesBody(request)); // '{"model":"gpt-5.2-codex","instructions":"…","input":[…],…,"stream":true,…}'
 */
export const responsesBody = (request: ResponsesRequest): Record<string, unknown> => ({
  model: request.model,
  instructions: request.instructions,
  input: request.input.map((item) => RolloutResponseItem.encode(item)),
  tools: request.tools,
  tool_choice: 'auto',
  parallel_tool_calls: request.parallelToolCalls,
  reasoning: request.reasoning,
  store: request.store,
  stream: true,
  include: request.include,
  ...(request.promptCacheKey === undefined ? {} : { prompt_cache_key: request.promptCacheKey }),
  ...(request.text === undefined ? {} : { text: request.text }),
});
