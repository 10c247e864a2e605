import { expect } from 'chai';
import fc from 'fast-check';
import { indexPage } from '../../../lib/server/indexPage.js';
import { RpcError } from '../../../lib/server/rpcError.js';

const items = ['a', 'b', 'c', 'd', 'e'];

const failure = (cursor: string): { code: number; message: string; kind: string | undefined } => {
  try {
    indexPage(items, { cursor }, 'things');
  } catch (err) {
    const error = err as RpcError;
    expect(error).to.be.instanceOf(RpcError);
    return { code: error.code, message: error.message, kind: error.kind };
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
};

describe('indexPage', () => {
  it('answers everything in one page without a limit, and at least one item with limit 0', () => {
    expect(indexPage(items, {}, 'things')).to.deep.equal({ data: items, nextCursor: null });
    expect(indexPage(items, { cursor: null, limit: null }, 'things')).to.deep.equal({ data: items, nextCursor: null });
    expect(indexPage(items, { limit: 0 }, 'things')).to.deep.equal({ data: ['a'], nextCursor: '1' });
  });

  it('pages by start index until nextCursor is null; a cursor at the end gives an empty last page', () => {
    expect(indexPage(items, { limit: 2 }, 'things')).to.deep.equal({ data: ['a', 'b'], nextCursor: '2' });
    expect(indexPage(items, { cursor: '2', limit: 2 }, 'things')).to.deep.equal({ data: ['c', 'd'], nextCursor: '4' });
    expect(indexPage(items, { cursor: '4', limit: 2 }, 'things')).to.deep.equal({ data: ['e'], nextCursor: null });
    expect(indexPage(items, { cursor: '5' }, 'things')).to.deep.equal({ data: [], nextCursor: null });
  });

  it('parses the cursor as the reference parses a usize: a leading plus and zeros pass, spaces and signs do not', () => {
    expect(indexPage(items, { cursor: '+3', limit: 1 }, 'things')).to.deep.equal({ data: ['d'], nextCursor: '4' });
    expect(indexPage(items, { cursor: '003', limit: 1 }, 'things')).to.deep.equal({ data: ['d'], nextCursor: '4' });
    for (const cursor of ['', ' 3', '3 ', '-1', '1.5', 'abc', '0x1', '18446744073709551616', '99999999999999999999999']) {
      expect(failure(cursor), cursor).to.deep.equal({ code: -32600, message: `invalid cursor: ${cursor}`, kind: 'invalidCursor' });
    }
  });

  it('refuses a cursor past the end, naming the number as parsed and the total', () => {
    expect(failure('6')).to.deep.equal({ code: -32600, message: 'cursor 6 exceeds total things 5', kind: 'invalidCursor' });
    expect(failure('0099')).to.deep.equal({ code: -32600, message: 'cursor 99 exceeds total things 5', kind: 'invalidCursor' });
    expect(failure('18446744073709551615').message).to.equal('cursor 18446744073709551615 exceeds total things 5');
  });

  it('visits every item exactly once, in order, when paging with any limit', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 40 }), fc.integer({ min: 0, max: 50 }), (list, limit) => {
        const seen: number[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: { data: number[]; nextCursor: string | null } = indexPage(list, { cursor, limit }, 'numbers');
          seen.push(...page.data);
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== null);
        expect(seen).to.deep.equal(list);
        expect(pages).to.equal(Math.max(1, Math.ceil(list.length / Math.max(1, limit))));
      }),
    );
  });
});
