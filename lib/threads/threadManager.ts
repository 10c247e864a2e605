import type { ConnectionSession } from '../server/connectionSession.js';
import type { LiveThread } from './liveThread.js';

/**
 * The loaded threads and who listens to them. A connection subscribes by starting, resuming or
 * forking a thread; it is dropped from every thread when it closes (SPEC §1.5).
 *
 * @example
 * manager.add(thread); manager.subscribe(thread, ctx.session);
 * manager.get(threadId)?.notify('thread/name/updated', params);
 */
export class ThreadManager {
  private readonly threads = new Map<string, LiveThread>();
  /** Loads in flight, by thread id: a second request for the same thread waits for the first. */
  private readonly loading = new Map<string, Promise<LiveThread>>();
  private readonly watched = new WeakSet<ConnectionSession>();

  get(id: string): LiveThread | undefined {
    return this.threads.get(id);
  }

  add(thread: LiveThread): void {
    this.threads.set(thread.id, thread);
  }

  /**
   * The loaded thread `id`, else the one `loader` reads — once, however many requests ask for it
   * at the same time, so every client that resumes a thread shares one `LiveThread` (and sees its
   * turns). A thread loaded by path (`id` unknown beforehand) that turns out to be loaded already
   * is the loaded one; the fresh copy has written nothing and is dropped.
   *
   * @example
   * const thread = await manager.load(threadId, () => resumeThread(deps, path, request));
   */
  load(id: string | undefined, loader: () => Promise<LiveThread>): Promise<LiveThread> {
    const loaded = id === undefined ? undefined : (this.threads.get(id) ?? this.loading.get(id));
    if (loaded !== undefined) return Promise.resolve(loaded);
    const loading = loader().then((thread) => {
      const existing = this.threads.get(thread.id);
      if (existing !== undefined) return existing;
      this.threads.set(thread.id, thread);
      return thread;
    });
    if (id !== undefined) {
      this.loading.set(id, loading);
      const done = (): void => void this.loading.delete(id);
      loading.then(done, done);
    }
    return loading;
  }

  /**
   * Forgets a thread (archive) once any load of it in flight has ended, so a thread being resumed
   * is not left loaded behind the caller; the caller closes what it gets.
   */
  async remove(id: string): Promise<LiveThread | undefined> {
    await this.loading.get(id)?.catch(() => undefined);
    const thread = this.threads.get(id);
    this.threads.delete(id);
    return thread;
  }

  /** Ids of loaded threads, sorted as `thread/loaded/list` returns them. */
  loadedIds(): string[] {
    return [...this.threads.keys()].sort();
  }

  subscribe(thread: LiveThread, session: ConnectionSession): void {
    thread.subscribers.add(session);
    if (this.watched.has(session)) return;
    this.watched.add(session);
    session.connection.closed$.subscribe(() => {
      for (const t of this.threads.values()) t.subscribers.delete(session);
    });
  }

  /** Closes every loaded thread (server shutdown). */
  async closeAll(): Promise<void> {
    const threads = [...this.threads.values()];
    this.threads.clear();
    await Promise.all(threads.map((t) => t.close()));
  }
}
