import { log } from '../../log.js';
import { ThreadBackgroundTerminalsCleanParams, ThreadBackgroundTerminalsCleanResponse } from '../../protocol/v2/threadMethods.js';
import { turnServices } from '../../turns/turnServices.js';
import { handle } from '../handler.js';
import { loadedThread } from './threadSupport.js';

/**
 * `thread/backgroundTerminals/clean` (experimental, SPEC Appendix B): kills the commands the
 * thread's `exec_command` calls left running. Answers `{}` at once, as the reference; each killed
 * command's item then completes `failed`.
 */
export const threadBackgroundTerminalsClean = handle(
  'thread/backgroundTerminals/clean',
  ThreadBackgroundTerminalsCleanParams,
  ThreadBackgroundTerminalsCleanResponse,
  (params, ctx) => {
    const thread = loadedThread(ctx.server, params.threadId);
    const tools = turnServices(ctx.server).tools;
    ctx.afterResponse(() => {
      tools.interrupt?.(thread).catch((error: unknown) => log.warn('cleaning background terminals failed', { thread: thread.id, error: String(error) }));
    });
    return {};
  },
);
