import { expect } from 'chai';
import fc from 'fast-check';
import { from, lastValueFrom, scan } from 'rxjs';
import type { RolloutLine } from '../../lib/rollout/rolloutLine.js';
import { foldRollout, initialRolloutState, rolloutReducer } from '../../reducers/rolloutReducer.js';
import { threadTurns } from '../../reducers/threadReducer.js';
import { HEAD_LINES } from '../../reducers/threadSummaryReducer.js';
import {
  aborted,
  agentMsg,
  assistantItem,
  compacted,
  complete,
  ev,
  item,
  meta,
  other,
  plan,
  rawReasoning,
  reasoning,
  rolledBack,
  started,
  turnContext,
  userItem,
  userMsg,
} from './lineBuilders.js';
import { rolloutFiles, rolloutLines, scenarios } from './referenceFixtures.js';

const text = fc.constantFrom('', 'a', 'Fix it', '<environment_context>x', 'é😀');
const turnId = fc.constantFrom('t1', 't2', 't3');

/** Any sequence of the lines the reducers understand, in any order (including nonsensical ones). */
const line: fc.Arbitrary<RolloutLine> = fc.oneof(
  fc.constantFrom('a', 'b').map((id) => meta({ id })),
  turnId.map(started),
  turnId.map(complete),
  turnId.map(aborted),
  text.map(userMsg),
  text.map(agentMsg),
  text.map(reasoning),
  text.map(rawReasoning),
  fc.tuple(turnId, text).map(([id, t]) => plan(id, t)),
  fc.nat({ max: 4 }).map(rolledBack),
  text.map((t) => compacted(t)),
  text.map((t) => compacted('', [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: t }] }])),
  text.map(userItem),
  text.map(assistantItem),
  fc.constant(item({ type: 'other' })),
  fc.constant(turnContext('m')),
  fc.constant(ev({ type: 'token_count', info: null, rate_limits: null })),
  fc.constant(other('hook_started')),
);

const fixtureRollouts = scenarios().flatMap((scenario) => rolloutFiles(scenario).map((path) => rolloutLines(path)));

describe('rolloutReducer', () => {
  it('folding a prefix and then the rest gives the state of folding everything (any split, any lines)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.nat(), (lines, at) => {
        const split = lines.length === 0 ? 0 : at % (lines.length + 1);
        const resumed = foldRollout(lines.slice(split), foldRollout(lines.slice(0, split)));
        expect(resumed).to.deep.equal(foldRollout(lines));
      }),
    );
  });

  it('is scan-consistent on every reference rollout, at every split', () => {
    for (const lines of fixtureRollouts) {
      const whole = foldRollout(lines);
      for (let split = 0; split <= lines.length; split += 1) {
        expect(foldRollout(lines.slice(split), foldRollout(lines.slice(0, split)))).to.deep.equal(whole);
      }
    }
  });

  it('gives the same final state through scan() as through foldRollout', async () => {
    for (const lines of fixtureRollouts) {
      const scanned = await lastValueFrom(from(lines).pipe(scan(rolloutReducer, initialRolloutState())));
      expect(scanned).to.deep.equal(foldRollout(lines));
    }
  });

  it('numbers the items of the rebuilt turns item-1…item-N in order, whatever the lines', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const ids = threadTurns(foldRollout(lines).thread).flatMap((turn) => turn.items.map((i) => i.id));
        expect(ids).to.deep.equal(ids.map((_, index) => `item-${index + 1}`));
      }),
    );
  });

  it('returns the same state object when no reducer changes', () => {
    // Past the head the summary's preview looks at (HEAD_LINES session_meta/response_item lines).
    const head = Array.from({ length: HEAD_LINES }, () => ({ ...item({ type: 'other' }), timestamp: '2026-02-12T19:27:11.000Z' }));
    const state = foldRollout([meta({}, '2026-02-12T19:27:11.000Z'), ...head, started('t1')]);
    expect(rolloutReducer(state, { ...other('hook_started'), timestamp: '2026-02-12T19:27:11.000Z' })).to.equal(state);
    expect(rolloutReducer(state, { ...item({ type: 'other' }), timestamp: '2026-02-12T19:27:11.500Z' })).to.equal(state);
  });
});
