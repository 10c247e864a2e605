import { expect } from 'chai';
import fc from 'fast-check';
import { from } from 'rxjs';
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
import { oracleDeltas, ourDeltas, rustTrim } from './taggedBlocksOracle.js';

// Several kinds at once: 'p' shares a prefix with 'proposed_plan', and 'fence' opens and closes
// with the same line.
const MANY: readonly TagSpec[] = [PROPOSED_PLAN, { tag: 'p', open: '<p>', close: '</p>' }, { tag: 'fence', open: '---', close: '---' }];

// Messages biased towards what matters: whole tag lines with surrounding whitespace and CR/LF,
// partial tags, bare newlines, whitespace (ASCII, Unicode, and U+FEFF which Rust does not trim),
// astral characters, and some arbitrary text.
const spaces = fc.constantFrom('', ' ', '  ', '\t', '\u00a0', '\u0085', '\ufeff');
const delimiter = fc.constantFrom('<proposed_plan>', '</proposed_plan>', '<p>', '</p>', '---');
const tagLine = fc
  .tuple(spaces, delimiter, fc.constantFrom('', ' ', '\r', ' \r', '\t'), fc.constantFrom('\n', '\n', '\r\n', ''))
  .map((parts) => parts.join(''));
const piece = fc.constantFrom(
  '\n', '\n', '\r\n', '\r', ' ', '\t', '<', '</', '>', '/', '<propo', '</proposed_', '<proposed_plan', '<p', '--',
  '# Plan', '- step', 'text', 'x', '😀', '<proposed_plan> extra',
);
// A tag cut short, or with a character slipped in (often one that keeps it a prefix for a while).
const nearTag = fc
  .tuple(delimiter, fc.nat(), fc.constantFrom('', ' ', '\t', 'o', 'p', '<', '>'))
  .map(([d, k, c]) => d.slice(0, k % (d.length + 1)) + c + (c === '' ? '' : d.slice(k % (d.length + 1))));
const message = fc
  .array(
    fc.oneof(
      { arbitrary: tagLine, weight: 3 },
      { arbitrary: nearTag, weight: 2 },
      { arbitrary: piece, weight: 4 },
      { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
    ),
    { maxLength: 25 },
  )
  .map((parts) => parts.join(''));

/** A message and a split of it into chunks (empty chunks included, and astral characters cut in half). */
const chunked = message.chain((text) =>
  fc.array(fc.nat({ max: text.length }), { maxLength: 12 }).map((cuts) => {
    const at = [0, ...[...cuts].sort((a, b) => a - b), text.length];
    return { text, chunks: at.slice(1).map((end, i) => text.slice(at[i], end)) };
  }),
);

function collect(chunks: readonly string[], specs: readonly TagSpec[]): Segment[] {
  const out: Segment[] = [];
  from(chunks).pipe(taggedBlocks(specs)).subscribe((s) => out.push(s));
  return out;
}

describe('taggedBlocks properties', () => {
  for (const [name, specs] of [['proposed_plan', [PROPOSED_PLAN]], ['several tags', MANY]] as const) {
    describe(name, () => {
      it('gives, merged, the segments of the unsplit message for any split', () => {
        fc.assert(
          fc.property(chunked, ({ text, chunks }) => {
            expect(coalesceSegments(collect(chunks, specs))).to.deep.equal(parseTaggedBlocks(text, specs));
          }),
          { numRuns: 1000 },
        );
      });

      it('emits per delta exactly what the naive oracle model emits', () => {
        fc.assert(
          fc.property(chunked, ({ chunks }) => {
            expect(ourDeltas(specs, chunks)).to.deep.equal(oracleDeltas(specs, chunks));
          }),
          { numRuns: 1000 },
        );
      });

      it('holds back nothing but the current line, and only while it may be a tag line', () => {
        const delimiters = specs.flatMap((s) => [s.open, s.close]);
        fc.assert(
          fc.property(chunked, ({ chunks }) => {
            let state = initTaggedBlocks(specs);
            let consumed = '';
            for (const chunk of chunks) {
              [state] = stepTaggedBlocks(state, chunk);
              consumed += chunk;
              expect(consumed.endsWith(state.held)).to.equal(true);
              expect(state.held).not.to.include('\n');
              const slug = rustTrim(state.held);
              expect(slug === '' || delimiters.some((d) => d.startsWith(slug)), `holds ${JSON.stringify(state.held)}`).to.equal(true);
            }
          }),
        );
      });
    });
  }

  it('streams text that adds up to the stripped message, and a last block that is the extracted plan', () => {
    fc.assert(
      fc.property(chunked, ({ text, chunks }) => {
        let outside = '';
        let plan: string | undefined;
        for (const segment of collect(chunks, [PROPOSED_PLAN])) {
          if (segment.kind === 'text') outside += segment.text;
          else if (segment.kind === 'blockStart') plan = '';
          else if (segment.kind === 'blockText') plan += segment.text;
        }
        expect(outside).to.equal(stripProposedPlanBlocks(text));
        expect(plan).to.equal(extractProposedPlanText(text));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('taggedBlocks oracle model', () => {
  // Hand-worked cases pinning the model itself (each expectation derived from SPEC §7.2 by
  // hand), checked against the real reducer too: one array per chunk, then one for completion.
  const NOTE: TagSpec = { tag: 'note', open: '<note>', close: '</note>' };
  const ASIDE: TagSpec = { tag: 'aside', open: '<aside>', close: '</aside>' };
  const plain = (t: string): Segment => ({ kind: 'text', text: t });
  const opens = (tag: string): Segment => ({ kind: 'blockStart', tag });
  const within = (tag: string, t: string): Segment => ({ kind: 'blockText', tag, text: t });
  const closes = (tag: string): Segment => ({ kind: 'blockEnd', tag });

  const cases: { name: string; specs?: readonly TagSpec[]; chunks: string[]; expected: Segment[][] }[] = [
    {
      name: 'holds a tag cut across chunks until its line is decided',
      chunks: ['ok\n<no', 'te>\nbody', ' text\n</no', 'te>\n'],
      expected: [[plain('ok\n')], [opens('note'), within('note', 'body')], [within('note', ' text\n')], [closes('note')], []],
    },
    {
      name: 'streams a plan block cut inside both tags',
      specs: [PROPOSED_PLAN],
      chunks: ['Before\n<proposed_pl', 'an>\n1. do it\n</propo', 'sed_plan>\nAfter'],
      expected: [
        [plain('Before\n')],
        [opens('proposed_plan'), within('proposed_plan', '1. do it\n')],
        [closes('proposed_plan'), plain('After')],
        [],
      ],
    },
    {
      name: 'keeps a tag with anything else on its line as content',
      chunks: ['<note> tail\nsay <note>\nmore'],
      expected: [[plain('<note> tail\nsay <note>\nmore')], []],
    },
    {
      name: 'allows Rust whitespace around a tag line, U+0085 included',
      chunks: ['\t<note> \t\r\nx\n \u0085</note>\u2003\n'],
      expected: [[opens('note'), within('note', 'x\n'), closes('note')], []],
    },
    {
      name: 'does not trim U+FEFF',
      chunks: ['\ufeff<note>\n'],
      expected: [[plain('\ufeff<note>\n')], []],
    },
    {
      name: 'compares the inside of a tag line exactly',
      chunks: ['<no', ' te>\n'],
      expected: [[], [plain('<no te>\n')], []],
    },
    {
      name: 'passes text without tags straight through',
      chunks: ['just words\n', 'and more'],
      expected: [[plain('just words\n')], [plain('and more')], []],
    },
    {
      name: 'holds a whitespace-only line, then releases it with what decides it',
      chunks: ['a\n \t', ' ', 'b\n'],
      expected: [[plain('a\n')], [], [plain(' \t b\n')], []],
    },
    {
      name: 'ends a block left open when the input ends',
      chunks: ['<note>\nfirst\nsecond'],
      expected: [[opens('note'), within('note', 'first\nsecond')], [closes('note')]],
    },
    {
      name: 'takes a last line without newline as the close tag',
      specs: [PROPOSED_PLAN],
      chunks: ['<proposed_plan>\n- review\n  </proposed_plan>'],
      expected: [[opens('proposed_plan'), within('proposed_plan', '- review\n')], [closes('proposed_plan')]],
    },
    {
      name: 'takes a last line without newline as an open tag, then ends that block',
      chunks: ['intro\n <note>'],
      expected: [[plain('intro\n')], [opens('note'), closes('note')]],
    },
    {
      name: 'gives an undecided last line that is no tag line as content',
      chunks: ['x\n</no'],
      expected: [[plain('x\n')], [plain('</no')]],
    },
    {
      name: 'treats a close tag outside any block as text',
      chunks: ['a\n</note>\nb'],
      expected: [[plain('a\n</note>\nb')], []],
    },
    {
      name: 'treats an open tag inside a block as block text',
      chunks: ['<note>\n<note>\n</note>\n'],
      expected: [[opens('note'), within('note', '<note>\n'), closes('note')], []],
    },
    {
      name: "treats another kind's tags inside a block as block text",
      specs: [NOTE, ASIDE],
      chunks: ['<aside>\n<note>\n</note>\n</aside>\n'],
      expected: [[opens('aside'), within('aside', '<note>\n</note>\n'), closes('aside')], []],
    },
    {
      name: 'lets the first spec win when two share an open line',
      specs: [
        { tag: 'one', open: '[[', close: ']]' },
        { tag: 'two', open: '[[', close: '}}' },
      ],
      chunks: ['[[\nx\n}}\n]]\n'],
      expected: [[opens('one'), within('one', 'x\n}}\n'), closes('one')], []],
    },
    {
      name: 'merges text within a delta but not across deltas',
      chunks: ['x\n<n', 'ope\nmore', ' still\n'],
      expected: [[plain('x\n')], [plain('<nope\nmore')], [plain(' still\n')], []],
    },
    {
      name: 'gives nothing for empty chunks',
      chunks: ['', ''],
      expected: [[], [], []],
    },
  ];

  for (const { name, specs = [NOTE], chunks, expected } of cases) {
    it(name, () => {
      expect(oracleDeltas(specs, chunks)).to.deep.equal(expected);
      expect(ourDeltas(specs, chunks)).to.deep.equal(expected);
    });
  }
});
