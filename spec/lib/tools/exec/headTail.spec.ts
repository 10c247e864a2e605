import { expect } from 'chai';
import fc from 'fast-check';
import { HeadTailText } from '../../../../lib/tools/exec/headTail.js';
import { approxTokenCount, countLines, formattedTruncate, truncateMiddle } from '../../../../lib/tools/exec/truncate.js';

describe('HeadTailText', () => {
  it('keeps everything that fits, exactly', () => {
    const text = new HeadTailText(10);
    text.push('abc');
    text.push('defghij');
    expect(text.toString()).to.equal('abcdefghij');
    expect(text.omitted).to.equal(0);
  });

  it('keeps the head and the tail of what does not fit, and names the gap', () => {
    const text = new HeadTailText(8);
    for (const chunk of ['abc', 'def', 'ghi', 'jkl']) text.push(chunk);
    expect(text.toString()).to.equal('abcd\n…4 chars truncated…\nijkl');
    expect(text.totalLength).to.equal(12);
  });

  it('holds at most its capacity, however the input is chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (chunks, capacity) => {
        const text = new HeadTailText(capacity);
        for (const chunk of chunks) text.push(chunk);
        const all = chunks.join('');
        expect(text.totalLength).to.equal(all.length);
        if (all.length <= capacity) expect(text.toString()).to.equal(all);
        else {
          const head = Math.ceil(capacity / 2);
          const tail = capacity - head;
          expect(text.omitted).to.equal(all.length - capacity);
          expect(text.toString()).to.equal(`${all.slice(0, head)}\n…${all.length - capacity} chars truncated…\n${tail === 0 ? '' : all.slice(-tail)}`);
        }
      }),
    );
  });

  it('does not leave half of a surrogate pair at a cut', () => {
    const text = new HeadTailText(4);
    text.push('a😀b😀c😀');
    expect(text.toString()).to.not.match(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe('truncateMiddle', () => {
  it('returns text within the budget unchanged', () => {
    expect(truncateMiddle('one\ntwo\n', 2)).to.equal('one\ntwo\n');
  });

  it('keeps head and tail bytes and counts the cut tokens', () => {
    expect(truncateMiddle('a'.repeat(40), 2)).to.equal('aaaa…8 tokens truncated…aaaa');
  });

  it('never splits a UTF-8 character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 0, max: 20 }), (text, tokens) => {
        expect(truncateMiddle(text, tokens)).to.not.include('\uFFFD');
      }),
    );
  });
});

describe('formattedTruncate', () => {
  it('says how many lines the whole output had when it cuts', () => {
    const output = formattedTruncate('line\n'.repeat(100), 10);
    expect(output.startsWith('Total output lines: 100\n\nline\n')).to.equal(true);
    expect(output).to.match(/…\d+ tokens truncated…/);
  });

  it('adds nothing when nothing is cut', () => {
    expect(formattedTruncate('ok\n', 10)).to.equal('ok\n');
  });
});

describe('approxTokenCount and countLines', () => {
  it('counts 4 UTF-8 bytes per token, rounded up', () => {
    expect(approxTokenCount('one\ntwo\n')).to.equal(2);
    expect(approxTokenCount('')).to.equal(0);
    expect(approxTokenCount('é')).to.equal(1);
  });

  it('counts lines as a reader does', () => {
    expect(countLines('')).to.equal(0);
    expect(countLines('a')).to.equal(1);
    expect(countLines('a\n')).to.equal(1);
    expect(countLines('a\nb')).to.equal(2);
  });
});
