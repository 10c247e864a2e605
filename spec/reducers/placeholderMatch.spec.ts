import { expect } from 'chai';
import { newBindings, placeholderMismatches } from './placeholderMatch.js';

// The fixture tests are only as strict as this comparator, so it has tests of its own.
describe('placeholderMismatches (test support)', () => {
  it('binds an id placeholder to a value and holds it to that value afterwards', () => {
    const bindings = newBindings();
    expect(placeholderMismatches(['<turn-1>', '<turn-1>'], ['a', 'a'], bindings)).to.deep.equal([]);
    expect(placeholderMismatches(['<turn-1>', '<turn-1>'], ['a', 'b'], newBindings())).to.have.length(1);
    expect(placeholderMismatches('<turn-2>', 'a', bindings), 'two placeholders, one value').to.have.length(1);
  });

  it('lets other placeholders match anything, inside strings too, but nothing else', () => {
    expect(placeholderMismatches({ createdAt: '<unix-ts>' }, { createdAt: 1739387229 }, newBindings())).to.deep.equal([]);
    expect(placeholderMismatches('<CODEX_HOME>/sessions/<yyyy>/rollout-<ts>-<thread-1>.jsonl', '/h/.codex/sessions/2026/rollout-x-y.jsonl', newBindings())).to.deep.equal([]);
    expect(placeholderMismatches('for <CWD>', 'for /p', newBindings())).to.deep.equal([]);
    expect(placeholderMismatches('for <CWD>', 'from /p', newBindings())).to.have.length(1);
    expect(placeholderMismatches('<environment_context>', '<other>', newBindings()), 'not a placeholder').to.have.length(1);
  });

  it('requires the same keys, lengths and primitive values', () => {
    expect(placeholderMismatches({ a: 1 }, { a: 1, b: 2 }, newBindings())).to.have.length(1);
    expect(placeholderMismatches({ a: 1, b: null }, { a: 1 }, newBindings())).to.have.length(1);
    expect(placeholderMismatches([1], [1, 2], newBindings())).to.have.length(1);
    expect(placeholderMismatches({ a: null }, { a: null }, newBindings())).to.deep.equal([]);
    expect(placeholderMismatches({ a: 'x' }, { a: 'y' }, newBindings())).to.deep.equal(['$.a: expected "x", got "y"']);
  });
});
