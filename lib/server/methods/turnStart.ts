import { rejectUnsupportedImages } from '../../model/catalogModalities.js';
import type { CollaborationMode } from '../../protocol/index.js';
import { TurnStartParams, TurnStartResponse } from '../../protocol/v2/turnMethods.js';
import type { LiveThread } from '../../threads/liveThread.js';
import { presetInstructions } from '../../turns/collaborationModes.js';
import { TurnRunner } from '../../turns/turnRunner.js';
import { turnServices } from '../../turns/turnServices.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import { cwdParam, loadedThread } from './threadSupport.js';

/**
 * Applies a turn's overrides to the thread's settings: they stick for later turns (SPEC §4.10).
 * A collaboration mode replaces the session's wholesale (its model and effort win); its null
 * `developer_instructions` mean the preset's.
 */
export const applyOverrides = (thread: LiveThread, params: Partial<TurnStartParams>): CollaborationMode => {
  const s = thread.settings;
  const mode = params.collaborationMode;
  thread.settings = {
    ...s,
    ...(params.cwd ? { cwd: cwdParam(params.cwd)! } : {}),
    ...(params.approvalPolicy ? { approvalPolicy: params.approvalPolicy } : {}),
    ...(params.sandboxPolicy ? { sandboxPolicy: params.sandboxPolicy } : {}),
    ...(params.summary ? { reasoningSummary: params.summary } : {}),
    ...(params.personality ? { personality: params.personality } : {}),
    ...(mode ? { model: mode.settings.model, reasoningEffort: mode.settings.reasoning_effort ?? null } : {}),
    ...(!mode && params.model ? { model: params.model } : {}),
    ...(!mode && params.effort ? { reasoningEffort: params.effort } : {}),
  };
  if (mode) {
    thread.collaborationMode = {
      mode: mode.mode,
      settings: { ...mode.settings, developer_instructions: mode.settings.developer_instructions ?? (presetInstructions(mode.mode) || null) },
    };
  }
  return (
    thread.collaborationMode ?? {
      mode: 'default',
      settings: { model: thread.settings.model, reasoning_effort: thread.settings.reasoningEffort, developer_instructions: null },
    }
  );
};

/**
 * `turn/start` (SPEC §4.10, §I.2): validates the input (non-empty; no images for a text-only
 * model), applies the overrides, and starts a turn: the response, then `turn/started` broadcast,
 * then the turn's items. While a turn runs, the input is steered into it and the running turn's
 * id is returned (no phantom turn).
 */
export const turnStart = handle('turn/start', TurnStartParams, TurnStartResponse, (params, ctx) => {
  const thread = loadedThread(ctx.server, params.threadId);
  if (params.input.length === 0) throw rpcError.invalidParams('input must not be empty');
  const model = params.collaborationMode?.settings.model ?? params.model ?? thread.settings.model;
  rejectUnsupportedImages(thread.catalog.lookup(model), params.input);
  const running = thread.activeTurn;
  if (running) {
    running.steer(params.input);
    return { turn: { id: running.id, items: [], status: 'inProgress' as const, error: null } };
  }
  const collaborationMode = applyOverrides(thread, params);
  const turn = new TurnRunner(thread, turnServices(ctx.server), {
    id: ctx.server.world.newId(),
    kind: 'regular',
    input: params.input,
    outputSchema: params.outputSchema ?? null,
    collaborationMode,
  });
  thread.activeTurn = turn;
  const wire = { id: turn.id, items: [], status: 'inProgress' as const, error: null };
  ctx.afterResponse(() => {
    ctx.server.broadcast('turn/started', { threadId: thread.id, turn: wire });
    void turn.start();
  });
  return { turn: wire };
});
