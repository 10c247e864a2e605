import type { CoreTokenUsage } from '../rollout/eventMsg.js';
import type { LiveThread } from '../threads/liveThread.js';
import { historyForPrompt } from '../threads/promptHistory.js';
import { approxTokenCount } from '../../reducers/tokenBudget.js';
import type { ModelHistory } from '../../reducers/historyReducer.js';
import { tokenInfoOf, type TokenInfo } from './turnRecords.js';

/** Usage of `total` tokens, none of them counted by kind (an estimate, not a model's report). */
export const estimatedUsage = (total: number): CoreTokenUsage => ({
  input_tokens: 0,
  cached_input_tokens: 0,
  output_tokens: 0,
  reasoning_output_tokens: 0,
  total_tokens: total,
});

/** The usable context window: the model's window scaled by its effective percentage. */
export const contextWindow = (info: { context_window: number | null; effective_context_window_percent: number }): number | null =>
  info.context_window === null ? null : Math.floor((info.context_window * info.effective_context_window_percent) / 100);

/**
 * The token usage after the history changed without a model request (a compaction, a rollback;
 * SPEC §4.13, §4.14): the totals so far, and as the last usage an estimate of what the next
 * request will carry — the instructions plus `history`.
 *
 * @example
 * const info = await reestimatedUsage(thread, historyAfterRollback);
 * await thread.persist([lines.event({ type: 'token_count', info, rate_limits }, now)]);
 */
export const reestimatedUsage = async (thread: LiveThread, history: ModelHistory): Promise<TokenInfo> => {
  const previous = tokenInfoOf(thread.state.thread.tokenUsage);
  const estimate = approxTokenCount((thread.settings.baseInstructions ?? '') + JSON.stringify(await historyForPrompt(history)));
  return {
    total_token_usage: previous?.total_token_usage ?? estimatedUsage(0),
    last_token_usage: estimatedUsage(estimate),
    model_context_window: previous?.model_context_window ?? contextWindow(thread.catalog.lookup(thread.settings.model)),
  };
};
