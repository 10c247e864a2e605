import type { ResponseItem } from '../lib/protocol/index.js';
import { approxTokenCount, truncateToTokens } from './tokenBudget.js';

/** Budget for the user messages kept across a local compaction (`COMPACT_USER_MESSAGE_MAX_TOKENS`). */
export const COMPACT_USER_MESSAGE_MAX_TOKENS = 20_000;

const userMessage = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });

/**
 * The history that replaces everything after a local compaction (SPEC §4.14, the reference's
 * `build_compacted_history`): the initial context, then the most recent user messages that fit
 * the token budget (newest first, the one that overflows truncated, then put back in order),
 * then the summary as a user message (`(no summary available)` when empty).
 *
 * @example
 * rebuildCompactedHistory(initialContext, ['first question'], 'SUMMARY…');
 * // [...initialContext, user('first question'), user('SUMMARY…')]
 */
export const rebuildCompactedHistory = (
  initialContext: readonly ResponseItem[],
  userMessages: readonly string[],
  summary: string,
  maxTokens: number = COMPACT_USER_MESSAGE_MAX_TOKENS,
): ResponseItem[] => {
  const selected: string[] = [];
  let remaining = maxTokens;
  for (let index = userMessages.length - 1; index >= 0 && remaining > 0; index -= 1) {
    const message = userMessages[index] as string;
    const tokens = approxTokenCount(message);
    if (tokens > remaining) {
      selected.push(truncateToTokens(message, remaining));
      break;
    }
    selected.push(message);
    remaining -= tokens;
  }
  return [...initialContext, ...selected.reverse().map(userMessage), userMessage(summary === '' ? '(no summary available)' : summary)];
};
