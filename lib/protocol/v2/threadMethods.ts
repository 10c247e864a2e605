// Params and results of the `thread/*` methods (SPEC §4.2–4.14).

import * as t from 'io-ts';
import { anyJson, uint32 } from '../codec.js';
import { experimentalField } from '../experimental.js';
import { AskForApproval, Personality, ReasoningEffort, SandboxMode, SandboxPolicy } from './common.js';
import { ResponseItem } from './responseItem.js';
import { Thread } from './thread.js';

/** A client-provided tool the model may call (answered through `item/tool/call`). */
export const DynamicToolSpec = t.type({
  description: t.string,
  inputSchema: anyJson,
  name: t.string,
}, 'DynamicToolSpec');
export type DynamicToolSpec = t.TypeOf<typeof DynamicToolSpec>;

/** Params of `thread/archive`. */
export const ThreadArchiveParams = t.type({
  threadId: t.string,
}, 'ThreadArchiveParams');
export type ThreadArchiveParams = t.TypeOf<typeof ThreadArchiveParams>;

/** Result of `thread/archive`. */
export const ThreadArchiveResponse = t.type({}, 'ThreadArchiveResponse');
export type ThreadArchiveResponse = t.TypeOf<typeof ThreadArchiveResponse>;

/** Params of `thread/backgroundTerminals/clean`. */
export const ThreadBackgroundTerminalsCleanParams = t.type({
  threadId: t.string,
}, 'ThreadBackgroundTerminalsCleanParams');
export type ThreadBackgroundTerminalsCleanParams = t.TypeOf<typeof ThreadBackgroundTerminalsCleanParams>;

/** Result of `thread/backgroundTerminals/clean`. */
export const ThreadBackgroundTerminalsCleanResponse = t.type({}, 'ThreadBackgroundTerminalsCleanResponse');
export type ThreadBackgroundTerminalsCleanResponse = t.TypeOf<typeof ThreadBackgroundTerminalsCleanResponse>;

/** Params of `thread/compact/start`. */
export const ThreadCompactStartParams = t.type({
  threadId: t.string,
}, 'ThreadCompactStartParams');
export type ThreadCompactStartParams = t.TypeOf<typeof ThreadCompactStartParams>;

/** Result of `thread/compact/start`. */
export const ThreadCompactStartResponse = t.type({}, 'ThreadCompactStartResponse');
export type ThreadCompactStartResponse = t.TypeOf<typeof ThreadCompactStartResponse>;

/**
 * Params of `thread/fork`.
 *
 * There are two ways to fork a thread: 1. By thread_id: load the thread from disk by thread_id and fork it into a new thread. 2. By path: load the thread from disk by path and fork it into a new thread.
 *
 * If using path, the thread_id param will be ignored.
 *
 * Prefer using thread_id whenever possible.
 */
export const ThreadForkParams = t.intersection([
  t.type({
    threadId: t.string,
  }),
  t.partial({
    approvalPolicy: t.union([AskForApproval, t.null]),
    baseInstructions: t.union([t.string, t.null]),
    config: t.union([t.record(t.string, t.unknown), t.null]),
    cwd: t.union([t.string, t.null]),
    developerInstructions: t.union([t.string, t.null]),
    /** Configuration overrides for the forked thread, if any. */
    model: t.union([t.string, t.null]),
    modelProvider: t.union([t.string, t.null]),
    sandbox: t.union([SandboxMode, t.null]),
    /** [UNSTABLE] Specify the rollout path to fork from. If specified, the thread_id param will be ignored. */
    path: experimentalField(t.union([t.string, t.null])),
  }),
], 'ThreadForkParams');
export type ThreadForkParams = t.TypeOf<typeof ThreadForkParams>;

/** Result of `thread/fork`. */
export const ThreadForkResponse = t.intersection([
  t.type({
    approvalPolicy: AskForApproval,
    cwd: t.string,
    model: t.string,
    modelProvider: t.string,
    sandbox: SandboxPolicy,
    thread: Thread,
  }),
  t.partial({
    reasoningEffort: t.union([ReasoningEffort, t.null]),
  }),
], 'ThreadForkResponse');
export type ThreadForkResponse = t.TypeOf<typeof ThreadForkResponse>;

/** Sort order of `thread/list` (snake_case values). */
export const ThreadSortKey = t.keyof({ created_at: null, updated_at: null }, 'ThreadSortKey');
export type ThreadSortKey = t.TypeOf<typeof ThreadSortKey>;

/** A thread source to filter `thread/list` by. */
export const ThreadSourceKind = t.keyof({
  cli: null,
  vscode: null,
  exec: null,
  appServer: null,
  subAgent: null,
  subAgentReview: null,
  subAgentCompact: null,
  subAgentThreadSpawn: null,
  subAgentOther: null,
  unknown: null,
}, 'ThreadSourceKind');
export type ThreadSourceKind = t.TypeOf<typeof ThreadSourceKind>;

/** Params of `thread/list`. */
export const ThreadListParams = t.partial({
  /** Optional archived filter; when set to true, only archived threads are returned. If false or null, only non-archived threads are returned. */
  archived: t.union([t.boolean, t.null]),
  /** Opaque pagination cursor returned by a previous call. */
  cursor: t.union([t.string, t.null]),
  /** Optional page size; defaults to a reasonable server-side value. */
  limit: t.union([uint32, t.null]),
  /** Optional provider filter; when set, only sessions recorded under these providers are returned. When present but empty, includes all providers. */
  modelProviders: t.union([t.array(t.string), t.null]),
  /** Optional sort key; defaults to created_at. */
  sortKey: t.union([ThreadSortKey, t.null]),
  /** Optional source filter; when set, only sessions from these source kinds are returned. When omitted or empty, defaults to interactive sources. */
  sourceKinds: t.union([t.array(ThreadSourceKind), t.null]),
}, 'ThreadListParams');
export type ThreadListParams = t.TypeOf<typeof ThreadListParams>;

/** Result of `thread/list`. */
export const ThreadListResponse = t.intersection([
  t.type({
    data: t.array(Thread),
  }),
  t.partial({
    /** Opaque cursor to pass to the next call to continue after the last item. if None, there are no more items to return. */
    nextCursor: t.union([t.string, t.null]),
  }),
], 'ThreadListResponse');
export type ThreadListResponse = t.TypeOf<typeof ThreadListResponse>;

/** Params of `thread/loaded/list`. */
export const ThreadLoadedListParams = t.partial({
  /** Opaque pagination cursor returned by a previous call. */
  cursor: t.union([t.string, t.null]),
  /** Optional page size; defaults to no limit. */
  limit: t.union([uint32, t.null]),
}, 'ThreadLoadedListParams');
export type ThreadLoadedListParams = t.TypeOf<typeof ThreadLoadedListParams>;

/** Result of `thread/loaded/list`. */
export const ThreadLoadedListResponse = t.intersection([
  t.type({
    /** Thread ids for sessions currently loaded in memory. */
    data: t.array(t.string),
  }),
  t.partial({
    /** Opaque cursor to pass to the next call to continue after the last item. if None, there are no more items to return. */
    nextCursor: t.union([t.string, t.null]),
  }),
], 'ThreadLoadedListResponse');
export type ThreadLoadedListResponse = t.TypeOf<typeof ThreadLoadedListResponse>;

/** Params of `thread/read`. */
export const ThreadReadParams = t.intersection([
  t.type({
    threadId: t.string,
  }),
  t.partial({
    /** When true, include turns and their items from rollout history. */
    includeTurns: t.boolean,
  }),
], 'ThreadReadParams');
export type ThreadReadParams = t.TypeOf<typeof ThreadReadParams>;

/** Result of `thread/read`. */
export const ThreadReadResponse = t.type({
  thread: Thread,
}, 'ThreadReadResponse');
export type ThreadReadResponse = t.TypeOf<typeof ThreadReadResponse>;

/**
 * Params of `thread/resume`.
 *
 * There are three ways to resume a thread: 1. By thread_id: load the thread from disk by thread_id and resume it. 2. By history: instantiate the thread from memory and resume it. 3. By path: load the thread from disk by path and resume it.
 *
 * The precedence is: history > path > thread_id. If using history or path, the thread_id param will be ignored.
 *
 * Prefer using thread_id whenever possible.
 */
export const ThreadResumeParams = t.intersection([
  t.type({
    threadId: t.string,
  }),
  t.partial({
    approvalPolicy: t.union([AskForApproval, t.null]),
    baseInstructions: t.union([t.string, t.null]),
    config: t.union([t.record(t.string, t.unknown), t.null]),
    cwd: t.union([t.string, t.null]),
    developerInstructions: t.union([t.string, t.null]),
    /** Configuration overrides for the resumed thread, if any. */
    model: t.union([t.string, t.null]),
    modelProvider: t.union([t.string, t.null]),
    personality: t.union([Personality, t.null]),
    sandbox: t.union([SandboxMode, t.null]),
    /** [UNSTABLE] FOR CODEX CLOUD - DO NOT USE. If specified, the thread will be resumed with the provided history instead of loaded from disk. */
    history: experimentalField(t.union([t.array(ResponseItem), t.null])),
    /** [UNSTABLE] Specify the rollout path to resume from. If specified, the thread_id param will be ignored. */
    path: experimentalField(t.union([t.string, t.null])),
  }),
], 'ThreadResumeParams');
export type ThreadResumeParams = t.TypeOf<typeof ThreadResumeParams>;

/** Result of `thread/resume`. */
export const ThreadResumeResponse = t.intersection([
  t.type({
    approvalPolicy: AskForApproval,
    cwd: t.string,
    model: t.string,
    modelProvider: t.string,
    sandbox: SandboxPolicy,
    thread: Thread,
  }),
  t.partial({
    reasoningEffort: t.union([ReasoningEffort, t.null]),
  }),
], 'ThreadResumeResponse');
export type ThreadResumeResponse = t.TypeOf<typeof ThreadResumeResponse>;

/** Params of `thread/rollback`. */
export const ThreadRollbackParams = t.type({
  /**
   * The number of turns to drop from the end of the thread. Must be >= 1.
   *
   * This only modifies the thread's history and does not revert local file changes that have been made by the agent. Clients are responsible for reverting these changes.
   */
  numTurns: uint32,
  threadId: t.string,
}, 'ThreadRollbackParams');
export type ThreadRollbackParams = t.TypeOf<typeof ThreadRollbackParams>;

/** Result of `thread/rollback`. */
export const ThreadRollbackResponse = t.type({
  /**
   * The updated thread after applying the rollback, with `turns` populated.
   *
   * The ThreadItems stored in each Turn are lossy since we explicitly do not persist all agent interactions, such as command executions. This is the same behavior as `thread/resume`.
   */
  thread: Thread,
}, 'ThreadRollbackResponse');
export type ThreadRollbackResponse = t.TypeOf<typeof ThreadRollbackResponse>;

/** Params of `thread/name/set`. */
export const ThreadSetNameParams = t.type({
  name: t.string,
  threadId: t.string,
}, 'ThreadSetNameParams');
export type ThreadSetNameParams = t.TypeOf<typeof ThreadSetNameParams>;

/** Result of `thread/name/set`. */
export const ThreadSetNameResponse = t.type({}, 'ThreadSetNameResponse');
export type ThreadSetNameResponse = t.TypeOf<typeof ThreadSetNameResponse>;

/** Params of `thread/start`. */
export const ThreadStartParams = t.partial({
  approvalPolicy: t.union([AskForApproval, t.null]),
  baseInstructions: t.union([t.string, t.null]),
  config: t.union([t.record(t.string, t.unknown), t.null]),
  cwd: t.union([t.string, t.null]),
  developerInstructions: t.union([t.string, t.null]),
  ephemeral: t.union([t.boolean, t.null]),
  model: t.union([t.string, t.null]),
  modelProvider: t.union([t.string, t.null]),
  personality: t.union([Personality, t.null]),
  sandbox: t.union([SandboxMode, t.null]),
  dynamicTools: experimentalField(t.union([t.array(DynamicToolSpec), t.null])),
  /** Test-only experimental field used to validate experimental gating and schema filtering behavior in a stable way. */
  mockExperimentalField: experimentalField(t.union([t.string, t.null])),
  /** If true, opt into emitting raw Responses API items on the event stream. This is for internal use only (e.g. Codex Cloud). */
  experimentalRawEvents: experimentalField(t.boolean),
}, 'ThreadStartParams');
export type ThreadStartParams = t.TypeOf<typeof ThreadStartParams>;

/** Result of `thread/start`. */
export const ThreadStartResponse = t.intersection([
  t.type({
    approvalPolicy: AskForApproval,
    cwd: t.string,
    model: t.string,
    modelProvider: t.string,
    sandbox: SandboxPolicy,
    thread: Thread,
  }),
  t.partial({
    reasoningEffort: t.union([ReasoningEffort, t.null]),
  }),
], 'ThreadStartResponse');
export type ThreadStartResponse = t.TypeOf<typeof ThreadStartResponse>;

/** Params of `thread/unarchive`. */
export const ThreadUnarchiveParams = t.type({
  threadId: t.string,
}, 'ThreadUnarchiveParams');
export type ThreadUnarchiveParams = t.TypeOf<typeof ThreadUnarchiveParams>;

/** Result of `thread/unarchive`. */
export const ThreadUnarchiveResponse = t.type({
  thread: Thread,
}, 'ThreadUnarchiveResponse');
export type ThreadUnarchiveResponse = t.TypeOf<typeof ThreadUnarchiveResponse>;
