// The wire types the client reads, taken from the server's own codecs (type-only imports: nothing
// of io-ts reaches the bundle), plus the few shapes the client writes.

export type { ThreadItem, FileUpdateChange, CommandAction } from '../../lib/protocol/v2/items.js';
export type { Thread, Turn, TurnError, TurnStatus, TurnPlanStep } from '../../lib/protocol/v2/thread.js';
export type {
  CommandExecutionRequestApprovalParams,
  FileChangeRequestApprovalParams,
  ToolRequestUserInputParams,
  ToolRequestUserInputQuestion,
} from '../../lib/protocol/v2/serverRequests.js';

import type { ThreadItem } from '../../lib/protocol/v2/items.js';
import type { Thread, Turn, TurnError, TurnPlanStep } from '../../lib/protocol/v2/thread.js';

/** A `ThreadItem` narrowed to one `type`. */
export type ItemOf<K extends ThreadItem['type']> = Extract<ThreadItem, { type: K }>;

/** The session tail of `thread/start`, `thread/resume` and `thread/fork` responses. */
export interface ThreadSessionResponse {
  readonly thread: Thread;
  readonly model: string;
  readonly modelProvider: string;
  readonly cwd: string;
}

export interface ThreadListResponse {
  readonly data: readonly Thread[];
  readonly nextCursor: string | null;
}

export type SortKey = 'created_at' | 'updated_at';

/** `UserInput` of type `text` (note the snake_case `text_elements`). */
export interface TextInput {
  readonly type: 'text';
  readonly text: string;
  readonly text_elements: readonly never[];
}

export const textInput = (text: string): TextInput => ({ type: 'text', text, text_elements: [] });

/** `turn/start.collaborationMode` (experimental; core casing inside `settings`). */
export interface CollaborationMode {
  readonly mode: 'plan' | 'default';
  readonly settings: { readonly model: string; readonly reasoning_effort: null; readonly developer_instructions: null };
}

export type CommandDecision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

/** Params of the notifications the thread view folds (SPEC §4.15–4.16). */
export interface NotificationParams {
  'turn/started': { threadId: string; turn: Turn };
  'turn/completed': { threadId: string; turn: Turn };
  'item/started': { threadId: string; turnId: string; item: ThreadItem };
  'item/completed': { threadId: string; turnId: string; item: ThreadItem };
  'item/agentMessage/delta': { threadId: string; turnId: string; itemId: string; delta: string };
  'item/plan/delta': { threadId: string; turnId: string; itemId: string; delta: string };
  'item/reasoning/summaryPartAdded': { threadId: string; turnId: string; itemId: string; summaryIndex: number };
  'item/reasoning/summaryTextDelta': { threadId: string; turnId: string; itemId: string; delta: string; summaryIndex: number };
  'item/reasoning/textDelta': { threadId: string; turnId: string; itemId: string; delta: string; contentIndex: number };
  'item/commandExecution/outputDelta': { threadId: string; turnId: string; itemId: string; delta: string };
  'turn/diff/updated': { threadId: string; turnId: string; diff: string };
  'turn/plan/updated': { threadId: string; turnId: string; explanation: string | null; plan: readonly TurnPlanStep[] };
  error: { threadId: string; turnId: string; error: TurnError; willRetry: boolean };
  'thread/name/updated': { threadId: string; threadName?: string | null };
  'thread/started': { thread: Thread };
}
