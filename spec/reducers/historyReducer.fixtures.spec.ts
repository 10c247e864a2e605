import { expect } from 'chai';
import type { ResponseItem } from '../../lib/protocol/index.js';
import { RolloutResponseItem } from '../../lib/rollout/responseItem.js';
import type { RolloutLine } from '../../lib/rollout/rolloutLine.js';
import { historyReducer, initialHistory, promptEntries, type ModelHistory } from '../../reducers/historyReducer.js';
import { realUserMessageText } from '../../reducers/userMessages.js';
import { newBindings, placeholderMismatches } from './placeholderMatch.js';
import { modelRequests, pinnedThreads, rolloutLines, scenarios } from './referenceFixtures.js';

/**
 * The reference rebuilds a local compaction around the session's current initial context; in
 * these scenarios that is the context recorded when the thread was created: the response items
 * before the first real user message.
 */
const recordedInitialContext = (lines: RolloutLine[]): ResponseItem[] => {
  const items = lines.flatMap((line) => (line.type === 'response_item' ? [line.payload] : []));
  const firstUser = items.findIndex((item) => realUserMessageText(item) !== undefined);
  return firstUser === -1 ? items : items.slice(0, firstUser);
};

const prefixHistories = (lines: RolloutLine[]): ModelHistory[] =>
  lines.reduce<ModelHistory[]>((states, line) => [...states, historyReducer(states[states.length - 1] as ModelHistory, line)], [
    initialHistory(recordedInitialContext(lines)),
  ]);

describe('historyReducer against the reference 0.101.0 fixtures', () => {
  for (const scenario of scenarios()) {
    // The compaction request carries the compaction prompt, which never enters the history.
    const requests = modelRequests(scenario).filter((request) => request.label !== 'compaction');
    if (requests.length === 0) continue;

    it(`${scenario}: the input of every model request is the history of a prefix of its thread's rollout`, () => {
      const pinned = pinnedThreads(scenario);
      const histories = new Map([...pinned.values()].map((path) => [path, prefixHistories(rolloutLines(path))]));
      const position = new Map<string, number>();
      for (const request of requests) {
        const thread = (request.body as { prompt_cache_key?: string }).prompt_cache_key ?? '';
        const path = pinned.get(thread);
        expect(path, `request ${request.seq}: no rollout for ${thread}`).to.be.a('string');
        const prefixes = histories.get(path as string) as ModelHistory[];
        let matchedAt: number | undefined;
        let closest: string[] = [];
        for (let k = position.get(path as string) ?? 0; k < prefixes.length && matchedAt === undefined; k += 1) {
          // Folded line by line without positions: every item is in memory.
          const input = promptEntries(prefixes[k] as ModelHistory).map((item) => RolloutResponseItem.encode(item as ResponseItem));
          const mismatches = placeholderMismatches(request.body.input, input, newBindings());
          if (mismatches.length === 0) matchedAt = k;
          else if (closest.length === 0 || mismatches.length <= closest.length) closest = mismatches;
        }
        expect(matchedAt, `request ${request.seq} matches no prefix; closest:\n${closest.join('\n')}`).to.be.a('number');
        position.set(path as string, matchedAt as number);
      }
    });
  }
});
