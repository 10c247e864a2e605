// Server → client requests and the answers clients send back (SPEC §5).

import * as t from 'io-ts';
import { anyJson, closed } from '../codec.js';
import { CommandAction } from './items.js';

/** Why the server asks the client for fresh ChatGPT tokens. */
export const ChatgptAuthTokensRefreshReason = t.literal('unauthorized', 'ChatgptAuthTokensRefreshReason');
export type ChatgptAuthTokensRefreshReason = t.TypeOf<typeof ChatgptAuthTokensRefreshReason>;

/** Params of the `account/chatgptAuthTokens/refresh` server request. */
export const ChatgptAuthTokensRefreshParams = t.intersection([
  t.type({
    reason: ChatgptAuthTokensRefreshReason,
  }),
  t.partial({
    /**
     * Workspace/account identifier that Codex was previously using.
     *
     * Clients that manage multiple accounts/workspaces can use this as a hint to refresh the token for the correct workspace.
     *
     * This may be `null` when the prior auth state did not include a workspace identifier (`chatgpt_account_id`).
     */
    previousAccountId: t.union([t.string, t.null]),
  }),
], 'ChatgptAuthTokensRefreshParams');
export type ChatgptAuthTokensRefreshParams = t.TypeOf<typeof ChatgptAuthTokensRefreshParams>;

/** The client's result for the `account/chatgptAuthTokens/refresh` server request. */
export const ChatgptAuthTokensRefreshResponse = t.intersection([
  t.type({
    accessToken: t.string,
    chatgptAccountId: t.string,
  }),
  t.partial({
    chatgptPlanType: t.union([t.string, t.null]),
  }),
], 'ChatgptAuthTokensRefreshResponse');
export type ChatgptAuthTokensRefreshResponse = t.TypeOf<typeof ChatgptAuthTokensRefreshResponse>;

/** The client's answer to a command approval request. */
export const CommandExecutionApprovalDecision = t.union([
  /** User approved the command. */
  t.literal('accept'),
  /** User approved the command and future identical commands should run without prompting. */
  t.literal('acceptForSession'),
  /** User approved the command, and wants to apply the proposed execpolicy amendment so future matching commands can run without prompting. */
  closed({
    acceptWithExecpolicyAmendment: t.type({
      execpolicy_amendment: t.array(t.string),
    }),
  }, 'AcceptWithExecpolicyAmendmentCommandExecutionApprovalDecision'),
  /** User denied the command. The agent will continue the turn. */
  t.literal('decline'),
  /** User denied the command. The turn will also be immediately interrupted. */
  t.literal('cancel'),
], 'CommandExecutionApprovalDecision');
export type CommandExecutionApprovalDecision = t.TypeOf<typeof CommandExecutionApprovalDecision>;

/** Params of the `item/commandExecution/requestApproval` server request. */
export const CommandExecutionRequestApprovalParams = t.intersection([
  t.type({
    itemId: t.string,
    threadId: t.string,
    turnId: t.string,
  }),
  t.partial({
    /** The command to be executed. */
    command: t.union([t.string, t.null]),
    /** Best-effort parsed command actions for friendly display. */
    commandActions: t.union([t.array(CommandAction), t.null]),
    /** The command's working directory. */
    cwd: t.union([t.string, t.null]),
    /** Optional proposed execpolicy amendment to allow similar commands without prompting. */
    proposedExecpolicyAmendment: t.union([t.array(t.string), t.null]),
    /** Optional explanatory reason (e.g. request for network access). */
    reason: t.union([t.string, t.null]),
  }),
], 'CommandExecutionRequestApprovalParams');
export type CommandExecutionRequestApprovalParams = t.TypeOf<typeof CommandExecutionRequestApprovalParams>;

/** The client's result for the `item/commandExecution/requestApproval` server request. */
export const CommandExecutionRequestApprovalResponse = t.type({
  decision: CommandExecutionApprovalDecision,
}, 'CommandExecutionRequestApprovalResponse');
export type CommandExecutionRequestApprovalResponse = t.TypeOf<typeof CommandExecutionRequestApprovalResponse>;

/** A piece of a dynamic tool's output: text or an image URL. */
export const DynamicToolCallOutputContentItem = t.union([
  t.type({
    text: t.string,
    type: t.literal('inputText'),
  }, 'InputTextDynamicToolCallOutputContentItem'),
  t.type({
    imageUrl: t.string,
    type: t.literal('inputImage'),
  }, 'InputImageDynamicToolCallOutputContentItem'),
], 'DynamicToolCallOutputContentItem');
export type DynamicToolCallOutputContentItem = t.TypeOf<typeof DynamicToolCallOutputContentItem>;

/** Params of the `item/tool/call` server request. */
export const DynamicToolCallParams = t.type({
  arguments: anyJson,
  callId: t.string,
  threadId: t.string,
  tool: t.string,
  turnId: t.string,
}, 'DynamicToolCallParams');
export type DynamicToolCallParams = t.TypeOf<typeof DynamicToolCallParams>;

/** The client's result for the `item/tool/call` server request. */
export const DynamicToolCallResponse = t.type({
  contentItems: t.array(DynamicToolCallOutputContentItem),
  success: t.boolean,
}, 'DynamicToolCallResponse');
export type DynamicToolCallResponse = t.TypeOf<typeof DynamicToolCallResponse>;

/** The client's answer to a file change approval request. */
export const FileChangeApprovalDecision = t.union([
  /** User approved the file changes. */
  t.literal('accept'),
  /** User approved the file changes and future changes to the same files should run without prompting. */
  t.literal('acceptForSession'),
  /** User denied the file changes. The agent will continue the turn. */
  t.literal('decline'),
  /** User denied the file changes. The turn will also be immediately interrupted. */
  t.literal('cancel'),
], 'FileChangeApprovalDecision');
export type FileChangeApprovalDecision = t.TypeOf<typeof FileChangeApprovalDecision>;

/** Params of the `item/fileChange/requestApproval` server request. */
export const FileChangeRequestApprovalParams = t.intersection([
  t.type({
    itemId: t.string,
    threadId: t.string,
    turnId: t.string,
  }),
  t.partial({
    /** [UNSTABLE] When set, the agent is asking the user to allow writes under this root for the remainder of the session (unclear if this is honored today). */
    grantRoot: t.union([t.string, t.null]),
    /** Optional explanatory reason (e.g. request for extra write access). */
    reason: t.union([t.string, t.null]),
  }),
], 'FileChangeRequestApprovalParams');
export type FileChangeRequestApprovalParams = t.TypeOf<typeof FileChangeRequestApprovalParams>;

/** The client's result for the `item/fileChange/requestApproval` server request. */
export const FileChangeRequestApprovalResponse = t.type({
  decision: FileChangeApprovalDecision,
}, 'FileChangeRequestApprovalResponse');
export type FileChangeRequestApprovalResponse = t.TypeOf<typeof FileChangeRequestApprovalResponse>;

/** EXPERIMENTAL. Captures a user's answer to a request_user_input question. */
export const ToolRequestUserInputAnswer = t.type({
  answers: t.array(t.string),
}, 'ToolRequestUserInputAnswer');
export type ToolRequestUserInputAnswer = t.TypeOf<typeof ToolRequestUserInputAnswer>;

/** EXPERIMENTAL. Defines a single selectable option for request_user_input. */
export const ToolRequestUserInputOption = t.type({
  description: t.string,
  label: t.string,
}, 'ToolRequestUserInputOption');
export type ToolRequestUserInputOption = t.TypeOf<typeof ToolRequestUserInputOption>;

/** EXPERIMENTAL. Represents one request_user_input question and its required options. */
export const ToolRequestUserInputQuestion = t.intersection([
  t.type({
    header: t.string,
    id: t.string,
    question: t.string,
  }),
  t.partial({
    isOther: t.boolean,
    isSecret: t.boolean,
    options: t.union([t.array(ToolRequestUserInputOption), t.null]),
  }),
], 'ToolRequestUserInputQuestion');
export type ToolRequestUserInputQuestion = t.TypeOf<typeof ToolRequestUserInputQuestion>;

/**
 * Params of the `item/tool/requestUserInput` server request.
 *
 * EXPERIMENTAL. Params sent with a request_user_input event.
 */
export const ToolRequestUserInputParams = t.type({
  itemId: t.string,
  questions: t.array(ToolRequestUserInputQuestion),
  threadId: t.string,
  turnId: t.string,
}, 'ToolRequestUserInputParams');
export type ToolRequestUserInputParams = t.TypeOf<typeof ToolRequestUserInputParams>;

/**
 * The client's result for the `item/tool/requestUserInput` server request.
 *
 * EXPERIMENTAL. Response payload mapping question ids to answers.
 */
export const ToolRequestUserInputResponse = t.type({
  answers: t.record(t.string, ToolRequestUserInputAnswer),
}, 'ToolRequestUserInputResponse');
export type ToolRequestUserInputResponse = t.TypeOf<typeof ToolRequestUserInputResponse>;
