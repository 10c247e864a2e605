import { expect } from 'chai';
import type { Thread } from '../../lib/protocol/index.js';
import { foldRollout, initialRolloutState, rolloutReducer, type RolloutState } from '../../reducers/rolloutReducer.js';
import { threadTurns } from '../../reducers/threadReducer.js';
import { toThread } from '../../reducers/threadSummaryReducer.js';
import { type Bindings, copyBindings, newBindings, placeholderMismatches } from './placeholderMatch.js';
import { pinnedThreads, rolloutLines, scenarios, transcript, type TranscriptEntry } from './referenceFixtures.js';

// Methods whose response carries a Thread built from the rollout (SPEC §4.2–4.5, §4.13).
const THREAD_METHODS = new Set(['thread/start', 'thread/read', 'thread/resume', 'thread/rollback', 'thread/fork']);

interface Exchange {
  readonly request: TranscriptEntry;
  readonly response: TranscriptEntry & { result: { thread: Thread } };
}

const exchanges = (entries: TranscriptEntry[]): Exchange[] =>
  entries.flatMap((response) => {
    if (response.dir !== 'recv' || response.type !== 'response' || !THREAD_METHODS.has(response.method ?? '')) return [];
    if (response.result?.thread === undefined) return [];
    const request = entries.find((entry) => entry.dir === 'send' && entry.type === 'request' && entry.id === response.id);
    return request === undefined ? [] : [{ request, response: response as Exchange['response'] }];
  });

/** The state after each prefix of the file: index k is after k lines. */
const prefixStates = (path: string): RolloutState[] =>
  rolloutLines(path).reduce<RolloutState[]>((states, line) => [...states, rolloutReducer(states[states.length - 1] as RolloutState, line)], [initialRolloutState()]);

const threadAt = (state: RolloutState, path: string, withTurns: boolean): Thread | null =>
  toThread(state.summary, withTurns ? threadTurns(state.thread) : [], { path, defaultModelProvider: 'openai' });

const pinBindings = (pinned: Map<string, string>): Bindings => {
  const bindings = newBindings();
  for (const [placeholder, path] of pinned) {
    const id = foldRollout(rolloutLines(path)).thread.sessionMeta?.id as string;
    bindings.byPlaceholder.set(placeholder, id);
    bindings.byValue.set(id, placeholder);
  }
  return bindings;
};

const commit = (into: Bindings, from: Bindings): void => {
  for (const [key, value] of from.byPlaceholder) into.byPlaceholder.set(key, value);
  for (const [key, value] of from.byValue) into.byValue.set(key, value);
};

describe('threadReducer against the reference 0.101.0 fixtures', () => {
  for (const scenario of scenarios()) {
    const entries = transcript(scenario);
    const all = exchanges(entries);
    if (all.length === 0) continue;
    const pinned = pinnedThreads(scenario);
    // A thread/start of a thread that never got a turn has no file to compare with.
    const relevant = all.filter(({ response }) => response.method !== 'thread/start' || pinned.has(response.result.thread.id));
    const labels = [...new Set(relevant.map(({ response }) => response.method))].join(', ');

    it(`${scenario}: every ${labels} result equals the state of a prefix of its rollout, prefixes in transcript order`, () => {
      const bindings = pinBindings(pinned);
      const states = new Map([...pinned.values()].map((path) => [path, prefixStates(path)]));
      const position = new Map<string, number>();
      for (const { request, response } of relevant) {
        const expected = response.result.thread;
        const path = pinned.get(expected.id);
        expect(path, `${response.method} #${response.id}: no rollout for ${expected.id}`).to.be.a('string');
        const prefixes = states.get(path as string) as RolloutState[];
        const withTurns = response.method !== 'thread/read' || request.params?.includeTurns === true;
        let matchedAt: number | undefined;
        let closest = ['no prefix with a session_meta'];
        for (let k = position.get(path as string) ?? 0; k < prefixes.length && matchedAt === undefined; k += 1) {
          const actual = threadAt(prefixes[k] as RolloutState, path as string, withTurns);
          if (actual === null) continue;
          const trial = copyBindings(bindings);
          const mismatches = placeholderMismatches(expected, actual, trial);
          if (mismatches.length === 0) {
            matchedAt = k;
            commit(bindings, trial);
          } else if (mismatches.length <= closest.length) {
            closest = mismatches;
          }
        }
        expect(matchedAt, `${response.method} #${response.id} matches no prefix; closest:\n${closest.join('\n')}`).to.be.a('number');
        position.set(path as string, matchedAt as number);
      }
    });

    // The files were saved after the last step: a thread's last result with no turn after it
    // must be what the whole file replays to.
    const finals = [...pinned.keys()].flatMap((placeholder) => {
      const last = [...relevant].reverse().find(({ response }) => response.result.thread.id === placeholder && response.method !== 'thread/start');
      if (last === undefined) return [];
      const at = entries.indexOf(last.response);
      const laterTurn = entries.slice(at).some((e) => e.dir === 'send' && e.method === 'turn/start' && e.params?.threadId === placeholder);
      return laterTurn ? [] : [{ placeholder, last }];
    });
    for (const { placeholder, last } of finals) {
      it(`${scenario}: the final ${last.response.method} of ${placeholder} equals the whole rollout replayed`, () => {
        const path = pinned.get(placeholder) as string;
        const actual = threadAt(foldRollout(rolloutLines(path)), path, true);
        expect(placeholderMismatches(last.response.result.thread, actual, pinBindings(pinned))).to.deep.equal([]);
      });
    }
  }
});
