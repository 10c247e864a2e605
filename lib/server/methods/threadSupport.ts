import { resolve } from 'node:path';
import type { LiveThread } from '../../threads/liveThread.js';
import { isThreadId } from '../../threads/rolloutLocation.js';
import type { SessionRequest, ThreadFactoryDeps } from '../../threads/threadFactory.js';
import type { TypedOverrides } from '../../threads/sessionSettings.js';
import { rpcError } from '../rpcError.js';
import type { ServerContext } from '../serverContext.js';

/** What the thread factory needs, taken from the server. */
export const factoryDeps = (server: ServerContext): ThreadFactoryDeps => ({
  codexHome: server.codexHome,
  env: server.env,
  cliOverrides: server.cliOverrides,
  originator: server.identity.originator,
  world: server.world,
  onRolloutWritten: server.threadIndex.noteWritten,
});

/** A request's thread id, refused unless it is a UUID (SPEC §4.1). */
export const threadIdParam = (threadId: string): string => {
  if (!isThreadId(threadId)) throw rpcError.invalidRequest(`invalid thread id: ${threadId} is not a UUID`, 'invalidThreadId');
  return threadId.toLowerCase();
};

/** The loaded thread a request names, or `-32600 thread not found` (kind `threadNotFound`). */
export const loadedThread = (server: ServerContext, threadId: string): LiveThread => {
  const thread = server.threads.get(threadIdParam(threadId));
  if (!thread) throw rpcError.invalidRequest(`thread not found: ${threadId}`, 'threadNotFound');
  return thread;
};

/** A request's cwd made absolute against the server's (SPEC §10.2). */
export const cwdParam = (cwd: string | null | undefined): string | undefined => (cwd ? resolve(cwd) : undefined);

/** The fields thread/start, resume and fork share: where the session runs and its typed overrides. */
interface SessionParams extends TypedOverrides {
  readonly cwd?: string | null;
  readonly config?: Readonly<Record<string, unknown>> | null;
}

/** A thread request's session part, as the thread factory takes it. */
export const sessionRequest = (params: SessionParams): SessionRequest => ({
  cwd: cwdParam(params.cwd),
  config: params.config ?? null,
  overrides: {
    model: params.model,
    modelProvider: params.modelProvider,
    approvalPolicy: params.approvalPolicy,
    sandbox: params.sandbox,
    personality: params.personality,
    baseInstructions: params.baseInstructions,
    developerInstructions: params.developerInstructions,
  },
});

/** The config tail thread/start, resume and fork responses share (SPEC §4.1). */
export const sessionTail = (thread: LiveThread) => ({
  model: thread.settings.model,
  modelProvider: thread.settings.modelProvider,
  cwd: thread.settings.cwd,
  approvalPolicy: thread.settings.approvalPolicy,
  sandbox: thread.settings.sandboxPolicy,
  reasoningEffort: thread.settings.reasoningEffort,
});
