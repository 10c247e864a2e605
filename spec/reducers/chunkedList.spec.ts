import { expect } from 'chai';
import fc from 'fast-check';
import { append, emptyList, fromArray, toArray } from '../../reducers/chunkedList.js';

describe('chunkedList', () => {
  it('holds what was appended, in order, and equals the list built from the same array', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 300 }), (items) => {
        const built = items.reduce(append, emptyList<number>());
        expect(toArray(built)).to.deep.equal(items);
        expect(built).to.deep.equal(fromArray(items));
      }),
    );
  });

  it('leaves earlier versions unchanged when a later one is appended to, twice from the same version', () => {
    const base = fromArray(Array.from({ length: 63 }, (_, i) => i));
    const left = append(base, 100);
    const right = append(base, 200);
    expect(toArray(base)).to.have.length(63);
    expect(toArray(left).slice(-1)).to.deep.equal([100]);
    expect(toArray(right).slice(-1)).to.deep.equal([200]);
  });
});
