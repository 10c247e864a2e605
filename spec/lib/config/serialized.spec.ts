import { expect } from 'chai';
import { Serialized } from '../../../lib/config/serialized.js';

describe('Serialized', () => {
  it('runs tasks of one key one after another, in call order, even when one fails', async () => {
    const queue = new Serialized();
    const log: string[] = [];
    const task = (name: string, fail = false) => async () => {
      log.push(`start ${name}`);
      await new Promise<void>((resolve) => setImmediate(resolve));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.run('k', task('a')), queue.run('k', task('b', true)), queue.run('k', task('c'))]);
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('lets tasks of different keys overlap', async () => {
    const queue = new Serialized();
    let release!: () => void;
    const blocked = queue.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    expect(await queue.run('b', async () => 'b done')).to.equal('b done');
    release();
    await blocked;
  });
});
