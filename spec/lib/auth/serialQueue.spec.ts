import { expect } from 'chai';
import { SerialQueue } from '../../../lib/auth/serverAuth.js';

const deferred = (): { promise: Promise<string>; resolve: (v: string) => void; reject: (e: Error) => void } => {
  let resolve!: (v: string) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('SerialQueue', () => {
  it('runs an operation at once, synchronously, when nothing is pending', () => {
    const queue = new SerialQueue();
    expect(queue.run(() => 'now')).to.equal('now');
    expect(() => queue.run(() => { throw new Error('sync failure'); })).to.throw('sync failure');
  });

  it('starts each operation only after the earlier ones settled, in arrival order', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const first = deferred();
    const a = queue.run(() => (log.push('a starts'), first.promise));
    const b = queue.run(() => (log.push('b starts'), 'b'));
    const c = queue.run(async () => (log.push('c starts'), 'c'));
    await Promise.resolve();
    expect(log).to.deep.equal(['a starts']);
    first.resolve('a');
    expect(await Promise.all([a, b, c])).to.deep.equal(['a', 'b', 'c']);
    expect(log).to.deep.equal(['a starts', 'b starts', 'c starts']);
    expect(queue.run(() => 'idle again')).to.equal('idle again');
  });

  it('goes on after a failure, which reaches only its own caller', async () => {
    const queue = new SerialQueue();
    const failing = deferred();
    const a = queue.run(() => failing.promise);
    const b = queue.run(() => 'b');
    failing.reject(new Error('a failed'));
    await Promise.resolve(a).then(() => expect.fail('a should fail'), (err: Error) => expect(err.message).to.equal('a failed'));
    expect(await b).to.equal('b');
  });
});
