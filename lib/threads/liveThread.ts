import { stat } from 'node:fs/promises';
import { BehaviorSubject, filter, firstValueFrom, type Observable, Subject } from 'rxjs';
import type { CollaborationMode, DynamicToolSpec, ModeKind, ResponseItem, Thread, UserInput } from '../protocol/index.js';
import type { RolloutLine } from '../rollout/rolloutLine.js';
import type { RolloutWriter } from '../rollout/rolloutWriter.js';
import { rolloutReducer, type RolloutState } from '../../reducers/rolloutReducer.js';
import { threadTurns } from '../../reducers/threadReducer.js';
import { readView, toThread } from '../../reducers/threadSummaryReducer.js';
import type { ConnectionSession } from '../server/connectionSession.js';
import { VERSION } from '../version.js';
import type { ConfigSettings } from '../config/configSettings.js';
import type { ModelCatalog } from '../model/modelCatalog.js';
import type { SessionSettings } from './sessionSettings.js';

/** A turn in flight, as far as thread-level methods need to know. */
export interface ActiveTurn {
  readonly id: string;
  /** Adds input to the turn's next sampling round (`turn/steer`). */
  steer(input: readonly UserInput[]): void;
  /**
   * Stops the turn; resolves once the interrupt is recorded, just before `turn/completed`
   * `interrupted` goes out, so the `turn/interrupt` answer precedes it as in the reference.
   */
  interrupt(): Promise<void>;
}

export interface LiveThreadInit {
  readonly id: string;
  readonly createdAt: Date;
  /** `null` for ephemeral threads, which have no rollout. */
  readonly writer: RolloutWriter | null;
  /** The persisted lines folded so far (a resumed file), or the empty state. */
  readonly state: RolloutState;
  readonly settings: SessionSettings;
  /** The typed effective config the session was resolved with (providers, features, …). */
  readonly config: ConfigSettings;
  readonly catalog: ModelCatalog;
  readonly dynamicTools: readonly DynamicToolSpec[];
}

/**
 * A loaded thread: the single place its events are persisted, folded and published.
 *
 * Every persisted event goes **write → fold → publish** (STYLE habit 2): `persist` appends the
 * lines to the rollout, folds them into `state` with the same reducers `thread/read` uses on the
 * file, and only then emits them on `events$`, so a client never sees what the file lacks and a
 * replay yields the state a live client saw. Ephemeral notifications (deltas, item starts) go to
 * the subscribed connections through `notify`.
 *
 * @example
 * await thread.persist([eventLine({ type: 'agent_message', message: 'hi' })]);
 * thread.state$.pipe(map((s) => threadTurns(s.thread).length)).subscribe(console.log);
 */
export class LiveThread {
  readonly id: string;
  readonly createdAt: Date;
  readonly writer: RolloutWriter | null;
  readonly dynamicTools: readonly DynamicToolSpec[];
  readonly config: ConfigSettings;
  readonly catalog: ModelCatalog;
  settings: SessionSettings;
  /** Connections that receive this thread's notifications and server requests. */
  readonly subscribers = new Set<ConnectionSession>();
  activeTurn: ActiveTurn | undefined;
  rollbackPending = false;
  /**
   * Context the next turn records before its user message: a resumed session's fresh initial
   * context, seeded at the first turn rather than at resume so a resume alone never touches the
   * file (SPEC §4.3).
   */
  pendingInitialContext: readonly ResponseItem[] = [];
  /** The collaboration mode later turns inherit (`turn/start.collaborationMode` is sticky). */
  collaborationMode: CollaborationMode | null = null;
  /** The mode whose instructions the history last recorded (`null`: none yet). */
  recordedMode: ModeKind | null = null;
  /** Commands (`cwd` + command) and files the user approved "for this session". */
  readonly approvedForSession = { commands: new Set<string>(), paths: new Set<string>() };

  private readonly stateSubject: BehaviorSubject<RolloutState>;
  private readonly eventsSubject = new Subject<RolloutLine>();
  /** Serializes `persist` calls: lines reach the file and the reducers in call order. */
  private persisting: Promise<void> = Promise.resolve();

  /** Persisted lines, as they are written (after the write, after the fold). */
  readonly events$: Observable<RolloutLine> = this.eventsSubject.asObservable();
  /** The folded state: current value first, then every change. */
  readonly state$: Observable<RolloutState>;

  constructor(init: LiveThreadInit) {
    this.id = init.id;
    this.createdAt = init.createdAt;
    this.writer = init.writer;
    this.settings = init.settings;
    this.config = init.config;
    this.catalog = init.catalog;
    this.dynamicTools = init.dynamicTools;
    this.stateSubject = new BehaviorSubject(init.state);
    this.state$ = this.stateSubject.asObservable();
  }

  get state(): RolloutState {
    return this.stateSubject.value;
  }

  get path(): string | null {
    return this.writer?.path ?? null;
  }

  get ephemeral(): boolean {
    return this.writer === null;
  }

  /** Write → fold → publish, in call order. Rejects (and publishes nothing) if the write fails. */
  persist(lines: readonly RolloutLine[]): Promise<void> {
    const run = async (): Promise<void> => {
      await this.writer?.append(lines);
      let state = this.stateSubject.value;
      for (const line of lines) state = rolloutReducer(state, line);
      this.stateSubject.next(state);
      for (const line of lines) this.eventsSubject.next(line);
    };
    const next = this.persisting.then(run);
    this.persisting = next.catch(() => undefined);
    return next;
  }

  /** Creates the rollout file if it does not exist yet (first user message, or a fork). */
  async materialize(): Promise<void> {
    await this.persisting;
    await this.writer?.materialize();
  }

  /**
   * Resolves once no subscribed connection's outbound queue is full: a turn awaits it between
   * model events, so a client that reads slowly slows the stream down instead of losing
   * notifications (the queue's overflow stays for bursts from elsewhere).
   */
  whenWritable(): Promise<void> | undefined {
    const full = [...this.subscribers].filter((s) => s.connection.saturated);
    if (full.length === 0) return undefined;
    return Promise.all(
      full.map((s) => firstValueFrom(s.connection.saturated$.pipe(filter((saturated) => !saturated)), { defaultValue: false })),
    ).then(() => undefined);
  }

  /** Sends a notification to every subscribed connection (each honours its opt-outs). */
  notify(method: string, params: unknown): void {
    for (const session of this.subscribers) session.notify(method, params);
  }

  /**
   * The wire `Thread`: from the folded rollout once there is one (with the file's mtime as
   * `updatedAt`, as the reference), else the live snapshot of a thread not yet written.
   */
  async toWire(includeTurns: boolean, now: Date): Promise<Thread> {
    // The state as of the call: lines folded while the mtime is read (a turn that started right
    // after a rollback, say) belong to a later answer.
    const state = this.state;
    const file = this.writer?.isMaterialized ? this.writer.path : undefined;
    if (file) {
      const mtime = await stat(file).then((s) => Math.floor(s.mtimeMs / 1000), () => undefined);
      const thread = toThread(readView(state.summary), includeTurns ? threadTurns(state.thread) : [], {
        path: file,
        ...(mtime === undefined ? {} : { updatedAt: mtime }),
        defaultModelProvider: this.settings.modelProvider,
      });
      if (thread) return thread;
    }
    return {
      id: this.id,
      preview: '',
      modelProvider: this.settings.modelProvider,
      createdAt: Math.floor(this.createdAt.getTime() / 1000),
      updatedAt: Math.floor(now.getTime() / 1000),
      path: this.path,
      cwd: this.settings.cwd,
      cliVersion: VERSION,
      source: 'vscode',
      gitInfo: null,
      turns: [],
    };
  }

  /** Flushes and closes the rollout; the thread is unusable afterwards. */
  async close(): Promise<void> {
    await this.activeTurn?.interrupt();
    await this.persisting;
    await this.writer?.close();
    this.eventsSubject.complete();
    this.stateSubject.complete();
  }
}
