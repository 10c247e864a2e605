import { expect } from 'chai';
import { take } from 'rxjs';
import { TestScheduler, type RunHelpers } from 'rxjs/testing';
import { PROPOSED_PLAN, extractProposedPlanText, stripProposedPlanBlocks } from '../../streams/proposedPlan.js';
import {
  coalesceSegments,
  initTaggedBlocks,
  parseTaggedBlocks,
  stepTaggedBlocks,
  taggedBlocks,
  type Segment,
  type TagSpec,
} from '../../streams/taggedBlocks.js';
import { oracleDeltas, ourDeltas } from './taggedBlocksOracle.js';

const run = (body: (helpers: RunHelpers) => void) =>
  new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  }).run(body);

const plan = () => taggedBlocks([PROPOSED_PLAN]);
const text = (t: string): Segment => ({ kind: 'text', text: t });
const start: Segment = { kind: 'blockStart', tag: 'proposed_plan' };
const inside = (t: string): Segment => ({ kind: 'blockText', tag: 'proposed_plan', text: t });
const end: Segment = { kind: 'blockEnd', tag: 'proposed_plan' };

// Programmatic marbles: slot i is at frame i * SLOT; a slot's events share its frame.
const SLOT = 30;
const KEYS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function slotted<V>(slots: readonly (readonly V[])[], last: '|' | '#') {
  const values: Record<string, V> = {};
  let k = 0;
  const marbles = slots
    .map((events, i) => {
      const keys = events.map((v) => {
        const key = KEYS[k++]!;
        values[key] = v;
        return key;
      });
      if (i === slots.length - 1) return `(${keys.join('')}${last})`;
      const s = keys.length === 0 ? '' : keys.length === 1 ? keys[0]! : `(${keys.join('')})`;
      if (s.length >= SLOT || k > KEYS.length) throw new Error('slot too full for this marble helper');
      return `${s} ${SLOT - s.length}ms`;
    })
    .join(' ');
  return { marbles, values };
}

/** Feeds `chunks` one per slot, completes one slot later; expects `expected` (one array per chunk, then finish). */
function expectSlots(specs: readonly TagSpec[], chunks: readonly string[], expected: readonly (readonly Segment[])[]) {
  run(({ cold, expectObservable, expectSubscriptions }) => {
    const input = slotted([...chunks.map((c) => [c]), []], '|');
    const output = slotted(expected, '|');
    const source = cold<string>(input.marbles, input.values);
    expectObservable(source.pipe(taggedBlocks(specs))).toBe(output.marbles, output.values);
    expectSubscriptions(source.subscriptions).toBe(`^ ${SLOT * chunks.length - 1}ms !`);
  });
}

describe('taggedBlocks', () => {
  it('passes plain text through as soon as each line is decided', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c|', { a: 'Hello', b: ', world\nsecond', c: ' line' });
      expectObservable(source.pipe(plan())).toBe('-a-b-c|', {
        a: text('Hello'),
        b: text(', world\nsecond'),
        c: text(' line'),
      });
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('gives the reference deltas of the plan-mode fixture (plan-mode/transcript-v2.jsonl)', () => {
    // scenario.json's chunks; expected = the item/agentMessage/delta and item/plan/delta of the transcript.
    expectSlots(
      [PROPOSED_PLAN],
      ['Here is my thin', 'king.\n<prop', 'osed_plan>\n# Pl', 'an\n- step one\n- st', 'ep two\n</propos', 'ed_plan>\nLet me', ' know if this works.'],
      [
        [text('Here is my thin')],
        [text('king.\n')],
        [start, inside('# Pl')],
        [inside('an\n- step one\n- st')],
        [inside('ep two\n')],
        [end, text('Let me')],
        [text(' know if this works.')],
        [],
      ],
    );
    expectSlots(
      [PROPOSED_PLAN],
      ['Second turn.\n<', 'proposed_plan>\n- only', ' step\n</', 'proposed_plan>\n'],
      [[text('Second turn.\n')], [start, inside('- only')], [inside(' step\n')], [end], []],
    );
  });

  describe('a message split at every possible chunk boundary', () => {
    const message = 'Intro\n<proposed_plan>\n- step\n</proposed_plan>\nOutro';
    const whole = [text('Intro\n'), start, inside('- step\n'), end, text('Outro')];
    const splits: string[][] = [];
    for (let i = 1; i < message.length; i++) {
      splits.push([message.slice(0, i), message.slice(i)]);
      for (let j = i + 1; j < message.length; j++) splits.push([message.slice(0, i), message.slice(i, j), message.slice(j)]);
    }

    it(`emits, for each of ${splits.length} splits, exactly the oracle model's segments per delta`, () => {
      for (const chunks of splits) expectSlots([PROPOSED_PLAN], chunks, oracleDeltas([PROPOSED_PLAN], chunks));
    });

    it('adds up to the unsplit message, leaving nothing for completion', () => {
      for (const chunks of splits) {
        const perChunk = ourDeltas([PROPOSED_PLAN], chunks);
        expect(coalesceSegments(perChunk.flat())).to.deep.equal(whole);
        // Everything is decided by the end of the input: completion adds nothing here.
        expect(perChunk[perChunk.length - 1]).to.deep.equal([]);
      }
      expect(parseTaggedBlocks(message, [PROPOSED_PLAN])).to.deep.equal(whole);
    });
  });

  it('accepts tags with surrounding spaces, tabs and \\r\\n line ends', () => {
    run(({ cold, expectObservable }) => {
      const source = cold('-a-----b----|', { a: 'Hi\r\n  <proposed_plan>\t\r\n- a\r', b: '\n \t</proposed_plan>  \r\nBye' });
      expectObservable(source.pipe(plan())).toBe('-(abc)-(def)|', {
        a: text('Hi\r\n'),
        b: start,
        c: inside('- a\r'),
        d: inside('\n'),
        e: end,
        f: text('Bye'),
      });
    });
  });

  it('treats a tag with other text on its line as text', () => {
    run(({ cold, expectObservable }) => {
      const source = cold('-a-b|', { a: '<proposed_plan> and', b: ' more\nx <proposed_plan>\n' });
      expectObservable(source.pipe(plan())).toBe('-a-b|', {
        a: text('<proposed_plan> and'),
        b: text(' more\nx <proposed_plan>\n'),
      });
    });
  });

  it('treats a stray close tag as text', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b|', { a: 'x\n</proposed_plan>\n', b: 'y' });
      expectObservable(source.pipe(plan())).toBe('-a-b|', { a: text('x\n</proposed_plan>\n'), b: text('y') });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('treats an open tag inside a block as block text', () => {
    run(({ cold, expectObservable }) => {
      const source = cold('-a----b---|', { a: '<proposed_plan>\n<proposed_plan>\n', b: '- a\n</proposed_plan>\n' });
      expectObservable(source.pipe(plan())).toBe('-(ab)-(cd)|', {
        a: start,
        b: inside('<proposed_plan>\n'),
        c: inside('- a\n'),
        d: end,
      });
    });
  });

  it('splits two blocks in one message', () => {
    run(({ cold, expectObservable }) => {
      const source = cold('-a------b---|', { a: '<proposed_plan>\none\n</proposed_plan>\nbetween\n<propo', b: 'sed_plan>\ntwo\n</proposed_plan>' });
      expectObservable(source.pipe(plan())).toBe('-(abcd)-(ef)(g|)', {
        a: start,
        b: inside('one\n'),
        c: end,
        d: text('between\n'),
        e: start,
        f: inside('two\n'),
        g: end,
      });
    });
    expect(extractProposedPlanText('<proposed_plan>\none\n</proposed_plan>\nbetween\n<proposed_plan>\ntwo\n</proposed_plan>')).to.equal('two\n');
  });

  it('closes an unterminated block when the source completes', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-----|', { a: 'Hi\n<proposed_plan>\n- a\n- b' });
      expectObservable(source.pipe(plan())).toBe('-(abc)-(d|)', { a: text('Hi\n'), b: start, c: inside('- a\n- b'), d: end });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
  });

  it('classifies the held last line at completion, which needs no newline', () => {
    run(({ cold, expectObservable }) => {
      const closes = cold('-a----|', { a: '<proposed_plan>\n- a\n  </proposed_plan> ' });
      expectObservable(closes.pipe(plan())).toBe('-(ab)-(c|)', { a: start, b: inside('- a\n'), c: end });
      const opensAndCloses = cold('-a-|', { a: 'Hi\n<proposed_plan>' });
      expectObservable(opensAndCloses.pipe(plan())).toBe('-a-(bc|)', { a: text('Hi\n'), b: start, c: end });
      const neither = cold('-a-|', { a: 'Hi\n  </propo' });
      expectObservable(neither.pipe(plan())).toBe('-a-(b|)', { a: text('Hi\n'), b: text('  </propo') });
    });
  });

  it('holds a whitespace-only line until it is decided', () => {
    run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c|', { a: 'x\n  ', b: '\t', c: ' y' });
      expectObservable(source.pipe(plan())).toBe('-a---b|', { a: text('x\n'), b: text('  \t y') });
    });
  });

  it('ignores empty chunks', () => {
    run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c|', { a: '', b: 'x', c: '' });
      expectObservable(source.pipe(plan())).toBe('---b--|', { b: text('x') });
    });
  });

  it('propagates a source error and drops the undecided line', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-#', { a: 'Hi\n<pro', b: 'posed_pl' }, new Error('stream broke'));
      expectObservable(source.pipe(plan())).toBe('-a---#', { a: text('Hi\n') }, new Error('stream broke'));
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('unsubscribes from the source when the result is unsubscribed', () => {
    run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-b-c-|', { a: 'one\n', b: '<proposed_plan>\ntwo', c: 'three' });
      expectObservable(source.pipe(plan()), '^---!').toBe('-a-(bc)', { a: text('one\n'), b: start, c: inside('two') });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('stops mid-chunk when downstream unsubscribes between two segments of one delta', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b|', { a: 'x\n<proposed_plan>\ny', b: 'z' });
      expectObservable(source.pipe(plan(), take(2))).toBe('-(ab|)', { a: text('x\n'), b: start });
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('parses each subscription independently', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a----b-|', { a: '<proposed_plan>\nx', b: '\n' });
      const blocks = source.pipe(plan());
      const values = { a: start, b: inside('x'), c: inside('\n'), d: end };
      expectObservable(blocks).toBe('-(ab)-c-(d|)', values);
      expectObservable(blocks, '--^').toBe('---(ab)-c-(d|)', values);
      expectSubscriptions(source.subscriptions).toBe(['^-------!', '--^-------!']);
    });
  });

  it('tells several tag kinds apart, including ones sharing a prefix', () => {
    const specs = ['p', 'proposed_plan', { tag: 'fence', open: '---', close: '---' }] as const;
    const segments = parseTaggedBlocks('<p>\na\n</p>\n---\nb\n<proposed_plan>\n---\n<p\n', specs);
    expect(segments).to.deep.equal([
      { kind: 'blockStart', tag: 'p' },
      { kind: 'blockText', tag: 'p', text: 'a\n' },
      { kind: 'blockEnd', tag: 'p' },
      { kind: 'blockStart', tag: 'fence' },
      { kind: 'blockText', tag: 'fence', text: 'b\n<proposed_plan>\n' },
      { kind: 'blockEnd', tag: 'fence' },
      { kind: 'text', text: '<p\n' },
    ]);
  });

  it('compares whitespace inside a tag line exactly', () => {
    run(({ cold, expectObservable }) => {
      const source = cold('-a-b|', { a: 'Hi\n<pro o', b: 'sed_plan>\n' });
      expectObservable(source.pipe(plan())).toBe('-a-b|', { a: text('Hi\n<pro o'), b: text('sed_plan>\n') });
    });
    const spaced = [{ tag: 'x', open: '<<< begin', close: '>>> end' }];
    expect(parseTaggedBlocks('<<< begin\na\n>>>  end\n>>> end\n', spaced)).to.deep.equal([
      { kind: 'blockStart', tag: 'x' },
      { kind: 'blockText', tag: 'x', text: 'a\n>>>  end\n' },
      { kind: 'blockEnd', tag: 'x' },
    ]);
  });

  it('handles the full 16 tag kinds', () => {
    const names = Array.from({ length: 16 }, (_, k) => `t${k}`);
    expect(parseTaggedBlocks('<t15>\n<t1>\n</t15>\n<t0>\n', names)).to.deep.equal([
      { kind: 'blockStart', tag: 't15' },
      { kind: 'blockText', tag: 't15', text: '<t1>\n' },
      { kind: 'blockEnd', tag: 't15' },
      { kind: 'blockStart', tag: 't0' },
      { kind: 'blockEnd', tag: 't0' },
    ]);
  });

  it("trims with Rust's whitespace: U+0085 is whitespace, U+FEFF is not", () => {
    expect(parseTaggedBlocks('\u0085<proposed_plan>\u0085\nx', [PROPOSED_PLAN])).to.deep.equal([start, inside('x'), end]);
    expect(parseTaggedBlocks('\ufeff<proposed_plan>\nx', [PROPOSED_PLAN])).to.deep.equal([text('\ufeff<proposed_plan>\nx')]);
  });

  it('rejects a tag that could never match a trimmed line', () => {
    expect(() => taggedBlocks([{ tag: 'x', open: ' <x>', close: '</x>' }])).to.throw(RangeError, /can never match/);
    expect(() => taggedBlocks([{ tag: 'x', open: '<x>', close: '' }])).to.throw(RangeError);
    expect(() => taggedBlocks([{ tag: 'x', open: '<x>\n', close: '</x>' }])).to.throw(RangeError);
    expect(() => taggedBlocks(Array.from({ length: 17 }, (_, k) => `t${k}`))).to.throw(RangeError, /at most 16/);
  });
});

describe('stepTaggedBlocks', () => {
  it('returns the same state when a chunk changes nothing', () => {
    const [s1] = stepTaggedBlocks(initTaggedBlocks([PROPOSED_PLAN]), 'plain');
    const [s2, out] = stepTaggedBlocks(s1, ' more plain');
    expect(s2).to.equal(s1);
    expect(out).to.deep.equal([text(' more plain')]);
  });

  it('holds back only the undecided line', () => {
    const [s] = stepTaggedBlocks(initTaggedBlocks([PROPOSED_PLAN]), 'a\nb\n  </prop');
    expect(s.held).to.equal('  </prop');
    expect(s.matched).to.equal(6);
    expect(s.candidates).to.equal(0b10); // of '<proposed_plan>' (bit 0) and '</proposed_plan>' (bit 1)
  });
});

describe('proposed plan helpers', () => {
  const message = 'Preface\n<proposed_plan>\n# Final plan\n- first\n- second\n</proposed_plan>\nPostscript';

  it('strips plan blocks, leaving the agent message', () => {
    expect(stripProposedPlanBlocks(message)).to.equal('Preface\nPostscript');
    expect(stripProposedPlanBlocks('<proposed_plan>\n- a\n</proposed_plan>\n')).to.equal('');
  });

  it('extracts the last block, an unterminated one too, or undefined without one', () => {
    expect(extractProposedPlanText(message)).to.equal('# Final plan\n- first\n- second\n');
    expect(extractProposedPlanText('<proposed_plan>\nfirst\n</proposed_plan>\n<proposed_plan>\n')).to.equal('');
    expect(extractProposedPlanText('x\n<proposed_plan>\n- open')).to.equal('- open');
    expect(extractProposedPlanText('no plan\n<proposed_plan> inline\n')).to.equal(undefined);
  });
});
