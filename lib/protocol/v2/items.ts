// `ThreadItem`, the unit of a turn, and the parts of its variants (SPEC §4.17).

import * as t from 'io-ts';
import { anyJson, int32, int64 } from '../codec.js';
import { WebSearchAction } from './responseItem.js';
import { UserInput } from './userInput.js';

/** State of a sub-agent thread. */
export const CollabAgentStatus = t.keyof({
  pendingInit: null,
  running: null,
  completed: null,
  errored: null,
  shutdown: null,
  notFound: null,
}, 'CollabAgentStatus');
export type CollabAgentStatus = t.TypeOf<typeof CollabAgentStatus>;

/** A sub-agent's status and last message, in `collabAgentToolCall.agentsStates`. */
export const CollabAgentState = t.intersection([
  t.type({
    status: CollabAgentStatus,
  }),
  t.partial({
    message: t.union([t.string, t.null]),
  }),
], 'CollabAgentState');
export type CollabAgentState = t.TypeOf<typeof CollabAgentState>;

/** The collaboration tool a `collabAgentToolCall` item invoked. */
export const CollabAgentTool = t.keyof({
  spawnAgent: null,
  sendInput: null,
  resumeAgent: null,
  wait: null,
  closeAgent: null,
}, 'CollabAgentTool');
export type CollabAgentTool = t.TypeOf<typeof CollabAgentTool>;

/** Status of a `collabAgentToolCall` item. */
export const CollabAgentToolCallStatus = t.keyof({ inProgress: null, completed: null, failed: null }, 'CollabAgentToolCallStatus');
export type CollabAgentToolCallStatus = t.TypeOf<typeof CollabAgentToolCallStatus>;

/** A best-effort reading of what a command does (read a file, list files, search…), tagged by `type`. */
export const CommandAction = t.union([
  t.type({
    command: t.string,
    name: t.string,
    path: t.string,
    type: t.literal('read'),
  }, 'ReadCommandAction'),
  t.intersection([
    t.type({
      command: t.string,
      type: t.literal('listFiles'),
    }),
    t.partial({
      path: t.union([t.string, t.null]),
    }),
  ], 'ListFilesCommandAction'),
  t.intersection([
    t.type({
      command: t.string,
      type: t.literal('search'),
    }),
    t.partial({
      path: t.union([t.string, t.null]),
      query: t.union([t.string, t.null]),
    }),
  ], 'SearchCommandAction'),
  t.type({
    command: t.string,
    type: t.literal('unknown'),
  }, 'UnknownCommandAction'),
], 'CommandAction');
export type CommandAction = t.TypeOf<typeof CommandAction>;

/** Status of a `commandExecution` item. */
export const CommandExecutionStatus = t.keyof({
  inProgress: null,
  completed: null,
  failed: null,
  declined: null,
}, 'CommandExecutionStatus');
export type CommandExecutionStatus = t.TypeOf<typeof CommandExecutionStatus>;

/** Add, delete or update (with an optional `move_path`) of one file in a patch. */
export const PatchChangeKind = t.union([
  t.type({
    type: t.literal('add'),
  }, 'AddPatchChangeKind'),
  t.type({
    type: t.literal('delete'),
  }, 'DeletePatchChangeKind'),
  t.intersection([
    t.type({
      type: t.literal('update'),
    }),
    t.partial({
      move_path: t.union([t.string, t.null]),
    }),
  ], 'UpdatePatchChangeKind'),
], 'PatchChangeKind');
export type PatchChangeKind = t.TypeOf<typeof PatchChangeKind>;

/** One file of a `fileChange` item: path, kind and unified diff. */
export const FileUpdateChange = t.type({
  diff: t.string,
  kind: PatchChangeKind,
  path: t.string,
}, 'FileUpdateChange');
export type FileUpdateChange = t.TypeOf<typeof FileUpdateChange>;

/** The error of a failed MCP tool call. */
export const McpToolCallError = t.type({
  message: t.string,
}, 'McpToolCallError');
export type McpToolCallError = t.TypeOf<typeof McpToolCallError>;

/** The content and structured content returned by an MCP tool. */
export const McpToolCallResult = t.intersection([
  t.type({
    content: t.array(t.unknown),
  }),
  t.partial({
    structuredContent: t.unknown,
  }),
], 'McpToolCallResult');
export type McpToolCallResult = t.TypeOf<typeof McpToolCallResult>;

/** Status of an `mcpToolCall` item. */
export const McpToolCallStatus = t.keyof({ inProgress: null, completed: null, failed: null }, 'McpToolCallStatus');
export type McpToolCallStatus = t.TypeOf<typeof McpToolCallStatus>;

/** Status of a `fileChange` item. */
export const PatchApplyStatus = t.keyof({
  inProgress: null,
  completed: null,
  failed: null,
  declined: null,
}, 'PatchApplyStatus');
export type PatchApplyStatus = t.TypeOf<typeof PatchApplyStatus>;

/** One item of a turn (user message, agent message, plan, reasoning, command, file change, tool calls…), tagged by `type` (SPEC §4.17). */
export const ThreadItem = t.union([
  t.type({
    content: t.array(UserInput),
    id: t.string,
    type: t.literal('userMessage'),
  }, 'UserMessageThreadItem'),
  t.type({
    id: t.string,
    text: t.string,
    type: t.literal('agentMessage'),
  }, 'AgentMessageThreadItem'),
  /** EXPERIMENTAL - proposed plan item content. The completed plan item is authoritative and may not match the concatenation of `PlanDelta` text. */
  t.type({
    id: t.string,
    text: t.string,
    type: t.literal('plan'),
  }, 'PlanThreadItem'),
  t.intersection([
    t.type({
      id: t.string,
      type: t.literal('reasoning'),
    }),
    t.partial({
      content: t.array(t.string),
      summary: t.array(t.string),
    }),
  ], 'ReasoningThreadItem'),
  t.intersection([
    t.type({
      /** The command to be executed. */
      command: t.string,
      /** A best-effort parsing of the command to understand the action(s) it will perform. This returns a list of CommandAction objects because a single shell command may be composed of many commands piped together. */
      commandActions: t.array(CommandAction),
      /** The command's working directory. */
      cwd: t.string,
      id: t.string,
      status: CommandExecutionStatus,
      type: t.literal('commandExecution'),
    }),
    t.partial({
      /** The command's output, aggregated from stdout and stderr. */
      aggregatedOutput: t.union([t.string, t.null]),
      /** The duration of the command execution in milliseconds. */
      durationMs: t.union([int64, t.null]),
      /** The command's exit code. */
      exitCode: t.union([int32, t.null]),
      /** Identifier for the underlying PTY process (when available). */
      processId: t.union([t.string, t.null]),
    }),
  ], 'CommandExecutionThreadItem'),
  t.type({
    changes: t.array(FileUpdateChange),
    id: t.string,
    status: PatchApplyStatus,
    type: t.literal('fileChange'),
  }, 'FileChangeThreadItem'),
  t.intersection([
    t.type({
      arguments: anyJson,
      id: t.string,
      server: t.string,
      status: McpToolCallStatus,
      tool: t.string,
      type: t.literal('mcpToolCall'),
    }),
    t.partial({
      /** The duration of the MCP tool call in milliseconds. */
      durationMs: t.union([int64, t.null]),
      error: t.union([McpToolCallError, t.null]),
      result: t.union([McpToolCallResult, t.null]),
    }),
  ], 'McpToolCallThreadItem'),
  t.intersection([
    t.type({
      /** Last known status of the target agents, when available. */
      agentsStates: t.record(t.string, CollabAgentState),
      /** Unique identifier for this collab tool call. */
      id: t.string,
      /** Thread ID of the receiving agent, when applicable. In case of spawn operation, this corresponds to the newly spawned agent. */
      receiverThreadIds: t.array(t.string),
      /** Thread ID of the agent issuing the collab request. */
      senderThreadId: t.string,
      /** Current status of the collab tool call. */
      status: CollabAgentToolCallStatus,
      /** Name of the collab tool that was invoked. */
      tool: CollabAgentTool,
      type: t.literal('collabAgentToolCall'),
    }),
    t.partial({
      /** Prompt text sent as part of the collab tool call, when available. */
      prompt: t.union([t.string, t.null]),
    }),
  ], 'CollabAgentToolCallThreadItem'),
  t.intersection([
    t.type({
      id: t.string,
      query: t.string,
      type: t.literal('webSearch'),
    }),
    t.partial({
      action: t.union([WebSearchAction, t.null]),
    }),
  ], 'WebSearchThreadItem'),
  t.type({
    id: t.string,
    path: t.string,
    type: t.literal('imageView'),
  }, 'ImageViewThreadItem'),
  t.type({
    id: t.string,
    review: t.string,
    type: t.literal('enteredReviewMode'),
  }, 'EnteredReviewModeThreadItem'),
  t.type({
    id: t.string,
    review: t.string,
    type: t.literal('exitedReviewMode'),
  }, 'ExitedReviewModeThreadItem'),
  t.type({
    id: t.string,
    type: t.literal('contextCompaction'),
  }, 'ContextCompactionThreadItem'),
], 'ThreadItem');
export type ThreadItem = t.TypeOf<typeof ThreadItem>;
