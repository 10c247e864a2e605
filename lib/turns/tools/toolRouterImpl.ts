import { APPLY_PATCH_FREEFORM_TOOL, APPLY_PATCH_FUNCTION_TOOL } from '../../tools/applyPatch/index.js';
import { EXEC_COMMAND_TOOL, SHELL_TOOL, WRITE_STDIN_TOOL } from '../../tools/exec/index.js';
import type { LiveThread } from '../../threads/liveThread.js';
import type { ToolCallItem, ToolContext, ToolResult, ToolRouter } from '../toolRouter.js';
import { applyPatchForm, runApplyPatch } from './applyPatchTool.js';
import { dynamicToolSpec, runDynamicTool } from './dynamicTool.js';
import { closeThreadSessions, runExecCommand, runShell, runWriteStdin, type ExecDeps } from './execTools.js';
import { runUpdatePlan, UPDATE_PLAN_SPEC } from './planTool.js';
import { toolOutput } from './toolOutput.js';
import { REQUEST_USER_INPUT_SPEC, runRequestUserInput } from './userInputTool.js';
import { runViewImage, VIEW_IMAGE_SPEC } from './viewImageTool.js';
import { webSearchMode, webSearchToolSpec } from './webSearchTool.js';

/** Unified exec (`exec_command` + `write_stdin`) unless the `unified_exec` feature is off. */
const usesUnifiedExec = (thread: LiveThread): boolean => thread.config.features.unified_exec !== false;

/**
 * The tools rxagent offers (SPEC §12.2): command execution (unified exec or `shell`), `update_plan`,
 * `request_user_input`, `apply_patch` when the model or config asks for it, the hosted
 * `web_search` unless disabled, `view_image`, and the thread's dynamic tools; and the dispatch of
 * the calls the model makes.
 *
 * @example
 * const router = toolRouter({ sandbox: createSandbox() });
 */
export const toolRouter = (deps: ExecDeps): ToolRouter => ({
  specs: ({ thread }) => {
    const patch = applyPatchForm(thread);
    const webSearch = webSearchToolSpec(webSearchMode(thread.config, thread.settings.sandboxPolicy));
    return [
      ...(usesUnifiedExec(thread) ? [EXEC_COMMAND_TOOL, WRITE_STDIN_TOOL] : [SHELL_TOOL]),
      UPDATE_PLAN_SPEC,
      REQUEST_USER_INPUT_SPEC,
      ...(patch === 'freeform' ? [APPLY_PATCH_FREEFORM_TOOL] : patch === 'function' ? [APPLY_PATCH_FUNCTION_TOOL] : []),
      ...(webSearch ? [webSearch] : []),
      VIEW_IMAGE_SPEC,
      ...thread.dynamicTools.map(dynamicToolSpec),
    ];
  },
  run: (call: ToolCallItem, ctx: ToolContext): Promise<ToolResult> => {
    if (call.type === 'local_shell_call') return runShell(call, ctx, deps);
    const name = call.name;
    switch (name) {
      case 'exec_command':
        return runExecCommand(call, ctx, deps);
      case 'write_stdin':
        return runWriteStdin(call, ctx, deps);
      case 'shell':
      case 'shell_command':
      case 'container.exec':
        return runShell(call, ctx, deps);
      case 'apply_patch':
        return runApplyPatch(call, ctx);
      case 'update_plan':
        return Promise.resolve(runUpdatePlan(call, ctx));
      case 'request_user_input':
        return runRequestUserInput(call, ctx);
      case 'view_image':
        return runViewImage(call, ctx);
      default:
        if (ctx.thread.dynamicTools.some((t) => t.name === name)) return runDynamicTool(call, name, ctx);
        return Promise.resolve({ output: toolOutput(call, `unsupported call: ${name}`, false) });
    }
  },
  interrupt: (thread) => closeThreadSessions(thread),
});

