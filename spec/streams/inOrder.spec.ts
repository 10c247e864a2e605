import { expect } from 'chai';
import fc from 'fast-check';
import { from, Subject, throwError } from 'rxjs';
import { inOrder } from '../../streams/inOrder.js';

/** A promise settled from outside, to hold a handler as long as the test wants. */
const deferred = (): { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } => {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** Lets every pending promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const state = (promise: Promise<void>): Promise<string> =>
  Promise.race([promise.then(() => 'resolved', (err: unknown) => `rejected: ${(err as Error).message}`), settle().then(() => 'pending')]);

describe('inOrder', () => {
  it('handles values synchronously, as they arrive, while the handler returns nothing', async () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    const done = inOrder(source, (n) => void seen.push(n));
    source.next(1);
    expect(seen).to.deep.equal([1]);
    source.next(2);
    expect(seen).to.deep.equal([1, 2]);
    expect(await state(done)).to.equal('pending');
    source.complete();
    expect(await state(done)).to.equal('resolved');
  });

  it('holds later values while a returned promise is pending, then handles them in order', async () => {
    const source = new Subject<string>();
    const seen: string[] = [];
    const hold = deferred();
    const done = inOrder(source, (value) => {
      seen.push(value);
      return value === 'persist' ? hold.promise : undefined;
    });
    source.next('a');
    source.next('persist');
    source.next('b');
    source.next('c');
    source.complete();
    expect(seen).to.deep.equal(['a', 'persist']);
    expect(await state(done)).to.equal('pending');
    hold.resolve();
    expect(await state(done)).to.equal('resolved');
    expect(seen).to.deep.equal(['a', 'persist', 'b', 'c']);
  });

  it('rejects with a handler’s error, thrown or returned, handles nothing more and stops the source', async () => {
    for (const failing of [
      (): never => {
        throw new Error('boom');
      },
      (): Promise<void> => Promise.reject(new Error('boom')),
    ]) {
      const source = new Subject<number>();
      const seen: number[] = [];
      const done = inOrder(source, (n) => {
        seen.push(n);
        return n === 2 ? failing() : undefined;
      });
      source.next(1);
      source.next(2);
      source.next(3);
      expect(await state(done)).to.equal('rejected: boom');
      expect(seen).to.deep.equal([1, 2]);
      expect(source.observed).to.equal(false);
    }
  });

  it('rejects with the source’s error, also one raised while subscribing', async () => {
    const source = new Subject<number>();
    const done = inOrder(source, () => undefined);
    source.error(new Error('stream broke'));
    expect(await state(done)).to.equal('rejected: stream broke');
    expect(await state(inOrder(throwError(() => new Error('at once')), () => undefined))).to.equal('rejected: at once');
  });

  it('handles every value exactly once and in order, whichever handlers wait', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 40 }), async (waits) => {
        const seen: number[] = [];
        let active = 0;
        await inOrder(from(waits.map((_, i) => i)), (i) => {
          expect(active).to.equal(0);
          seen.push(i);
          if (!waits[i]) return undefined;
          active += 1;
          return settle().then(() => {
            active -= 1;
          });
        });
        expect(seen).to.deep.equal(waits.map((_, i) => i));
      }),
    );
  });
});
