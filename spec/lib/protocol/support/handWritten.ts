/**
 * Realistic messages, written by hand after SPEC Part II, each with the verdict the reference
 * schema gives it. `side` says which part of the method the value is.
 */
export interface HandWritten {
  readonly method: string;
  readonly side: 'params' | 'result';
  readonly valid: boolean;
  readonly why: string;
  readonly value: unknown;
}

const thread = {
  id: '0199a0c1-7c1e-7d33-a1f5-6c0a3a1b2c3d',
  preview: 'fix the build',
  modelProvider: 'openai',
  createdAt: 1739350000,
  updatedAt: 1739350042,
  path: '/home/u/.codex/sessions/2026/02/12/rollout-2026-02-12T10-00-00-0199a0c1.jsonl',
  cwd: '/home/u/project',
  cliVersion: '0.101.0',
  source: 'vscode',
  gitInfo: { sha: 'abc123', branch: 'main', originUrl: null },
  turns: [],
};

const turn = { id: 'turn-1', items: [], status: 'inProgress', error: null };

export const handWritten: readonly HandWritten[] = [
  { method: 'initialize', side: 'params', valid: true, why: 'SPEC §2.1 example', value: {
    clientInfo: { name: 'codex_vscode', title: 'Codex VS Code Extension', version: '0.1.0' },
    capabilities: { experimentalApi: true, optOutNotificationMethods: ['item/agentMessage/delta'] },
  } },
  { method: 'initialize', side: 'params', valid: true, why: 'title null, no capabilities', value: { clientInfo: { name: 'cli', title: null, version: '1' } } },
  { method: 'initialize', side: 'params', valid: false, why: 'clientInfo.version missing', value: { clientInfo: { name: 'cli' } } },
  { method: 'initialize', side: 'result', valid: true, why: 'user agent', value: { userAgent: 'codex_vscode/0.101.0 (Mac OS 15.3.0; arm64) iTerm.app/3.5.10 (codex_vscode; 0.1.0)' } },
  { method: 'thread/start', side: 'params', valid: true, why: 'typical start', value: {
    model: 'gpt-5.1-codex', cwd: '/home/u/project', approvalPolicy: 'on-request', sandbox: 'workspace-write', config: { 'features.x': true },
  } },
  { method: 'thread/start', side: 'params', valid: false, why: 'camelCase sandbox mode (README mistake)', value: { sandbox: 'workspaceWrite' } },
  { method: 'thread/start', side: 'result', valid: true, why: 'start response', value: {
    thread, model: 'gpt-5.1-codex', modelProvider: 'openai', cwd: '/home/u/project', approvalPolicy: 'on-request',
    sandbox: { type: 'workspaceWrite', writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false },
    reasoningEffort: 'medium',
  } },
  { method: 'thread/list', side: 'params', valid: true, why: 'snake_case sort key', value: { limit: 20, sortKey: 'updated_at', modelProviders: [] } },
  { method: 'thread/list', side: 'params', valid: false, why: 'camelCase sort key', value: { sortKey: 'updatedAt' } },
  { method: 'thread/list', side: 'result', valid: true, why: 'one page', value: { data: [thread], nextCursor: null } },
  { method: 'turn/start', side: 'params', valid: true, why: 'text with a text element', value: {
    threadId: thread.id,
    input: [{ type: 'text', text: 'look at @README.md', text_elements: [{ byteRange: { start: 8, end: 18 }, placeholder: '@README.md' }] }, { type: 'localImage', path: '/tmp/a.png' }],
    effort: 'high', summary: 'auto',
  } },
  { method: 'turn/start', side: 'params', valid: false, why: 'byte offsets are unsigned', value: {
    threadId: 't', input: [{ type: 'text', text: 'x', text_elements: [{ byteRange: { start: -1, end: 2 } }] }],
  } },
  { method: 'turn/start', side: 'params', valid: true, why: 'collaboration mode settings are snake_case', value: {
    threadId: 't', input: [], collaborationMode: { mode: 'plan', settings: { model: 'gpt-5', reasoning_effort: 'high', developer_instructions: null } },
  } },
  { method: 'turn/start', side: 'result', valid: true, why: 'the new turn', value: { turn } },
  { method: 'turn/interrupt', side: 'params', valid: true, why: 'thread and turn ids', value: { threadId: 't', turnId: 'turn-1' } },
  { method: 'thread/rollback', side: 'params', valid: false, why: 'numTurns is an integer', value: { threadId: 't', numTurns: 1.5 } },
  { method: 'account/login/start', side: 'params', valid: true, why: 'API key login', value: { type: 'apiKey', apiKey: 'sk-test' } },
  { method: 'account/login/start', side: 'result', valid: true, why: 'browser login', value: { type: 'chatgpt', loginId: 'l-1', authUrl: 'https://auth.openai.com/oauth/authorize?x=1' } },
  { method: 'account/read', side: 'result', valid: true, why: 'ChatGPT account', value: { account: { type: 'chatgpt', email: 'a@b.c', planType: 'plus' }, requiresOpenaiAuth: true } },
  { method: 'account/read', side: 'result', valid: false, why: 'AuthMode spelling is not Account.type', value: { account: { type: 'apikey' }, requiresOpenaiAuth: true } },
  { method: 'model/list', side: 'result', valid: true, why: 'one model', value: { data: [{
    id: 'gpt-5.1-codex', model: 'gpt-5.1-codex', displayName: 'gpt-5.1-codex', description: 'Codex', isDefault: true,
    defaultReasoningEffort: 'medium', supportedReasoningEfforts: [{ reasoningEffort: 'low', description: 'fast' }], inputModalities: ['text', 'image'], supportsPersonality: false,
  }], nextCursor: null } },
  { method: 'config/value/write', side: 'params', valid: false, why: 'value is required, even if null', value: { keyPath: 'model', mergeStrategy: 'replace' } },
  { method: 'config/value/write', side: 'params', valid: true, why: 'null value', value: { keyPath: 'model', value: null, mergeStrategy: 'replace' } },
  { method: 'item/completed', side: 'params', valid: true, why: 'completed command', value: { threadId: 't', turnId: 'turn-1', item: {
    type: 'commandExecution', id: 'call_1', command: 'ls', cwd: '/p', processId: null, status: 'completed',
    commandActions: [{ type: 'listFiles', command: 'ls', path: null }], aggregatedOutput: 'a\n', exitCode: 0, durationMs: 12,
  } } },
  { method: 'item/completed', side: 'params', valid: true, why: 'file change with a move', value: { threadId: 't', turnId: 'turn-1', item: {
    type: 'fileChange', id: 'call_2', status: 'completed', changes: [{ path: '/p/a.ts', kind: { type: 'update', move_path: '/p/b.ts' }, diff: '@@' }],
  } } },
  { method: 'item/started', side: 'params', valid: false, why: 'README\'s collabToolCall does not exist', value: { threadId: 't', turnId: 'u', item: { type: 'collabToolCall', id: 'x' } } },
  { method: 'turn/completed', side: 'params', valid: true, why: 'failed turn with error info', value: { threadId: 't', turn: {
    id: 'turn-1', items: [], status: 'failed', error: { message: 'stream disconnected', codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: 502 } }, additionalDetails: null },
  } } },
  { method: 'turn/completed', side: 'params', valid: false, why: 'externally tagged error info takes no extra members', value: { threadId: 't', turn: {
    id: 'turn-1', items: [], status: 'failed', error: { message: 'x', codexErrorInfo: { responseStreamDisconnected: {}, other: 1 } },
  } } },
  { method: 'thread/tokenUsage/updated', side: 'params', valid: true, why: 'token usage tick', value: { threadId: 't', turnId: 'turn-1', tokenUsage: {
    total: { totalTokens: 10, inputTokens: 7, cachedInputTokens: 0, outputTokens: 3, reasoningOutputTokens: 0 },
    last: { totalTokens: 10, inputTokens: 7, cachedInputTokens: 0, outputTokens: 3, reasoningOutputTokens: 0 }, modelContextWindow: 272000,
  } } },
  { method: 'error', side: 'params', valid: true, why: 'retrying error', value: { threadId: 't', turnId: 'u', willRetry: true, error: { message: 'Reconnecting… 1/5', codexErrorInfo: 'serverOverloaded' } } },
  { method: 'rawResponseItem/completed', side: 'params', valid: true, why: 'a function call item', value: { threadId: 't', turnId: 'u', item: { type: 'function_call', name: 'shell', arguments: '{}', call_id: 'c1' } } },
  { method: 'item/commandExecution/requestApproval', side: 'params', valid: true, why: 'approval request', value: {
    threadId: 't', turnId: 'u', itemId: 'call_1', command: 'rm -rf build', cwd: '/p', reason: null, proposedExecpolicyAmendment: ['rm', '-rf'],
  } },
  { method: 'item/commandExecution/requestApproval', side: 'result', valid: true, why: 'snake_case execpolicy amendment', value: { decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['rm', '-rf'] } } } },
  { method: 'item/commandExecution/requestApproval', side: 'result', valid: false, why: 'unknown decision', value: { decision: 'maybe' } },
  { method: 'item/tool/requestUserInput', side: 'result', valid: true, why: 'answers by question id', value: { answers: { q1: { answers: ['yes'] } } } },
  { method: 'item/tool/call', side: 'result', valid: true, why: 'dynamic tool output', value: { success: true, contentItems: [{ type: 'inputText', text: 'ok' }] } },
  { method: 'account/chatgptAuthTokens/refresh', side: 'params', valid: true, why: 'refresh after 401', value: { reason: 'unauthorized', previousAccountId: null } },
];
