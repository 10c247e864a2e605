import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { project } from '../protocol/project.js';
import { ResponseItem } from '../protocol/v2/responseItem.js';
import type { CoreTokenUsage } from '../rollout/eventMsg.js';
import { RolloutResponseItem } from '../rollout/responseItem.js';
import { failedResponseError, httpStatusError, streamDisconnected, type ApiErrorBody, type ModelError } from './modelError.js';
import { rateLimitsFromEvent, type CoreRateLimitSnapshot } from './rateLimits.js';

// The Responses stream events rxagent consumes (SPEC §12.3), decoded with io-ts at the boundary
// into `ModelEvent`s. SSE `data:` payloads and WebSocket text frames carry the same JSON.

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);
const event = <T extends string, P extends t.Props>(type: T, props: P) => t.type({ type: t.literal(type), ...props }, type);

const Usage = t.intersection([
  t.type({ input_tokens: t.number, output_tokens: t.number, total_tokens: t.number }),
  t.partial({
    input_tokens_details: nullable(t.partial({ cached_tokens: nullable(t.number) })),
    output_tokens_details: nullable(t.partial({ reasoning_tokens: nullable(t.number) })),
  }),
]);

const ErrorBody = t.partial({
  type: nullable(t.string),
  code: nullable(t.string),
  message: nullable(t.string),
  plan_type: nullable(t.string),
  resets_at: nullable(t.number),
});

/** `response.completed` (HTTP) and `response.done` (WebSocket, "the response can be appended to"). */
const completedEvent = <T extends string>(type: T) =>
  event(type, { response: t.intersection([t.type({ id: t.string }), t.partial({ usage: nullable(Usage) })]) });

/** Codecs of the consumed events, by `type`; a payload of another type is ignored. */
export const WireEvents = {
  'response.created': event('response.created', { response: t.UnknownRecord }),
  'response.output_item.added': event('response.output_item.added', { item: t.unknown }),
  'response.output_item.done': event('response.output_item.done', { item: t.unknown }),
  'response.output_text.delta': event('response.output_text.delta', { delta: t.string }),
  'response.reasoning_summary_text.delta': event('response.reasoning_summary_text.delta', { delta: t.string, summary_index: t.number }),
  'response.reasoning_summary_part.added': event('response.reasoning_summary_part.added', { summary_index: t.number }),
  'response.reasoning_text.delta': event('response.reasoning_text.delta', { delta: t.string, content_index: t.number }),
  'response.completed': completedEvent('response.completed'),
  'response.done': completedEvent('response.done'),
  'response.failed': event('response.failed', { response: t.partial({ error: nullable(ErrorBody) }) }),
  'response.incomplete': event('response.incomplete', {
    response: t.partial({ incomplete_details: nullable(t.partial({ reason: nullable(t.string) })) }),
  }),
  // An error the server reports in-stream: with a `status` (the WebSocket form of an HTTP error),
  // or bare (`code` / `message` at the top level).
  error: t.intersection([
    t.type({ type: t.literal('error') }),
    t.partial({ status: t.number, error: nullable(ErrorBody), headers: nullable(t.record(t.string, t.unknown)), code: nullable(t.string), message: nullable(t.string) }),
  ], 'error'),
  'codex.rate_limits': t.type({ type: t.literal('codex.rate_limits') }, 'codex.rate_limits'),
} as const;

/** A decoded event of a model response, as the turn pipeline consumes it. */
export type ModelEvent =
  | { readonly type: 'created' }
  | { readonly type: 'outputItemAdded'; readonly item: ResponseItem }
  | { readonly type: 'outputItemDone'; readonly item: ResponseItem }
  | { readonly type: 'outputTextDelta'; readonly delta: string }
  | { readonly type: 'reasoningSummaryDelta'; readonly delta: string; readonly summaryIndex: number }
  | { readonly type: 'reasoningSummaryPartAdded'; readonly summaryIndex: number }
  | { readonly type: 'reasoningContentDelta'; readonly delta: string; readonly contentIndex: number }
  /** The last event of a response. `canAppend`: the WebSocket server accepts `response.append` next. */
  | { readonly type: 'completed'; readonly responseId: string; readonly tokenUsage: CoreTokenUsage | null; readonly canAppend: boolean }
  /** From the response headers (HTTP) or a `codex.rate_limits` event (WebSocket). */
  | { readonly type: 'rateLimits'; readonly snapshots: readonly CoreRateLimitSnapshot[] }
  /** The `X-Models-Etag` of the response: the model catalog changed when it differs from the cached one. */
  | { readonly type: 'modelsEtag'; readonly etag: string }
  /** `x-reasoning-included`: the server already counted reasoning tokens in the input. */
  | { readonly type: 'serverReasoningIncluded' };

/** What one payload means for the stream: an event to pass on, the end, a failure, or nothing. */
export type PayloadStep =
  | { readonly kind: 'event'; readonly event: ModelEvent }
  | { readonly kind: 'completed'; readonly event: ModelEvent & { type: 'completed' } }
  | { readonly kind: 'failed'; readonly error: ModelError }
  | { readonly kind: 'ignored' };

const IGNORED: PayloadStep = { kind: 'ignored' };

const tokenUsage = (usage: t.TypeOf<typeof Usage>): CoreTokenUsage => ({
  input_tokens: usage.input_tokens,
  cached_input_tokens: usage.input_tokens_details?.cached_tokens ?? 0,
  output_tokens: usage.output_tokens,
  reasoning_output_tokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  total_tokens: usage.total_tokens,
});

/** An output item, with only the members `ResponseItem` declares (as the reference keeps them). */
const item = (u: unknown, wrap: (item: ResponseItem) => ModelEvent): PayloadStep => {
  const decoded = RolloutResponseItem.decode(u);
  return E.isRight(decoded) ? { kind: 'event', event: wrap(project(ResponseItem, decoded.right)) } : IGNORED;
};

const isKnown = (type: string): type is keyof typeof WireEvents => Object.hasOwn(WireEvents, type);

/**
 * Reads one payload (SPEC §12.3). Unparseable JSON, unknown types and known types with missing
 * fields are ignored, as the reference skips them; `response.completed` / `response.done` end
 * the response; `response.failed`, `response.incomplete` and in-stream `error`s fail it.
 *
 * @example
 * readPayload('{"type":"response.output_text.delta","delta":"Hi"}');
 * // { kind: 'event', event: { type: 'outputTextDelta', delta: 'Hi' } }
 */
export const readPayload = (data: string, now: () => Date = () => new Date()): PayloadStep => {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return IGNORED;
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !isKnown(type)) return IGNORED;
  const decoded = (WireEvents[type] as t.Mixed).decode(json);
  if (E.isLeft(decoded)) {
    // A completion we cannot read must not pass for success.
    return type === 'response.completed' || type === 'response.done' ? { kind: 'failed', error: streamDisconnected(`failed to parse ${type}`) } : IGNORED;
  }
  const ev = decoded.right as t.TypeOf<(typeof WireEvents)[keyof typeof WireEvents]>;
  switch (ev.type) {
    case 'response.created':
      return { kind: 'event', event: { type: 'created' } };
    case 'response.output_item.added':
      return item(ev.item, (i) => ({ type: 'outputItemAdded', item: i }));
    case 'response.output_item.done':
      return item(ev.item, (i) => ({ type: 'outputItemDone', item: i }));
    case 'response.output_text.delta':
      return { kind: 'event', event: { type: 'outputTextDelta', delta: ev.delta } };
    case 'response.reasoning_summary_text.delta':
      return { kind: 'event', event: { type: 'reasoningSummaryDelta', delta: ev.delta, summaryIndex: ev.summary_index } };
    case 'response.reasoning_summary_part.added':
      return { kind: 'event', event: { type: 'reasoningSummaryPartAdded', summaryIndex: ev.summary_index } };
    case 'response.reasoning_text.delta':
      return { kind: 'event', event: { type: 'reasoningContentDelta', delta: ev.delta, contentIndex: ev.content_index } };
    case 'response.completed':
    case 'response.done': {
      const usage = ev.response.usage;
      const completed = { type: 'completed', responseId: ev.response.id, tokenUsage: usage ? tokenUsage(usage) : null, canAppend: ev.type === 'response.done' } as const;
      return { kind: 'completed', event: completed };
    }
    case 'response.failed':
      return { kind: 'failed', error: failedResponseError(ev.response.error ?? undefined) };
    case 'response.incomplete':
      return { kind: 'failed', error: streamDisconnected(`Incomplete response returned, reason: ${ev.response.incomplete_details?.reason ?? 'unknown'}`) };
    case 'error': {
      if (typeof ev.status === 'number' && ev.status >= 400) {
        const headers = Object.fromEntries(Object.entries(ev.headers ?? {}).map(([k, v]) => [k.toLowerCase(), typeof v === 'string' ? v : undefined]));
        return { kind: 'failed', error: httpStatusError({ status: ev.status, body: JSON.stringify({ error: ev.error ?? null }), url: 'websocket', headers, now: now() }) };
      }
      const body: ApiErrorBody = ev.error ?? { code: ev.code ?? null, message: ev.message ?? 'error event received' };
      return { kind: 'failed', error: failedResponseError(body) };
    }
    case 'codex.rate_limits': {
      const snapshot = rateLimitsFromEvent(json as Record<string, unknown>);
      return snapshot ? { kind: 'event', event: { type: 'rateLimits', snapshots: [snapshot] } } : IGNORED;
    }
  }
};
