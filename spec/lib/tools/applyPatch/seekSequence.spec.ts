import { expect } from 'chai';
import { seekSequence } from '../../../../lib/tools/applyPatch/seekSequence.js';

describe('seekSequence', () => {
  it('finds an exact run of lines at or after the start', () => {
    expect(seekSequence(['foo', 'bar', 'baz', 'bar', 'baz'], ['bar', 'baz'], 0, false)).to.deep.equal({ index: 1, tier: 'exact' });
    expect(seekSequence(['foo', 'bar', 'baz', 'bar', 'baz'], ['bar', 'baz'], 2, false)).to.deep.equal({ index: 3, tier: 'exact' });
  });

  it('ignores trailing whitespace when the exact text is not there', () => {
    expect(seekSequence(['foo   ', 'bar\t\t'], ['foo', 'bar'], 0, false)).to.deep.equal({ index: 0, tier: 'trailingWhitespace' });
  });

  it('then ignores surrounding whitespace', () => {
    expect(seekSequence(['    foo   ', '   bar\t'], ['foo', 'bar'], 0, false)).to.deep.equal({ index: 0, tier: 'surroundingWhitespace' });
  });

  it('then maps typographic dashes, quotes and spaces to ASCII', () => {
    const file = ['const s = \u201Chello\u201D; // it\u2019s a \u2014 test', 'x\u00A0=\u00A01'];
    expect(seekSequence(file, ['const s = "hello"; // it\'s a - test', 'x = 1'], 0, false)).to.deep.equal({ index: 0, tier: 'punctuation' });
  });

  it('prefers a stricter match anywhere over a looser one earlier', () => {
    expect(seekSequence(['  a', 'b', 'a'], ['a'], 0, false)).to.deep.equal({ index: 2, tier: 'exact' });
  });

  it('tries the end of the file first for End of File hunks, then anywhere after start', () => {
    expect(seekSequence(['x', 'y', 'x', 'y'], ['x', 'y'], 0, true)).to.deep.equal({ index: 2, tier: 'exact' });
    expect(seekSequence(['x', 'y', 'z'], ['x', 'y'], 0, true)).to.deep.equal({ index: 0, tier: 'exact' });
  });

  it('matches an empty pattern at start and never matches a pattern longer than the rest', () => {
    expect(seekSequence(['a'], [], 1, false)).to.deep.equal({ index: 1, tier: 'exact' });
    expect(seekSequence(['just one line'], ['too', 'many', 'lines'], 0, false)).to.equal(undefined);
    expect(seekSequence(['a', 'b'], ['a'], 1, false)).to.equal(undefined);
  });
});
