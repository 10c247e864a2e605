import { expect } from 'chai';
import type { LiveThread } from '../../../lib/threads/liveThread.js';
import { ThreadManager } from '../../../lib/threads/threadManager.js';

// The manager only reads `id`; a stand-in keeps the spec about loading, not about threads.
const thread = (id: string): LiveThread => ({ id }) as LiveThread;

describe('ThreadManager.load', () => {
  it('loads a thread once however many ask for it at the same time, and serves it from memory after', async () => {
    const manager = new ThreadManager();
    let loads = 0;
    const loader = async (): Promise<LiveThread> => {
      loads += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return thread('t1');
    };
    const [a, b] = await Promise.all([manager.load('t1', loader), manager.load('t1', loader)]);
    expect(a).to.equal(b);
    expect(await manager.load('t1', loader)).to.equal(a);
    expect(loads).to.equal(1);
    expect(manager.loadedIds()).to.deep.equal(['t1']);
  });

  it('gives the loaded thread to a load by path that finds the same id', async () => {
    const manager = new ThreadManager();
    const loaded = await manager.load('t1', async () => thread('t1'));
    const byPath = await manager.load(undefined, async () => thread('t1'));
    expect(byPath).to.equal(loaded);
  });

  it('forgets a load that failed, so the next request tries again', async () => {
    const manager = new ThreadManager();
    const failed = await manager.load('t1', async () => Promise.reject(new Error('unreadable'))).then(
      () => 'loaded',
      (err: Error) => err.message,
    );
    expect(failed).to.equal('unreadable');
    expect(manager.loadedIds()).to.deep.equal([]);
    expect((await manager.load('t1', async () => thread('t1'))).id).to.equal('t1');
  });

  it('removes a thread only after a load of it in flight has ended', async () => {
    const manager = new ThreadManager();
    let finish!: () => void;
    const loading = manager.load('t1', () => new Promise<LiveThread>((resolve) => (finish = () => resolve(thread('t1')))));
    const removed = manager.remove('t1');
    finish();
    expect(await removed).to.equal(await loading);
    expect(manager.loadedIds()).to.deep.equal([]);
  });
});
