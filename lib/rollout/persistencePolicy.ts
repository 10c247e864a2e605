import type { ResponseItem } from '../protocol/index.js';
import { PersistedEventCodecs } from './eventMsg.js';

/** A core event as the turn pipeline emits it: its snake_case `type`, and for `item_completed` the item. */
export interface CoreEventLike {
  readonly type: string;
  readonly item?: { readonly type?: unknown };
}

// The codecs in eventMsg.ts are exactly the persisted variants, so the policy and the reader
// cannot drift apart.
const PERSISTED_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(PersistedEventCodecs));

/**
 * Whether the reference writes this event to the rollout (`should_persist_event_msg`, SPEC §6.3):
 * user/agent messages, reasoning, token counts, compaction, review mode, rollback, undo,
 * abort, turn start/complete, and `item_completed` only for `Plan` items. Deltas, errors,
 * warnings, begin/end events, approvals and the like are live-only.
 *
 * @example
 * isPersisted({ type: 'agent_message' }); // true
 * isPersisted({ type: 'agent_message_delta' }); // false
 * isPersisted({ type: 'item_completed', item: { type: 'Plan' } }); // true
 * isPersisted({ type: 'item_completed', item: { type: 'AgentMessage' } }); // false
 */
export const isPersisted = (event: CoreEventLike): boolean =>
  event.type === 'item_completed' ? event.item?.type === 'Plan' : PERSISTED_EVENT_TYPES.has(event.type);

/**
 * Whether the reference writes this response item (`should_persist_response_item`): every
 * variant except `other`.
 *
 * @example
 * isPersistedResponseItem({ type: 'other' }); // false
 */
export const isPersistedResponseItem = (item: ResponseItem): boolean => item.type !== 'other';
