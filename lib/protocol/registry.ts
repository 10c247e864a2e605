import * as t from 'io-ts';
import {
  clientMethod,
  clientNotification,
  serverNotification,
  serverRequest,
  type ClientMethod,
  type ClientNotification,
  type ServerNotification,
  type ServerRequest,
} from './method.js';
import { InitializeParams, InitializeResponse } from './v1/initialize.js';
import * as account from './v2/account.js';
import * as apps from './v2/apps.js';
import * as command from './v2/command.js';
import * as config from './v2/config.js';
import * as feedback from './v2/feedback.js';
import * as mcp from './v2/mcp.js';
import * as model from './v2/model.js';
import * as n from './v2/notifications.js';
import * as sr from './v2/serverRequests.js';
import * as skills from './v2/skills.js';
import * as thread from './v2/threadMethods.js';
import * as turn from './v2/turnMethods.js';

/**
 * Every method, notification and server request rxagent defines, as values (SPEC Appendix A).
 * The router dispatches through these maps; the schema export and the experimental gate are
 * derived from them.
 */

const byMethod = <D extends { readonly method: string }>(defs: readonly D[]): ReadonlyMap<string, D> =>
  new Map(defs.map((d) => [d.method, d]));

// `Option<()>` params: absent or `null` (SPEC §1.4).
const noParams = { paramsOptional: true } as const;
const experimental = { experimental: true } as const;

/**
 * Client → server requests by method name, in the reference's `ClientRequest` order.
 *
 * @example
 * const def = clientMethods.get('thread/read'); // def.params: ThreadReadParams
 */
export const clientMethods: ReadonlyMap<string, ClientMethod> = byMethod([
  clientMethod('initialize', InitializeParams, InitializeResponse),
  clientMethod('thread/start', thread.ThreadStartParams, thread.ThreadStartResponse),
  clientMethod('thread/resume', thread.ThreadResumeParams, thread.ThreadResumeResponse),
  clientMethod('thread/fork', thread.ThreadForkParams, thread.ThreadForkResponse),
  clientMethod('thread/archive', thread.ThreadArchiveParams, thread.ThreadArchiveResponse),
  clientMethod('thread/name/set', thread.ThreadSetNameParams, thread.ThreadSetNameResponse),
  clientMethod('thread/unarchive', thread.ThreadUnarchiveParams, thread.ThreadUnarchiveResponse),
  clientMethod('thread/compact/start', thread.ThreadCompactStartParams, thread.ThreadCompactStartResponse),
  clientMethod(
    'thread/backgroundTerminals/clean',
    thread.ThreadBackgroundTerminalsCleanParams,
    thread.ThreadBackgroundTerminalsCleanResponse,
    experimental,
  ),
  clientMethod('thread/rollback', thread.ThreadRollbackParams, thread.ThreadRollbackResponse),
  clientMethod('thread/list', thread.ThreadListParams, thread.ThreadListResponse),
  clientMethod('thread/loaded/list', thread.ThreadLoadedListParams, thread.ThreadLoadedListResponse),
  clientMethod('thread/read', thread.ThreadReadParams, thread.ThreadReadResponse),
  clientMethod('skills/list', skills.SkillsListParams, skills.SkillsListResponse),
  clientMethod('skills/remote/read', skills.SkillsRemoteReadParams, skills.SkillsRemoteReadResponse),
  clientMethod('skills/remote/write', skills.SkillsRemoteWriteParams, skills.SkillsRemoteWriteResponse),
  clientMethod('app/list', apps.AppsListParams, apps.AppsListResponse),
  clientMethod('skills/config/write', skills.SkillsConfigWriteParams, skills.SkillsConfigWriteResponse),
  clientMethod('turn/start', turn.TurnStartParams, turn.TurnStartResponse),
  clientMethod('turn/steer', turn.TurnSteerParams, turn.TurnSteerResponse),
  clientMethod('turn/interrupt', turn.TurnInterruptParams, turn.TurnInterruptResponse),
  clientMethod('review/start', turn.ReviewStartParams, turn.ReviewStartResponse),
  clientMethod('model/list', model.ModelListParams, model.ModelListResponse),
  clientMethod('experimentalFeature/list', model.ExperimentalFeatureListParams, model.ExperimentalFeatureListResponse),
  clientMethod(
    'collaborationMode/list',
    model.CollaborationModeListParams,
    model.CollaborationModeListResponse,
    experimental,
  ),
  clientMethod(
    'mock/experimentalMethod',
    model.MockExperimentalMethodParams,
    model.MockExperimentalMethodResponse,
    experimental,
  ),
  clientMethod('mcpServer/oauth/login', mcp.McpServerOauthLoginParams, mcp.McpServerOauthLoginResponse),
  clientMethod('config/mcpServer/reload', t.null, mcp.McpServerRefreshResponse, noParams),
  clientMethod('mcpServerStatus/list', mcp.ListMcpServerStatusParams, mcp.ListMcpServerStatusResponse),
  clientMethod('account/login/start', account.LoginAccountParams, account.LoginAccountResponse),
  clientMethod('account/login/cancel', account.CancelLoginAccountParams, account.CancelLoginAccountResponse),
  clientMethod('account/logout', t.null, account.LogoutAccountResponse, noParams),
  clientMethod('account/rateLimits/read', t.null, account.GetAccountRateLimitsResponse, noParams),
  clientMethod('feedback/upload', feedback.FeedbackUploadParams, feedback.FeedbackUploadResponse),
  clientMethod('command/exec', command.CommandExecParams, command.CommandExecResponse),
  clientMethod('config/read', config.ConfigReadParams, config.ConfigReadResponse),
  clientMethod('config/value/write', config.ConfigValueWriteParams, config.ConfigWriteResponse),
  clientMethod('config/batchWrite', config.ConfigBatchWriteParams, config.ConfigWriteResponse),
  clientMethod('configRequirements/read', t.null, config.ConfigRequirementsReadResponse, noParams),
  clientMethod('account/read', account.GetAccountParams, account.GetAccountResponse),
]);

/**
 * Methods of the reference's `ClientRequest` that rxagent has no codecs for (the deprecated v1
 * API). The router answers them "rxagent does not implement X" rather than "unknown method".
 */
export const referenceOnlyMethods: ReadonlySet<string> = new Set([
  'newConversation',
  'getConversationSummary',
  'listConversations',
  'resumeConversation',
  'forkConversation',
  'archiveConversation',
  'sendUserMessage',
  'sendUserTurn',
  'interruptConversation',
  'addConversationListener',
  'removeConversationListener',
  'gitDiffToRemote',
  'loginApiKey',
  'loginChatGpt',
  'cancelLoginChatGpt',
  'logoutChatGpt',
  'getAuthStatus',
  'getUserSavedConfig',
  'setDefaultModel',
  'getUserAgent',
  'userInfo',
  'fuzzyFileSearch',
  'execOneOffCommand',
]);

/**
 * Server → client notifications (typed v2 ones; the legacy v1 ones are not sent by rxagent).
 *
 * @example
 * serverNotifications.get('turn/started')!.params.is({ threadId: 't', turn }); // true
 */
export const serverNotifications: ReadonlyMap<string, ServerNotification> = byMethod([
  serverNotification('error', n.ErrorNotification),
  serverNotification('thread/started', n.ThreadStartedNotification),
  serverNotification('thread/name/updated', n.ThreadNameUpdatedNotification),
  serverNotification('thread/tokenUsage/updated', n.ThreadTokenUsageUpdatedNotification),
  serverNotification('turn/started', n.TurnStartedNotification),
  serverNotification('turn/completed', n.TurnCompletedNotification),
  serverNotification('turn/diff/updated', n.TurnDiffUpdatedNotification),
  serverNotification('turn/plan/updated', n.TurnPlanUpdatedNotification),
  serverNotification('item/started', n.ItemStartedNotification),
  serverNotification('item/completed', n.ItemCompletedNotification),
  serverNotification('rawResponseItem/completed', n.RawResponseItemCompletedNotification),
  serverNotification('item/agentMessage/delta', n.AgentMessageDeltaNotification),
  serverNotification('item/plan/delta', n.PlanDeltaNotification),
  serverNotification('item/commandExecution/outputDelta', n.CommandExecutionOutputDeltaNotification),
  serverNotification('item/commandExecution/terminalInteraction', n.TerminalInteractionNotification),
  serverNotification('item/fileChange/outputDelta', n.FileChangeOutputDeltaNotification),
  serverNotification('item/mcpToolCall/progress', n.McpToolCallProgressNotification),
  serverNotification('mcpServer/oauthLogin/completed', n.McpServerOauthLoginCompletedNotification),
  serverNotification('account/updated', n.AccountUpdatedNotification),
  serverNotification('account/rateLimits/updated', n.AccountRateLimitsUpdatedNotification),
  serverNotification('app/list/updated', n.AppListUpdatedNotification),
  serverNotification('item/reasoning/summaryTextDelta', n.ReasoningSummaryTextDeltaNotification),
  serverNotification('item/reasoning/summaryPartAdded', n.ReasoningSummaryPartAddedNotification),
  serverNotification('item/reasoning/textDelta', n.ReasoningTextDeltaNotification),
  serverNotification('thread/compacted', n.ContextCompactedNotification),
  serverNotification('deprecationNotice', n.DeprecationNoticeNotification),
  serverNotification('configWarning', n.ConfigWarningNotification),
  serverNotification('windows/worldWritableWarning', n.WindowsWorldWritableWarningNotification),
  serverNotification('account/login/completed', n.AccountLoginCompletedNotification),
]);

/**
 * Server → client requests (approvals, tool calls, auth refresh); the legacy v1 approval
 * requests are not sent by rxagent.
 *
 * @example
 * serverRequests.get('item/tool/call')!.result; // DynamicToolCallResponse
 */
export const serverRequests: ReadonlyMap<string, ServerRequest> = byMethod([
  serverRequest(
    'item/commandExecution/requestApproval',
    sr.CommandExecutionRequestApprovalParams,
    sr.CommandExecutionRequestApprovalResponse,
  ),
  serverRequest('item/fileChange/requestApproval', sr.FileChangeRequestApprovalParams, sr.FileChangeRequestApprovalResponse),
  serverRequest('item/tool/requestUserInput', sr.ToolRequestUserInputParams, sr.ToolRequestUserInputResponse),
  serverRequest('item/tool/call', sr.DynamicToolCallParams, sr.DynamicToolCallResponse),
  serverRequest('account/chatgptAuthTokens/refresh', sr.ChatgptAuthTokensRefreshParams, sr.ChatgptAuthTokensRefreshResponse),
]);

/** Client → server notifications: only `initialized`. */
export const clientNotifications: ReadonlyMap<string, ClientNotification> = byMethod([
  clientNotification('initialized'),
]);
