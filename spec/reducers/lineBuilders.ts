import type { ResponseItem } from '../../lib/protocol/index.js';
import type { KnownEventMsg } from '../../lib/rollout/eventMsg.js';
import type { RolloutLine } from '../../lib/rollout/rolloutLine.js';
import type { SessionMeta } from '../../lib/rollout/sessionMeta.js';

/** Terse rollout lines for reducer tests; every line carries the same timestamp unless given one. */

export const TS = '2026-02-12T19:27:11.532Z';

export const meta = (overrides: Partial<SessionMeta> = {}, timestamp = TS): RolloutLine => ({
  timestamp,
  type: 'session_meta',
  payload: {
    id: '0194f7a2-0000-7000-8000-000000000001',
    timestamp: '2026-02-12T19:27:09.118Z',
    cwd: '/home/u/proj',
    originator: 'codex_vscode',
    cli_version: '0.101.0',
    source: 'vscode',
    model_provider: 'openai',
    ...overrides,
  },
});

export const ev = (payload: KnownEventMsg, timestamp = TS): RolloutLine => ({ timestamp, type: 'event_msg', payload });

export const other = (type: string): RolloutLine => ({ timestamp: TS, type: 'event_msg', payload: { type: 'other', raw: { type } } });

export const item = (payload: ResponseItem): RolloutLine => ({ timestamp: TS, type: 'response_item', payload });

export const userItem = (text: string): RolloutLine => item({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });

export const assistantItem = (text: string): RolloutLine => item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });

export const developerItem = (text: string): RolloutLine => item({ type: 'message', role: 'developer', content: [{ type: 'input_text', text }] });

export const compacted = (message: string, replacement?: ResponseItem[]): RolloutLine => ({
  timestamp: TS,
  type: 'compacted',
  payload: replacement === undefined ? { message } : { message, replacement_history: replacement },
});

export const turnContext = (model: string): RolloutLine => ({
  timestamp: TS,
  type: 'turn_context',
  payload: { cwd: '/home/u/proj', approval_policy: 'never', sandbox_policy: { type: 'read-only' }, model },
});

export const started = (turnId: string): RolloutLine => ev({ type: 'task_started', turn_id: turnId });
export const complete = (turnId: string): RolloutLine => ev({ type: 'task_complete', turn_id: turnId, last_agent_message: null });
export const userMsg = (message: string): RolloutLine => ev({ type: 'user_message', message, images: [], local_images: [], text_elements: [] });
export const agentMsg = (message: string): RolloutLine => ev({ type: 'agent_message', message });
export const reasoning = (text: string): RolloutLine => ev({ type: 'agent_reasoning', text });
export const rawReasoning = (text: string): RolloutLine => ev({ type: 'agent_reasoning_raw_content', text });
export const aborted = (turnId: string): RolloutLine => ev({ type: 'turn_aborted', turn_id: turnId, reason: 'interrupted' });
export const rolledBack = (numTurns: number): RolloutLine => ev({ type: 'thread_rolled_back', num_turns: numTurns });
export const plan = (turnId: string, text: string): RolloutLine =>
  ev({ type: 'item_completed', thread_id: 't', turn_id: turnId, item: { type: 'Plan', id: `${turnId}-plan`, text } });

/** A complete explicit turn: task_started, the user's message (item and event), the answer, task_complete. */
export const turn = (turnId: string, question: string, answer: string): RolloutLine[] => [
  started(turnId),
  userItem(question),
  userMsg(question),
  agentMsg(answer),
  assistantItem(answer),
  complete(turnId),
];
