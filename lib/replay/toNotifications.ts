import { concatMap, endWith, pipe, scan, type OperatorFunction } from 'rxjs';
import type {
  ContextCompactedNotification,
  ItemCompletedNotification,
  ItemStartedNotification,
  ThreadItem,
  ThreadTokenUsageUpdatedNotification,
  TurnCompletedNotification,
  TurnStartedNotification,
  TurnStatus,
} from '../protocol/index.js';
import type { RolloutLine } from '../rollout/rolloutLine.js';
import { initialThreadState, threadReducer, type ThreadState } from '../../reducers/threadReducer.js';

/** A v2 server notification as a client receives it (`{method, params}`), for the kinds a rollout can replay. */
export type ReplayNotification =
  | { readonly method: 'turn/started'; readonly params: TurnStartedNotification }
  | { readonly method: 'turn/completed'; readonly params: TurnCompletedNotification }
  | { readonly method: 'item/started'; readonly params: ItemStartedNotification }
  | { readonly method: 'item/completed'; readonly params: ItemCompletedNotification }
  | { readonly method: 'thread/tokenUsage/updated'; readonly params: ThreadTokenUsageUpdatedNotification }
  | { readonly method: 'thread/compacted'; readonly params: ContextCompactedNotification };

/**
 * Something to send, in order: a notification that only lacks the thread id, or an item the
 * reducer built, sent once it can no longer change (`sealed`).
 */
type Entry =
  | { readonly kind: 'note'; readonly make: (threadId: string) => ReplayNotification }
  | {
      readonly kind: 'item';
      readonly turnId: string;
      /** Position in its turn's items, where the reducer keeps updating it. */
      readonly index: number;
      /** The id clients see: the rebuilt `item-N`, or the live id where the line keeps it. */
      readonly id: string;
      readonly item: ThreadItem;
      readonly sealed: boolean;
    };

type ItemEntry = Extract<Entry, { kind: 'item' }>;

interface MapperState {
  readonly thread: ThreadState;
  readonly queue: readonly Entry[];
  /** What the last step released. */
  readonly out: readonly ReplayNotification[];
}

const END = Symbol('end of rollout');

const turnNote =
  (method: 'turn/started' | 'turn/completed', id: string, status: TurnStatus) =>
  (threadId: string): ReplayNotification => ({ method, params: { threadId, turn: { id, items: [], status, error: null } } });

/** The turn live notifications outside a turn's items refer to: the open one, else the latest. */
const latestTurnId = (thread: ThreadState): string | undefined => thread.currentTurn?.id ?? thread.turns[thread.turns.length - 1]?.id;

/**
 * The reducer keeps updating the last item of the open turn (reasoning parts merge into it), so
 * an entry is sealed once a later item exists or its turn is closed.
 */
const refresh = (entry: Entry, thread: ThreadState): Entry => {
  if (entry.kind === 'note' || entry.sealed) return entry;
  const open = thread.currentTurn;
  const latest = open?.id === entry.turnId ? open.items[entry.index] : undefined;
  if (open !== null && latest !== undefined) return { ...entry, item: latest, sealed: entry.index < open.items.length - 1 };
  // Closed: a turn reopened under the same id starts empty, and a rollback in the same line may
  // have dropped the turn, leaving the item as last seen.
  const closed = thread.turns.findLast((turn) => turn.id === entry.turnId)?.items[entry.index];
  return { ...entry, item: closed ?? entry.item, sealed: true };
};

/**
 * Plan items keep their live id (`<turnId>-plan`), which the persisted `item_completed` carries.
 * Other ids are not persisted (user messages had a fresh UUID, agent messages and reasoning the
 * Responses `msg_…`/`rs_…` ids), so they keep the rebuilt `item-N` that `thread/read` shows.
 */
const liveId = (item: ThreadItem, line: RolloutLine): string =>
  item.type === 'plan' && line.type === 'event_msg' && line.payload.type === 'item_completed' && line.payload.item.id !== undefined
    ? line.payload.item.id
    : item.id;

/** Items the line added to the open turn; all but the last are already final. */
const newItems = (before: ThreadState, after: ThreadState, line: RolloutLine): ItemEntry[] => {
  const turn = after.currentTurn;
  if (turn === null) return [];
  const known = before.currentTurn?.id === turn.id ? before.currentTurn.items.length : 0;
  return turn.items.slice(known).map((item, offset) => ({
    kind: 'item',
    turnId: turn.id,
    index: known + offset,
    id: liveId(item, line),
    item,
    sealed: known + offset < turn.items.length - 1,
  }));
};

/** Turn boundaries, token usage and compaction, as the live server maps the same events (SPEC §4.16). */
const notes = (before: ThreadState, after: ThreadState, line: RolloutLine): Entry[] => {
  const note = (make: (threadId: string) => ReplayNotification): Entry[] => [{ kind: 'note', make }];
  if (line.type !== 'event_msg') return [];
  const event = line.payload;
  switch (event.type) {
    case 'task_started':
      return note(turnNote('turn/started', event.turn_id, 'inProgress'));
    case 'task_complete':
      return note(turnNote('turn/completed', event.turn_id, 'completed'));
    case 'turn_aborted': {
      const id = event.turn_id ?? after.currentTurn?.id;
      return id === undefined || id === null ? [] : note(turnNote('turn/completed', id, 'interrupted'));
    }
    case 'token_count': {
      // The usage is the reducer's; it changes exactly when the event carries usage.
      const tokenUsage = after.tokenUsage;
      const turnId = latestTurnId(after);
      if (tokenUsage === before.tokenUsage || tokenUsage === null || turnId === undefined) return [];
      return note((threadId) => ({ method: 'thread/tokenUsage/updated', params: { threadId, turnId, tokenUsage } }));
    }
    case 'context_compacted': {
      const turnId = latestTurnId(after);
      return turnId === undefined ? [] : note((threadId) => ({ method: 'thread/compacted', params: { threadId, turnId } }));
    }
    default:
      return [];
  }
};

/** What `item/started` showed live: streamed items start empty and fill through deltas. */
const startedForm = (item: ThreadItem): ThreadItem => {
  switch (item.type) {
    case 'agentMessage':
    case 'plan':
      return { ...item, text: '' };
    case 'reasoning':
      return { ...item, summary: [], content: [] };
    default:
      return item;
  }
};

const send = (entry: Entry, threadId: string): ReplayNotification[] => {
  if (entry.kind === 'note') return [entry.make(threadId)];
  const item = { ...entry.item, id: entry.id };
  const turnId = entry.turnId;
  return [
    { method: 'item/started', params: { threadId, turnId, item: startedForm(item) } },
    { method: 'item/completed', params: { threadId, turnId, item } },
  ];
};

/** Sends the queue's leading entries that are final; everything waits for the thread id. */
const release = (thread: ThreadState, queue: readonly Entry[], atEnd: boolean): MapperState => {
  const threadId = thread.sessionMeta?.id;
  if (threadId === undefined) {
    if (atEnd && queue.length > 0) throw new Error('the rollout has no session_meta line, so its notifications have no thread id');
    return { thread, queue, out: [] };
  }
  const ready = queue.findIndex((entry) => entry.kind === 'item' && !entry.sealed);
  const cut = ready === -1 ? queue.length : ready;
  return { thread, queue: queue.slice(cut), out: queue.slice(0, cut).flatMap((entry) => send(entry, threadId)) };
};

const step = (state: MapperState, input: RolloutLine | typeof END): MapperState => {
  if (input === END) return release(state.thread, state.queue.map((entry) => (entry.kind === 'item' ? { ...entry, sealed: true } : entry)), true);
  const thread = threadReducer(state.thread, input);
  const queue = [...state.queue.map((entry) => refresh(entry, thread)), ...newItems(state.thread, thread, input), ...notes(state.thread, thread, input)];
  return release(thread, queue, false);
};

/**
 * The v2 notifications a client saw while these persisted lines were written (SPEC §4.15–4.16):
 * `turn/started` per `task_started`; `item/started` + `item/completed` for user messages, agent
 * messages, reasoning and plans; `thread/tokenUsage/updated` per `token_count` with usage;
 * `thread/compacted` per `context_compacted`; `turn/completed` per `task_complete` (`completed`)
 * and `turn_aborted` (`interrupted`). Pure: the same lines give the same notifications.
 *
 * Items and usage come from `threadReducer`, the fold `thread/read` uses, so the items are exactly
 * those of the rebuilt turns, in the same order and with the same `item-N` ids (live ids are not
 * persisted, except a plan's `<turnId>-plan`, which is kept). An item goes out once the reducer can
 * no longer change it (a later item exists, its turn closed, or the lines ended), and whatever
 * follows it waits behind it, so the order is the order of the lines.
 *
 * What a rollout does not hold is not replayed: deltas, tool calls (commands, file changes, MCP…),
 * approvals, errors (a failed turn replays as `completed`, as `thread/read` shows it), rate limits,
 * `contextCompaction` items. Usage reported outside a turn (a rollback's) names the latest turn, as
 * the live id belonged to the rollback operation and is not persisted. The thread id is the first
 * `session_meta`'s; lines ending without one error.
 *
 * @example
 * replay(path).pipe(toNotifications()).subscribe(({ method, params }) => console.log(method, params));
 * // turn/started {threadId, turn:{id, items:[], status:'inProgress', error:null}}
 * // item/started {threadId, turnId, item:{type:'userMessage', id:'item-1', content:[…]}}
 * // item/completed …
 */
export const toNotifications = (): OperatorFunction<RolloutLine, ReplayNotification> =>
  pipe(
    endWith(END),
    scan(step, { thread: initialThreadState, queue: [], out: [] }),
    concatMap((state) => state.out),
  );
