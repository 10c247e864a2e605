// The client's controller: which thread is open, its live view, and every thread action as one
// method that talks to the server and updates `state$`. Views render `state$` and call these
// methods; they never hold protocol state of their own.

import { BehaviorSubject, Subject } from 'rxjs';
import type { CollaborationMode, Thread, ThreadItem, ThreadSessionResponse } from './protocol.js';
import { textInput } from './protocol.js';
import { RpcError, type RpcClient, type RpcNotification } from './rpc.js';
import { activeTurn, reduceThread, threadView, type ThreadView } from './threadState.js';

export interface OpenThread {
  /** The summary: preview, provider, cwd, timestamps (turns left out). */
  readonly thread: Thread;
  readonly archived: boolean;
  /** Turns and items; null while loading, and for an archived thread (it cannot be read). */
  readonly view: ThreadView | null;
  /** The thread's model (from `thread/start`, `resume` or `fork`); null until subscribed. */
  readonly model: string | null;
}

export interface AppState {
  readonly open: OpenThread | null;
  /**
   * The provider new threads get: `model_provider` of the server's effective config, else
   * `replay` when the server's default model is the offline demo's (`rxagent serve` without
   * credentials), else null (unknown).
   */
  readonly configuredProvider: string | null;
  /** A long action in flight ("Rolling back…"), shown in the thread header. */
  readonly busy: string | null;
}

const NAMES_KEY = 'rxagent.threadNames';

const loadNames = (): Map<string, string> => {
  try {
    return new Map(Object.entries(JSON.parse(localStorage.getItem(NAMES_KEY) ?? '{}') as Record<string, string>));
  } catch {
    return new Map();
  }
};

/** The provider of the offline demo model `rxagent serve` falls back to without credentials. */
export const REPLAY_PROVIDER = 'replay';
/** The offline demo's model: the server's default model when it runs without credentials. */
const REPLAY_MODEL = 'replay-demo';

/** A new thread's summary gets its preview from its first user message, as `thread/list` would show it. */
const withPreview = (thread: Thread, params: unknown): Thread => {
  const { threadId, item } = params as { threadId: string; item: ThreadItem };
  if (threadId !== thread.id || item.type !== 'userMessage') return thread;
  const text = item.content.map((input) => (input.type === 'text' ? input.text : '')).join(' ').trim();
  return text ? { ...thread, preview: text } : thread;
};

/**
 * @example
 * const app = new App(rpc);
 * await app.newThread();
 * await app.sendTurn('Hello', { plan: false });
 */
export class App {
  readonly state$ = new BehaviorSubject<AppState>({ open: null, configuredProvider: null, busy: null });
  /** Messages for the error toast. */
  readonly errors$ = new Subject<string>();
  /** Something changed that the thread list shows (a turn ended, a thread was archived, …). */
  readonly threadsChanged$ = new Subject<void>();
  /**
   * Thread names set through `thread/name/set`. The protocol keeps names out of `Thread`, so the
   * client remembers the ones it has seen (`thread/name/updated`) in localStorage.
   */
  readonly names$ = new BehaviorSubject<ReadonlyMap<string, string>>(loadNames());

  /** Threads this connection is subscribed to; a new connection starts with none. */
  private subscribed = new Set<string>();
  /** The collaboration mode last sent per thread: `default` must be sent to leave plan mode (it is sticky). */
  private readonly modes = new Map<string, 'plan' | 'default'>();
  private opening = 0;

  constructor(private readonly rpc: RpcClient) {
    rpc.notifications$.subscribe((notification) => this.onNotification(notification));
    rpc.ready$.subscribe(() => void this.onReady());
  }

  get state(): AppState {
    return this.state$.value;
  }

  /** The effective provider: the open thread's, else the configured one. */
  get provider(): string | null {
    return this.state.open?.thread.modelProvider ?? this.state.configuredProvider;
  }

  private set(patch: Partial<AppState>): void {
    this.state$.next({ ...this.state, ...patch });
  }

  private setOpen(change: (open: OpenThread) => OpenThread, threadId: string): void {
    const open = this.state.open;
    if (open && open.thread.id === threadId) this.set({ open: change(open) });
  }

  private async onReady(): Promise<void> {
    this.subscribed = new Set();
    this.threadsChanged$.next();
    void this.readDefaultProvider();
    // A new connection (the server restarted, or the network came back): show the open thread again.
    const open = this.state.open;
    if (open) await this.openThread(open.thread, open.archived, { resume: open.model !== null });
  }

  private async readDefaultProvider(): Promise<void> {
    try {
      const [config, models] = await Promise.all([
        this.rpc.call<{ config?: { model_provider?: string | null } }>('config/read', {}),
        this.rpc.call<{ data: ReadonlyArray<{ id: string; isDefault: boolean }> }>('model/list', {}),
      ]);
      const configured = config.config?.model_provider ?? null;
      const defaultModel = models.data.find((model) => model.isDefault)?.id;
      this.set({ configuredProvider: configured ?? (defaultModel === REPLAY_MODEL ? REPLAY_PROVIDER : null) });
    } catch {
      // Older servers may lack one of these: the notice then waits for a thread's provider.
    }
  }

  private onNotification({ method, params }: RpcNotification): void {
    const open = this.state.open;
    if (open?.view) {
      const view = reduceThread(open.view, method, params);
      const thread = method === 'item/started' && open.thread.preview === '' ? withPreview(open.thread, params) : open.thread;
      if (view !== open.view || thread !== open.thread) this.set({ open: { ...open, thread, view } });
    }
    if (method === 'thread/name/updated') {
      const { threadId, threadName } = params as { threadId: string; threadName?: string | null };
      this.rememberName(threadId, threadName ?? null);
    } else if (method === 'turn/completed' || method === 'thread/started') {
      this.threadsChanged$.next();
    }
  }

  private rememberName(threadId: string, name: string | null): void {
    const names = new Map(this.names$.value);
    if (name) names.set(threadId, name);
    else names.delete(threadId);
    this.names$.next(names);
    try {
      localStorage.setItem(NAMES_KEY, JSON.stringify(Object.fromEntries(names)));
    } catch {
      // Storage may be unavailable (private mode); names then last for the page's life.
    }
  }

  /** Runs `action`, reporting a failure on the toast instead of throwing. */
  private async attempt<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.errors$.next(`${what}: ${message}`);
      return undefined;
    }
  }

  private async busy<T>(label: string, action: () => Promise<T>): Promise<T | undefined> {
    this.set({ busy: label });
    try {
      return await this.attempt(label.replace(/…$/, ''), action);
    } finally {
      this.set({ busy: null });
    }
  }

  /** `thread/start`: a new thread, open and subscribed. */
  async newThread(): Promise<void> {
    await this.attempt('Starting a thread', async () => {
      const response = await this.rpc.call<ThreadSessionResponse>('thread/start', {});
      this.adopt(response);
    });
  }

  /** Opens a thread from a `thread/start`/`resume`/`fork` response (the connection is subscribed). */
  private adopt(response: ThreadSessionResponse): void {
    this.opening += 1;
    this.subscribed.add(response.thread.id);
    this.set({
      open: {
        thread: { ...response.thread, modelProvider: response.modelProvider, turns: [] },
        archived: false,
        view: threadView(response.thread.id, response.thread.turns),
        model: response.model,
      },
    });
    this.threadsChanged$.next();
  }

  /**
   * Shows a thread: its history from `thread/read` (with turns; a thread without a first message
   * has none yet). With `resume`, subscribes at once (used after a reconnect for a thread that
   * was live); otherwise `thread/resume` waits for the first action that needs the thread loaded.
   */
  async openThread(summary: Thread, archived: boolean, options: { resume?: boolean } = {}): Promise<void> {
    const ticket = ++this.opening;
    const threadId = summary.id;
    const model = this.state.open?.thread.id === threadId ? this.state.open.model : null;
    this.set({ open: { thread: { ...summary, turns: [] }, archived, view: null, model: archived ? null : model } });
    if (archived) return;
    await this.attempt('Opening the thread', async () => {
      const thread = await this.readThread(threadId);
      if (ticket !== this.opening) return;
      this.set({ open: { thread: { ...thread, turns: [] }, archived: false, view: threadView(threadId, thread.turns), model } });
      if (options.resume) await this.ensureSubscribed();
    });
  }

  /** Opens a thread by id (the page's `#thread=` on load). */
  async openThreadById(threadId: string): Promise<void> {
    const ticket = ++this.opening;
    await this.attempt('Opening the thread', async () => {
      const thread = await this.readThread(threadId);
      if (ticket !== this.opening) return;
      this.set({ open: { thread: { ...thread, turns: [] }, archived: false, view: threadView(threadId, thread.turns), model: null } });
    });
  }

  private async readThread(threadId: string): Promise<Thread> {
    try {
      return (await this.rpc.call<{ thread: Thread }>('thread/read', { threadId, includeTurns: true })).thread;
    } catch (error) {
      // Started but no message yet: there is a summary but no history to read.
      if (error instanceof RpcError && error.kind === 'threadNotMaterialized') {
        return (await this.rpc.call<{ thread: Thread }>('thread/read', { threadId, includeTurns: false })).thread;
      }
      throw error;
    }
  }

  /** `thread/resume` once per connection before anything that needs the thread loaded. */
  private async ensureSubscribed(): Promise<OpenThread> {
    const open = this.state.open;
    if (!open) throw new Error('no thread is open');
    const threadId = open.thread.id;
    if (this.subscribed.has(threadId) && open.model !== null) return open;
    const response = await this.rpc.call<ThreadSessionResponse>('thread/resume', { threadId });
    this.subscribed.add(threadId);
    // The resume answer is the thread as the server holds it: it replaces what was read.
    this.setOpen(
      (current) => ({
        ...current,
        thread: { ...current.thread, modelProvider: response.modelProvider },
        view: threadView(threadId, response.thread.turns),
        model: response.model,
      }),
      threadId,
    );
    return this.state.open as OpenThread;
  }

  /** `turn/start` with `text`; in plan mode (or leaving it) with `collaborationMode`. */
  async sendTurn(text: string, options: { plan: boolean }): Promise<boolean> {
    const done = await this.attempt('Starting the turn', async () => {
      const open = await this.ensureSubscribed();
      const threadId = open.thread.id;
      const mode: 'plan' | 'default' = options.plan ? 'plan' : 'default';
      const params: Record<string, unknown> = { threadId, input: [textInput(text)] };
      if (options.plan || this.modes.get(threadId) === 'plan') {
        const collaborationMode: CollaborationMode = {
          mode,
          settings: { model: open.model ?? '', reasoning_effort: null, developer_instructions: null },
        };
        params.collaborationMode = collaborationMode;
      }
      const { turn } = await this.rpc.call<{ turn: { id: string; status: 'inProgress'; items: []; error: null } }>('turn/start', params);
      this.modes.set(threadId, mode);
      this.setOpen((current) => (current.view ? { ...current, view: reduceThread(current.view, 'turn/started', { threadId, turn }) } : current), threadId);
      return true;
    });
    return done ?? false;
  }

  /** `turn/steer`: more input for the running turn. */
  async steer(text: string): Promise<boolean> {
    const done = await this.attempt('Steering', async () => {
      const open = await this.ensureSubscribed();
      const turn = activeTurn(open.view);
      if (!turn) throw new Error('no turn is running');
      await this.rpc.call('turn/steer', { threadId: open.thread.id, input: [textInput(text)], expectedTurnId: turn.id });
      return true;
    });
    return done ?? false;
  }

  /** `turn/interrupt` of the running turn (answered once the turn has stopped). */
  async interrupt(): Promise<void> {
    await this.attempt('Interrupting', async () => {
      const open = this.state.open;
      const turn = activeTurn(open?.view ?? null);
      if (!open || !turn) return;
      await this.rpc.call('turn/interrupt', { threadId: open.thread.id, turnId: turn.id });
    });
  }

  /** `thread/rollback`: drops the last `numTurns` turns; the answer is the thread as it is now. */
  async rollback(numTurns: number): Promise<void> {
    await this.busy('Rolling back…', async () => {
      const open = await this.ensureSubscribed();
      const threadId = open.thread.id;
      const { thread } = await this.rpc.call<{ thread: Thread }>('thread/rollback', { threadId, numTurns });
      this.setOpen((current) => ({ ...current, thread: { ...thread, turns: [] }, view: threadView(threadId, thread.turns) }), threadId);
      this.threadsChanged$.next();
    });
  }

  /** `thread/compact/start`: progress arrives as a `contextCompaction` item in a turn of its own. */
  async compact(): Promise<void> {
    await this.attempt('Compacting', async () => {
      const open = await this.ensureSubscribed();
      await this.rpc.call('thread/compact/start', { threadId: open.thread.id });
    });
  }

  /** `thread/fork`: opens the copy. */
  async fork(): Promise<void> {
    await this.busy('Forking…', async () => {
      const open = this.state.open;
      if (!open) return;
      this.adopt(await this.rpc.call<ThreadSessionResponse>('thread/fork', { threadId: open.thread.id }));
    });
  }

  /** `thread/archive`: the thread stays on screen, marked archived (it can be unarchived). */
  async archive(): Promise<void> {
    await this.busy('Archiving…', async () => {
      const open = this.state.open;
      if (!open) return;
      const threadId = open.thread.id;
      await this.rpc.call('thread/archive', { threadId });
      this.subscribed.delete(threadId);
      this.setOpen((current) => ({ ...current, archived: true, model: null }), threadId);
      this.threadsChanged$.next();
    });
  }

  /** `thread/unarchive`: moves it back and reopens it. */
  async unarchive(): Promise<void> {
    await this.busy('Unarchiving…', async () => {
      const open = this.state.open;
      if (!open) return;
      const { thread } = await this.rpc.call<{ thread: Thread }>('thread/unarchive', { threadId: open.thread.id });
      this.threadsChanged$.next();
      await this.openThread(thread, false);
    });
  }

  /** `thread/name/set` (the thread must be loaded, so it is resumed first). */
  async rename(name: string): Promise<void> {
    await this.attempt('Renaming', async () => {
      const open = await this.ensureSubscribed();
      await this.rpc.call('thread/name/set', { threadId: open.thread.id, name });
      this.rememberName(open.thread.id, name.trim());
    });
  }

  /** Closes the open thread (nothing is sent: the subscription lasts for the connection). */
  close(): void {
    this.opening += 1;
    this.set({ open: null });
  }
}
