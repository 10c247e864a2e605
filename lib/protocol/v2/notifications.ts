// Params of the server → client notifications (SPEC §4.15–4.16, Appendix A).

import * as t from 'io-ts';
import { int64, uint } from '../codec.js';
import { RateLimitSnapshot } from './account.js';
import { AppInfo } from './apps.js';
import { AuthMode, TextRange } from './common.js';
import { ThreadItem } from './items.js';
import { ResponseItem } from './responseItem.js';
import { Thread, ThreadTokenUsage, Turn, TurnError, TurnPlanStep } from './thread.js';

/** Params of the `account/login/completed` notification. */
export const AccountLoginCompletedNotification = t.intersection([
  t.type({
    success: t.boolean,
  }),
  t.partial({
    error: t.union([t.string, t.null]),
    loginId: t.union([t.string, t.null]),
  }),
], 'AccountLoginCompletedNotification');
export type AccountLoginCompletedNotification = t.TypeOf<typeof AccountLoginCompletedNotification>;

/** Params of the `account/rateLimits/updated` notification. */
export const AccountRateLimitsUpdatedNotification = t.type({
  rateLimits: RateLimitSnapshot,
}, 'AccountRateLimitsUpdatedNotification');
export type AccountRateLimitsUpdatedNotification = t.TypeOf<typeof AccountRateLimitsUpdatedNotification>;

/** Params of the `account/updated` notification. */
export const AccountUpdatedNotification = t.partial({
  authMode: t.union([AuthMode, t.null]),
}, 'AccountUpdatedNotification');
export type AccountUpdatedNotification = t.TypeOf<typeof AccountUpdatedNotification>;

/** Params of the `item/agentMessage/delta` notification. */
export const AgentMessageDeltaNotification = t.type({
  delta: t.string,
  itemId: t.string,
  threadId: t.string,
  turnId: t.string,
}, 'AgentMessageDeltaNotification');
export type AgentMessageDeltaNotification = t.TypeOf<typeof AgentMessageDeltaNotification>;

/**
 * Params of the `app/list/updated` notification.
 *
 * EXPERIMENTAL - notification emitted when the app list changes.
 */
export const AppListUpdatedNotification = t.type({
  data: t.array(AppInfo),
}, 'AppListUpdatedNotification');
export type AppListUpdatedNotification = t.TypeOf<typeof AppListUpdatedNotification>;

/** Params of the `item/commandExecution/outputDelta` notification. */
export const CommandExecutionOutputDeltaNotification = t.type({
  delta: t.string,
  itemId: t.string,
  threadId: t.string,
  turnId: t.string,
}, 'CommandExecutionOutputDeltaNotification');
export type CommandExecutionOutputDeltaNotification = t.TypeOf<typeof CommandExecutionOutputDeltaNotification>;

/** Params of the `configWarning` notification. */
export const ConfigWarningNotification = t.intersection([
  t.type({
    /** Concise summary of the warning. */
    summary: t.string,
  }),
  t.partial({
    /** Optional extra guidance or error details. */
    details: t.union([t.string, t.null]),
    /** Optional path to the config file that triggered the warning. */
    path: t.union([t.string, t.null]),
    /** Optional range for the error location inside the config file. */
    range: t.union([TextRange, t.null]),
  }),
], 'ConfigWarningNotification');
export type ConfigWarningNotification = t.TypeOf<typeof ConfigWarningNotification>;

/**
 * Params of the `thread/compacted` notification.
 *
 * Deprecated: Use `ContextCompaction` item type instead.
 */
export const ContextCompactedNotification = t.type({
  threadId: t.string,
  turnId: t.string,
}, 'ContextCompactedNotification');
export type ContextCompactedNotification = t.TypeOf<typeof ContextCompactedNotification>;

/** Params of the `deprecationNotice` notification. */
export const DeprecationNoticeNotification = t.intersection([
  t.type({
    /** Concise summary of what is deprecated. */
    summary: t.string,
  }),
  t.partial({
    /** Optional extra guidance, such as migration steps or rationale. */
    details: t.union([t.string, t.null]),
  }),
], 'DeprecationNoticeNotification');
export type DeprecationNoticeNotification = t.TypeOf<typeof DeprecationNoticeNotification>;

/** Params of the `error` notification. */
export const ErrorNotification = t.type({
  error: TurnError,
  threadId: t.string,
  turnId: t.string,
  willRetry: t.boolean,
}, 'ErrorNotification');
export type ErrorNotification = t.TypeOf<typeof ErrorNotification>;

/** Params of the `item/fileChange/outputDelta` notification. */
export const FileChangeOutputDeltaNotification = t.type({
  delta: t.string,
  itemId: t.string,
  threadId: t.string,
  turnId: t.string,
}, 'FileChangeOutputDeltaNotification');
export type FileChangeOutputDeltaNotification = t.TypeOf<typeof FileChangeOutputDeltaNotification>;

/** Params of the `item/completed` notification. */
export const ItemCompletedNotification = t.type({
  item: ThreadItem,
  threadId: t.string,
  turnId: t.string,
}, 'ItemCompletedNotification');
export type ItemCompletedNotification = t.TypeOf<typeof ItemCompletedNotification>;

/** Params of the `item/started` notification. */
export const ItemStartedNotification = t.type({
  item: ThreadItem,
  threadId: t.string,
  turnId: t.string,
}, 'ItemStartedNotification');
export type ItemStartedNotification = t.TypeOf<typeof ItemStartedNotification>;

/** Params of the `mcpServer/oauthLogin/completed` notification. */
export const McpServerOauthLoginCompletedNotification = t.intersection([
  t.type({
    name: t.string,
    success: t.boolean,
  }),
  t.partial({
    error: t.union([t.string, t.null]),
  }),
], 'McpServerOauthLoginCompletedNotification');
export type McpServerOauthLoginCompletedNotification = t.TypeOf<typeof McpServerOauthLoginCompletedNotification>;

/** Params of the `item/mcpToolCall/progress` notification. */
export const McpToolCallProgressNotification = t.type({
  itemId: t.string,
  message: t.string,
  threadId: t.string,
  turnId: t.string,
}, 'McpToolCallProgressNotification');
export type McpToolCallProgressNotification = t.TypeOf<typeof McpToolCallProgressNotification>;

/**
 * Params of the `item/plan/delta` notification.
 *
 * EXPERIMENTAL - proposed plan streaming deltas for plan items. Clients should not assume concatenated deltas match the completed plan item content.
 */
export const PlanDeltaNotification = t.type({
  delta: t.string,
  itemId: t.string,
  threadId: t.string,
  turnId: t.string,
}, 'PlanDeltaNotification');
export type PlanDeltaNotification = t.TypeOf<typeof PlanDeltaNotification>;

/** Params of the `rawResponseItem/completed` notification. */
export const RawResponseItemCompletedNotification = t.type({
  item: ResponseItem,
  threadId: t.string,
  turnId: t.string,
}, 'RawResponseItemCompletedNotification');
export type RawResponseItemCompletedNotification = t.TypeOf<typeof RawResponseItemCompletedNotification>;

/** Params of the `item/reasoning/summaryPartAdded` notification. */
export const ReasoningSummaryPartAddedNotification = t.type({
  itemId: t.string,
  summaryIndex: int64,
  threadId: t.string,
  turnId: t.string,
}, 'ReasoningSummaryPartAddedNotification');
export type ReasoningSummaryPartAddedNotification = t.TypeOf<typeof ReasoningSummaryPartAddedNotification>;

/** Params of the `item/reasoning/summaryTextDelta` notification. */
export const ReasoningSummaryTextDeltaNotification = t.type({
  delta: t.string,
  itemId: t.string,
  summaryIndex: int64,
  threadId: t.string,
  turnId: t.string,
}, 'ReasoningSummaryTextDeltaNotification');
export type ReasoningSummaryTextDeltaNotification = t.TypeOf<typeof ReasoningSummaryTextDeltaNotification>;

/** Params of the `item/reasoning/textDelta` notification. */
export const ReasoningTextDeltaNotification = t.type({
  contentIndex: int64,
  delta: t.string,
  itemId: t.string,
  threadId: t.string,
  turnId: t.string,
}, 'ReasoningTextDeltaNotification');
export type ReasoningTextDeltaNotification = t.TypeOf<typeof ReasoningTextDeltaNotification>;

/** Params of the `item/commandExecution/terminalInteraction` notification. */
export const TerminalInteractionNotification = t.type({
  itemId: t.string,
  processId: t.string,
  stdin: t.string,
  threadId: t.string,
  turnId: t.string,
}, 'TerminalInteractionNotification');
export type TerminalInteractionNotification = t.TypeOf<typeof TerminalInteractionNotification>;

/** Params of the `thread/name/updated` notification. */
export const ThreadNameUpdatedNotification = t.intersection([
  t.type({
    threadId: t.string,
  }),
  t.partial({
    threadName: t.union([t.string, t.null]),
  }),
], 'ThreadNameUpdatedNotification');
export type ThreadNameUpdatedNotification = t.TypeOf<typeof ThreadNameUpdatedNotification>;

/** Params of the `thread/started` notification. */
export const ThreadStartedNotification = t.type({
  thread: Thread,
}, 'ThreadStartedNotification');
export type ThreadStartedNotification = t.TypeOf<typeof ThreadStartedNotification>;

/** Params of the `thread/tokenUsage/updated` notification. */
export const ThreadTokenUsageUpdatedNotification = t.type({
  threadId: t.string,
  tokenUsage: ThreadTokenUsage,
  turnId: t.string,
}, 'ThreadTokenUsageUpdatedNotification');
export type ThreadTokenUsageUpdatedNotification = t.TypeOf<typeof ThreadTokenUsageUpdatedNotification>;

/** Params of the `turn/completed` notification. */
export const TurnCompletedNotification = t.type({
  threadId: t.string,
  turn: Turn,
}, 'TurnCompletedNotification');
export type TurnCompletedNotification = t.TypeOf<typeof TurnCompletedNotification>;

/**
 * Params of the `turn/diff/updated` notification.
 *
 * Notification that the turn-level unified diff has changed. Contains the latest aggregated diff across all file changes in the turn.
 */
export const TurnDiffUpdatedNotification = t.type({
  diff: t.string,
  threadId: t.string,
  turnId: t.string,
}, 'TurnDiffUpdatedNotification');
export type TurnDiffUpdatedNotification = t.TypeOf<typeof TurnDiffUpdatedNotification>;

/** Params of the `turn/plan/updated` notification. */
export const TurnPlanUpdatedNotification = t.intersection([
  t.type({
    plan: t.array(TurnPlanStep),
    threadId: t.string,
    turnId: t.string,
  }),
  t.partial({
    explanation: t.union([t.string, t.null]),
  }),
], 'TurnPlanUpdatedNotification');
export type TurnPlanUpdatedNotification = t.TypeOf<typeof TurnPlanUpdatedNotification>;

/** Params of the `turn/started` notification. */
export const TurnStartedNotification = t.type({
  threadId: t.string,
  turn: Turn,
}, 'TurnStartedNotification');
export type TurnStartedNotification = t.TypeOf<typeof TurnStartedNotification>;

/** Params of the `windows/worldWritableWarning` notification. */
export const WindowsWorldWritableWarningNotification = t.type({
  extraCount: uint,
  failedScan: t.boolean,
  samplePaths: t.array(t.string),
}, 'WindowsWorldWritableWarningNotification');
export type WindowsWorldWritableWarningNotification = t.TypeOf<typeof WindowsWorldWritableWarningNotification>;
