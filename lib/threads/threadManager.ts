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
  private readonly watched = new WeakSet<ConnectionSession>();

  get(id: string): LiveThread | undefined {
    return this.threads.get(id);
  }

  add(thread: LiveThread): void {
    this.threads.set(thread.id, thread);
  }

  /** Forgets a thread (archive); the caller closes it. */
  remove(id: string): LiveThread | undefined {
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
