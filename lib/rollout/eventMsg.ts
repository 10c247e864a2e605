import * as t from 'io-ts';

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

const event = <T extends string, R extends t.Props, O extends t.Props>(type: T, required: R, optional: O) =>
  t.intersection([t.type({ type: t.literal(type), ...required }), t.partial(optional)], type);

/** Core `TokenUsage` (snake_case, as in `token_count` events). */
export const CoreTokenUsage = t.type(
  {
    input_tokens: t.number,
    cached_input_tokens: t.number,
    output_tokens: t.number,
    reasoning_output_tokens: t.number,
    total_tokens: t.number,
  },
  'CoreTokenUsage',
);
export type CoreTokenUsage = t.TypeOf<typeof CoreTokenUsage>;

const TokenUsageInfo = t.intersection([
  t.type({ total_token_usage: CoreTokenUsage, last_token_usage: CoreTokenUsage }),
  t.partial({ model_context_window: nullable(t.number) }),
]);

const CoreTextElement = t.intersection([
  t.type({ byte_range: t.type({ start: t.number, end: t.number }) }),
  t.partial({ placeholder: nullable(t.string) }),
]);

/**
 * The persisted core `EventMsg` variants (SPEC §6.3 table), one codec each. Aliases the reference
 * accepts on read (`turn_started`, `turn_complete`) are folded into the canonical names by
 * {@link EventMsg} before these run.
 */
export const PersistedEventCodecs = {
  user_message: event(
    'user_message',
    { message: t.string },
    {
      // Old files write `null` or omit it; the reference treats both as "no images".
      images: nullable(t.array(t.string)),
      local_images: nullable(t.array(t.string)),
      text_elements: nullable(t.array(CoreTextElement)),
    },
  ),
  agent_message: event('agent_message', { message: t.string }, {}),
  agent_reasoning: event('agent_reasoning', { text: t.string }, {}),
  agent_reasoning_raw_content: event('agent_reasoning_raw_content', { text: t.string }, {}),
  token_count: event('token_count', {}, { info: nullable(TokenUsageInfo), rate_limits: t.unknown }),
  context_compacted: event('context_compacted', {}, {}),
  entered_review_mode: event('entered_review_mode', {}, {}),
  exited_review_mode: event('exited_review_mode', {}, { review_output: t.unknown }),
  thread_rolled_back: event('thread_rolled_back', { num_turns: t.number }, {}),
  undo_completed: event('undo_completed', { success: t.boolean }, { message: nullable(t.string) }),
  turn_aborted: event(
    'turn_aborted',
    { reason: t.keyof({ interrupted: null, replaced: null, review_ended: null }) },
    { turn_id: nullable(t.string) },
  ),
  task_started: event(
    'task_started',
    { turn_id: t.string },
    { model_context_window: nullable(t.number), collaboration_mode_kind: nullable(t.string) },
  ),
  task_complete: event('task_complete', { turn_id: t.string }, { last_agent_message: nullable(t.string) }),
  // Persisted only for `Plan` items (SPEC §6.3), but any item decodes: the reducers decide.
  item_completed: event(
    'item_completed',
    {
      thread_id: t.string,
      turn_id: t.string,
      item: t.intersection([t.type({ type: t.string }), t.partial({ id: t.string, text: t.string })]),
    },
    {},
  ),
} as const;

type Codecs = typeof PersistedEventCodecs;

/** A persisted event the reducers understand, discriminated by `type`. */
export type KnownEventMsg = { [K in keyof Codecs]: t.TypeOf<Codecs[K]> }[keyof Codecs];

/**
 * Any other `event_msg` payload, kept whole: a newer reference may persist variants this version
 * does not know, and a reader must never drop or choke on them.
 */
export interface OtherEventMsg {
  readonly type: 'other';
  readonly raw: { readonly type: string } & Readonly<Record<string, unknown>>;
}

/** The payload of an `event_msg` line. */
export type EventMsg = KnownEventMsg | OtherEventMsg;

/** Names the reference writes on one side and accepts on read (SPEC §6.3). */
const ALIASES: Readonly<Record<string, keyof Codecs>> = { turn_started: 'task_started', turn_complete: 'task_complete' };

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

const isKnownType = (type: string): type is keyof Codecs => Object.prototype.hasOwnProperty.call(PersistedEventCodecs, type);

/**
 * Codec of an `event_msg` payload. Known persisted types decode strictly (a malformed one fails,
 * so the line is skipped as the reference skips it); any other `type` decodes to
 * `{type:'other', raw}` and encodes back to `raw` unchanged.
 *
 * @example
 * EventMsg.decode({ type: 'agent_message', message: 'hi' }); // Right({ type: 'agent_message', message: 'hi' })
 * EventMsg.decode({ type: 'turn_started', turn_id: 't1' }); // Right({ type: 'task_started', turn_id: 't1' })
 * EventMsg.decode({ type: 'hook_started', id: 1 }); // Right({ type: 'other', raw: { type: 'hook_started', id: 1 } })
 */
export const EventMsg = new t.Type<EventMsg, unknown, unknown>(
  'EventMsg',
  (u): u is EventMsg =>
    isRecord(u) &&
    ((u.type === 'other' && isRecord(u.raw) && typeof u.raw.type === 'string') ||
      (typeof u.type === 'string' && isKnownType(u.type) && PersistedEventCodecs[u.type].is(u))),
  (u, c) => {
    if (!isRecord(u) || typeof u.type !== 'string') return t.failure(u, c, 'event_msg payload must be an object with a string "type"');
    const type = ALIASES[u.type] ?? u.type;
    if (!isKnownType(type)) return t.success({ type: 'other', raw: u as OtherEventMsg['raw'] });
    const codec: t.Decoder<unknown, KnownEventMsg> = PersistedEventCodecs[type];
    return codec.validate(type === u.type ? u : { ...u, type }, c);
  },
  (e) => (e.type === 'other' ? e.raw : e),
);
