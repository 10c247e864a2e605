// Command tools: exec_command / write_stdin (unified exec), shell, and the command/exec runner.
// Flow for a tool call: plan (decode + describe) → approval (outside this module) → run → ExecEvents.
export { commandActions, shellScriptOf } from './commandActions.js';
export { DEFAULT_COMMAND_EXEC_TIMEOUT_MS, runCommandExec, type CommandExecDefaults, type CommandExecDeps, type CommandExecFailure } from './commandExec.js';
export { MAX_AGGREGATED_OUTPUT, neverRan, spawnFailureMessage, type ExecCall, type ExecEvent } from './events.js';
export { defaultUserShell, mergeEnv, UNIFIED_EXEC_ENV } from './execEnv.js';
export { HeadTailText } from './headTail.js';
export {
  DEFAULT_MAX_OUTPUT_TOKENS,
  formatShellReportJson,
  formatShellReportText,
  formatUnifiedExecReport,
  type ShellReport,
  type UnifiedExecReport,
} from './modelOutput.js';
export {
  DEFAULT_SHELL_TIMEOUT_MS,
  EXEC_YIELD_MS,
  planExecCommand,
  planShellCall,
  type CommandPlan,
  type EscalationRequest,
  type ExecCommandPlan,
  type ShellPlan,
} from './plans.js';
export { ptyCommand } from './pty.js';
export { DEFAULT_DRAIN_TIMEOUT_MS, exitCodeOf, runProcess, TIMEOUT_EXIT_CODE, type RunDeps, type RunEvent, type RunRequest } from './runProcess.js';
export { shellJoin, shellQuote, splitScript, type Connector, type SimpleCommand } from './shellWords.js';
export { runShellTool, type ShellToolDeps } from './shellTool.js';
export { killProcessTree, nodeSpawner, type OutputStream, type SpawnEvent, type Spawner, type SpawnRequest, type StdinWriter } from './spawner.js';
export { decodeToolArgs, ExecCommandArgs, SandboxPermissions, ShellArgs, WriteStdinArgs } from './toolArgs.js';
export { EXEC_COMMAND_TOOL, SHELL_TOOL, WRITE_STDIN_TOOL, type FunctionToolDefinition } from './toolDefinitions.js';
export { approxTokenCount, countLines, formattedTruncate, truncateMiddle } from './truncate.js';
export { DEFAULT_MAX_SESSIONS, UnifiedExec, WRITE_YIELD_MS, type UnifiedExecDeps } from './unifiedExec.js';
