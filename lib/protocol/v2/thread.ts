// Threads and turns as clients see them (SPEC §4.1): `Thread`, `Turn`, status, errors, token usage.

import * as t from 'io-ts';
import { closed, int32, int64, uint16 } from '../codec.js';
import { ThreadId } from './common.js';
import { ThreadItem } from './items.js';

/**
 * This translation layer make sure that we expose codex error code in camel case.
 *
 * When an upstream HTTP status is available (for example, from the Responses API or a provider), it is forwarded in `httpStatusCode` on the relevant `codexErrorInfo` variant.
 */
export const CodexErrorInfo = t.union([
  t.keyof({
    contextWindowExceeded: null,
    usageLimitExceeded: null,
    serverOverloaded: null,
    internalServerError: null,
    unauthorized: null,
    badRequest: null,
    threadRollbackFailed: null,
    sandboxError: null,
    other: null,
  }),
  closed({
    httpConnectionFailed: t.partial({
      httpStatusCode: t.union([uint16, t.null]),
    }),
  }, 'HttpConnectionFailedCodexErrorInfo'),
  /** Failed to connect to the response SSE stream. */
  closed({
    responseStreamConnectionFailed: t.partial({
      httpStatusCode: t.union([uint16, t.null]),
    }),
  }, 'ResponseStreamConnectionFailedCodexErrorInfo'),
  /** The response SSE stream disconnected in the middle of a turn before completion. */
  closed({
    responseStreamDisconnected: t.partial({
      httpStatusCode: t.union([uint16, t.null]),
    }),
  }, 'ResponseStreamDisconnectedCodexErrorInfo'),
  /** Reached the retry limit for responses. */
  closed({
    responseTooManyFailedAttempts: t.partial({
      httpStatusCode: t.union([uint16, t.null]),
    }),
  }, 'ResponseTooManyFailedAttemptsCodexErrorInfo'),
], 'CodexErrorInfo');
export type CodexErrorInfo = t.TypeOf<typeof CodexErrorInfo>;

/** Git metadata captured when a thread was created. */
export const GitInfo = t.partial({
  branch: t.union([t.string, t.null]),
  originUrl: t.union([t.string, t.null]),
  sha: t.union([t.string, t.null]),
}, 'GitInfo');
export type GitInfo = t.TypeOf<typeof GitInfo>;

/** What spawned a sub-agent thread: review, compaction, a parent thread, or other. */
export const SubAgentSource = t.union([
  t.keyof({ review: null, compact: null }),
  closed({
    thread_spawn: t.type({
      depth: int32,
      parent_thread_id: ThreadId,
    }),
  }, 'ThreadSpawnSubAgentSource'),
  closed({
    other: t.string,
  }, 'OtherSubAgentSource'),
], 'SubAgentSource');
export type SubAgentSource = t.TypeOf<typeof SubAgentSource>;

/** Origin of a thread: a client kind, or a sub-agent (SPEC Appendix C: app-server threads record `vscode`). */
export const SessionSource = t.union([
  t.keyof({ cli: null, vscode: null, exec: null, appServer: null, unknown: null }),
  closed({
    subAgent: SubAgentSource,
  }, 'SubAgentSessionSource'),
], 'SessionSource');
export type SessionSource = t.TypeOf<typeof SessionSource>;

/** Why a turn failed, with structured `codexErrorInfo` when known. */
export const TurnError = t.intersection([
  t.type({
    message: t.string,
  }),
  t.partial({
    additionalDetails: t.union([t.string, t.null]),
    codexErrorInfo: t.union([CodexErrorInfo, t.null]),
  }),
], 'TurnError');
export type TurnError = t.TypeOf<typeof TurnError>;

/** Status of a turn. */
export const TurnStatus = t.keyof({
  completed: null,
  interrupted: null,
  failed: null,
  inProgress: null,
}, 'TurnStatus');
export type TurnStatus = t.TypeOf<typeof TurnStatus>;

/** A turn: one user input and everything the agent did for it. */
export const Turn = t.intersection([
  t.type({
    id: t.string,
    /** Only populated on a `thread/resume` or `thread/fork` response. For all other responses and notifications returning a Turn, the items field will be an empty list. */
    items: t.array(ThreadItem),
    status: TurnStatus,
  }),
  t.partial({
    /** Only populated when the Turn's status is failed. */
    error: t.union([TurnError, t.null]),
  }),
], 'Turn');
export type Turn = t.TypeOf<typeof Turn>;

/** A thread (conversation) as clients see it (SPEC §4.1). */
export const Thread = t.intersection([
  t.type({
    /** Version of the CLI that created the thread. */
    cliVersion: t.string,
    /** Unix timestamp (in seconds) when the thread was created. */
    createdAt: int64,
    /** Working directory captured for the thread. */
    cwd: t.string,
    id: t.string,
    /** Model provider used for this thread (for example, 'openai'). */
    modelProvider: t.string,
    /** Usually the first user message in the thread, if available. */
    preview: t.string,
    /** Origin of the thread (CLI, VSCode, codex exec, codex app-server, etc.). */
    source: SessionSource,
    /** Only populated on `thread/resume`, `thread/rollback`, `thread/fork`, and `thread/read` (when `includeTurns` is true) responses. For all other responses and notifications returning a Thread, the turns field will be an empty list. */
    turns: t.array(Turn),
    /** Unix timestamp (in seconds) when the thread was last updated. */
    updatedAt: int64,
  }),
  t.partial({
    /** Optional Git metadata captured when the thread was created. */
    gitInfo: t.union([GitInfo, t.null]),
    /** [UNSTABLE] Path to the thread on disk. */
    path: t.union([t.string, t.null]),
  }),
], 'Thread');
export type Thread = t.TypeOf<typeof Thread>;

/** Token counts of a model request or of a whole thread. */
export const TokenUsageBreakdown = t.type({
  cachedInputTokens: int64,
  inputTokens: int64,
  outputTokens: int64,
  reasoningOutputTokens: int64,
  totalTokens: int64,
}, 'TokenUsageBreakdown');
export type TokenUsageBreakdown = t.TypeOf<typeof TokenUsageBreakdown>;

/** Token usage of a thread: total, last request, and the model's context window. */
export const ThreadTokenUsage = t.intersection([
  t.type({
    last: TokenUsageBreakdown,
    total: TokenUsageBreakdown,
  }),
  t.partial({
    modelContextWindow: t.union([int64, t.null]),
  }),
], 'ThreadTokenUsage');
export type ThreadTokenUsage = t.TypeOf<typeof ThreadTokenUsage>;

/** Status of a step of the agent's plan. */
export const TurnPlanStepStatus = t.keyof({ pending: null, inProgress: null, completed: null }, 'TurnPlanStepStatus');
export type TurnPlanStepStatus = t.TypeOf<typeof TurnPlanStepStatus>;

/** One step of the agent's plan (`turn/plan/updated`). */
export const TurnPlanStep = t.type({
  status: TurnPlanStepStatus,
  step: t.string,
}, 'TurnPlanStep');
export type TurnPlanStep = t.TypeOf<typeof TurnPlanStep>;
