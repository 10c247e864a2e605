import { randomBytes, randomInt } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { asyncScheduler, concat, defer, EMPTY, from, ignoreElements, map, Observable, of, race, Subject, Subscription, take, timer, type SchedulerLike } from 'rxjs';
import { findExecutable, nodeFsView } from '../../sandbox/fsView.js';
import { isLikelySandboxDenied } from '../../sandbox/denial.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { MAX_AGGREGATED_OUTPUT, neverRan, spawnFailureMessage, type ExecCall, type ExecEvent } from './events.js';
import { mergeEnv, UNIFIED_EXEC_ENV } from './execEnv.js';
import { HeadTailText } from './headTail.js';
import { DEFAULT_MAX_OUTPUT_TOKENS, formatUnifiedExecReport } from './modelOutput.js';
import type { ExecCommandPlan } from './plans.js';
import { ptyCommand } from './pty.js';
import { runProcess } from './runProcess.js';
import { nodeSpawner, type Spawner, type StdinWriter } from './spawner.js';
import { decodeToolArgs, WriteStdinArgs } from './toolArgs.js';

/** How long `write_stdin` waits for output: short after a write, at least 5 s for an empty poll so polling cannot spin. */
export const WRITE_YIELD_MS = { default: 250, min: 250, emptyPollMin: 5_000, max: 30_000 } as const;

/** Live sessions per manager; starting one more ends the least recently used (exited ones first). */
export const DEFAULT_MAX_SESSIONS = 64;

export interface UnifiedExecDeps {
  readonly sandbox: Sandbox;
  readonly spawner?: Spawner;
  /** Clock and timers (yield, drain). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** The commands' base environment. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * util-linux `script`, which gives `tty: true` sessions a pseudo-terminal. Default: looked up
   * in `PATH`; null (or not found) runs tty sessions on pipes, with stdin kept open.
   */
  readonly script?: string | null;
  /** Session ids; default random in [1000, 100000), as the reference. */
  readonly newSessionId?: () => number;
  /** Chunk ids for the model's output; default 6 random hex digits. */
  readonly newChunkId?: () => string;
  readonly maxSessions?: number;
}

interface Session {
  readonly id: number;
  /** Call id of the `exec_command` that started it: the item its output belongs to. */
  readonly itemId: string;
  /** Whether stdin is open for `write_stdin` (tty sessions only). */
  readonly interactive: boolean;
  readonly events: Subject<ExecEvent>;
  readonly aggregated: HeadTailText;
  /** Output the model has not read yet. */
  unread: HeadTailText;
  stdin: StdinWriter | null;
  kill: (() => void) | null;
  process: Subscription;
  /** Set once the process is over: its exit code, or why it never ran. */
  outcome: { readonly exitCode: number } | { readonly failure: string } | null;
  readonly ended: Promise<void>;
  markEnded: () => void;
  lastUsed: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Unified exec: `exec_command` starts a command through the user's shell and answers after
 * `yield_time_ms` (or as soon as it exits); a command still running keeps a session the model
 * reads and writes with `write_stdin`. One instance per thread; call {@link closeAll} when the
 * turn is interrupted or the thread closes.
 *
 * Without `tty`, the command's stdin is `/dev/null` (as the reference: a command waiting for
 * input would otherwise hang silently) and `write_stdin` can only poll. With `tty`, the command
 * runs on a pseudo-terminal made by util-linux `script` (no native addon), whose output carries
 * terminal echo and `\r\n` line ends like any terminal.
 *
 * @example
 * const exec = new UnifiedExec({ sandbox: createSandbox() });
 * const plan = planExecCommand(args, { cwd, defaultShell: defaultUserShell(process.env) });
 * if (E.isRight(plan)) exec.exec(plan.right, { callId, sandboxPolicy }).subscribe(handleExecEvent);
 * exec.writeStdin('{"session_id":1234,"chars":"q"}', { callId: 'call_2' }).subscribe(handleExecEvent);
 * await exec.closeAll();
 */
export class UnifiedExec {
  private readonly sessions = new Map<number, Session>();
  private readonly scheduler: SchedulerLike;
  private readonly script: string | null;
  /** Bumped by closeAll, so a command still waiting for its sandbox does not start afterwards. */
  private epoch = 0;

  constructor(private readonly deps: UnifiedExecDeps) {
    this.scheduler = deps.scheduler ?? asyncScheduler;
    this.script = deps.script !== undefined ? deps.script : findExecutable('script', (deps.env ?? process.env)['PATH'], nodeFsView);
  }

  /** Ids of the sessions still held (running, or exited with output the model has not read). */
  get sessionIds(): number[] {
    return [...this.sessions.keys()];
  }

  /**
   * Runs an `exec_command` plan. Emits `begin`, output deltas, the `toolOutput` once the yield
   * time passes or the command exits, and `end` when the process is over — which, for a
   * command left running, is after the tool call was answered. Unsubscribing while the sandbox
   * is being prepared cancels the command; once it runs, unsubscribing only stops the events
   * and the session lives until it exits or {@link closeAll}.
   */
  exec(plan: ExecCommandPlan, call: ExecCall): Observable<ExecEvent> {
    return new Observable<ExecEvent>((subscriber) => {
      const startedAt = this.scheduler.now();
      const epoch = this.epoch;
      const id = this.allocateId();
      const itemId = call.callId;
      const processId = String(id);
      subscriber.next({ type: 'begin', itemId, processId, command: plan.command, cwd: plan.cwd, commandActions: plan.commandActions });

      const env = mergeEnv(this.deps.env ?? process.env, UNIFIED_EXEC_ENV);
      const pty = plan.tty && this.script !== null ? ptyCommand(this.script, plan.argv, env['SHELL']) : null;
      const listening = new Subscription();
      let active = true;
      void this.deps.sandbox.prepare(pty?.argv ?? plan.argv, call.sandboxPolicy, plan.cwd).then((prepared) => {
        if (!active) return;
        if (E.isLeft(prepared) || epoch !== this.epoch) {
          const message = E.isLeft(prepared) ? prepared.left.message : 'command not started: its session was closed';
          for (const event of neverRan(itemId, processId, message)) subscriber.next(event);
          subscriber.complete();
          return;
        }
        const session = this.open(id, itemId, plan.tty);
        let answered = false;
        let ended = false;
        listening.add(
          session.events.subscribe({
            next: (event) => subscriber.next(event),
            complete: () => {
              ended = true;
              if (answered) subscriber.complete();
            },
          }),
        );
        listening.add(
          this.report(session, plan.yieldTimeMs, plan.maxOutputTokens, startedAt).subscribe((answer) => {
            subscriber.next({ type: 'toolOutput', callId: call.callId, ...answer });
            answered = true;
            if (ended) subscriber.complete();
          }),
        );
        this.start(session, plan.command, {
          argv: prepared.right.argv,
          cwd: plan.cwd,
          env: mergeEnv(env, pty?.env ?? {}, prepared.right.env),
          stdin: plan.tty ? 'pipe' : 'null',
          sandboxed: prepared.right.sandboxed,
        });
      });
      return () => {
        active = false;
        listening.unsubscribe();
      };
    });
  }

  /**
   * Answers a `write_stdin` call: writes `chars` to the session (a `terminalInteraction` on the
   * session's item), waits for output, and reports it with the exit code once the process is
   * over. Unknown sessions and writes to a non-tty session are answered with an error text.
   */
  writeStdin(raw: unknown, call: { readonly callId: string }): Observable<ExecEvent> {
    return defer(() => {
      const fail = (message: string) => of<ExecEvent>({ type: 'toolOutput', callId: call.callId, output: `write_stdin failed: ${message}`, success: false });
      const decoded = decodeToolArgs(WriteStdinArgs, raw);
      if (E.isLeft(decoded)) return of<ExecEvent>({ type: 'toolOutput', callId: call.callId, output: decoded.left, success: false });
      const args = decoded.right;
      const session = this.sessions.get(args.session_id);
      if (session === undefined) return fail(`Unknown process id ${args.session_id}`);
      const chars = args.chars ?? '';
      if (chars !== '' && !session.interactive) {
        return fail('stdin is closed for this session; rerun exec_command with tty=true to keep stdin open');
      }
      const startedAt = this.scheduler.now();
      const yieldMs = clamp(
        args.yield_time_ms ?? WRITE_YIELD_MS.default,
        chars === '' ? WRITE_YIELD_MS.emptyPollMin : WRITE_YIELD_MS.min,
        WRITE_YIELD_MS.max,
      );
      const write: Observable<ExecEvent> =
        chars === ''
          ? EMPTY
          : concat(
              of<ExecEvent>({ type: 'terminalInteraction', itemId: session.itemId, processId: String(session.id), stdin: chars }),
              defer(() => from(session.stdin?.write(chars) ?? Promise.resolve(false))).pipe(ignoreElements()),
            );
      const answer = this.report(session, yieldMs, args.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS, startedAt).pipe(
        map((result): ExecEvent => ({ type: 'toolOutput', callId: call.callId, ...result })),
      );
      return concat(write, answer);
    });
  }

  /**
   * Kills every session (whole process trees) and forgets them; resolves once all have ended.
   * Their `exec` streams still deliver the final output and `end`.
   *
   * @example
   * turnInterrupted$.subscribe(() => void exec.closeAll());
   */
  closeAll(): Promise<void> {
    this.epoch++;
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) this.terminate(session);
    return Promise.all(sessions.map((session) => session.ended)).then(() => undefined);
  }

  private allocateId(): number {
    const next = this.deps.newSessionId ?? (() => randomInt(1000, 100_000));
    for (;;) {
      const id = next();
      if (!this.sessions.has(id)) return id;
    }
  }

  private open(id: number, itemId: string, interactive: boolean): Session {
    if (this.sessions.size >= (this.deps.maxSessions ?? DEFAULT_MAX_SESSIONS)) this.evictOne();
    let markEnded = () => {};
    const ended = new Promise<void>((done) => (markEnded = done));
    const session: Session = {
      id,
      itemId,
      interactive,
      events: new Subject<ExecEvent>(),
      aggregated: new HeadTailText(MAX_AGGREGATED_OUTPUT),
      unread: new HeadTailText(MAX_AGGREGATED_OUTPUT),
      stdin: null,
      kill: null,
      process: Subscription.EMPTY,
      outcome: null,
      ended,
      markEnded,
      lastUsed: this.scheduler.now(),
    };
    this.sessions.set(id, session);
    return session;
  }

  private evictOne(): void {
    const byAge = [...this.sessions.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    const victim = byAge.find((session) => session.outcome !== null) ?? byAge[0];
    if (victim === undefined) return;
    this.sessions.delete(victim.id);
    this.terminate(victim);
  }

  private terminate(session: Session): void {
    if (session.outcome !== null) return;
    if (session.kill !== null) return session.kill(); // the run then ends normally, output drained
    // Not started yet: nothing to drain, end it here.
    session.process.unsubscribe();
    this.finish(session, { failure: 'command killed before it started' }, 0, false);
  }

  private start(
    session: Session,
    command: string,
    request: { argv: readonly string[]; cwd: string; env: Record<string, string>; stdin: 'pipe' | 'null'; sandboxed: boolean },
  ): void {
    const { itemId } = session;
    const runDeps = { spawner: this.deps.spawner ?? nodeSpawner, scheduler: this.scheduler };
    session.process = runProcess(request, runDeps).subscribe({
      next: (event) => {
        switch (event.type) {
          case 'started':
            session.stdin = event.stdin;
            session.kill = event.kill;
            return;
          case 'output':
            session.unread.push(event.text);
            session.aggregated.push(event.text);
            session.events.next({ type: 'outputDelta', itemId, stream: event.stream, delta: event.text });
            return;
          case 'exited':
            this.finish(session, { exitCode: event.exitCode }, event.durationMs, request.sandboxed);
            return;
        }
      },
      error: (error: unknown) => this.finish(session, { failure: spawnFailureMessage(error, command) }, 0, false),
    });
  }

  private finish(session: Session, outcome: NonNullable<Session['outcome']>, durationMs: number, sandboxed: boolean): void {
    if (session.outcome !== null) return;
    session.outcome = outcome;
    session.stdin = null;
    const exitCode = 'exitCode' in outcome ? outcome.exitCode : null;
    const aggregatedOutput = 'failure' in outcome ? outcome.failure : session.aggregated.toString();
    session.events.next({
      type: 'end',
      itemId: session.itemId,
      processId: String(session.id),
      status: exitCode === 0 ? 'completed' : 'failed',
      exitCode,
      aggregatedOutput,
      durationMs,
      timedOut: false,
      sandboxDenied: isLikelySandboxDenied({ sandboxed, exitCode, output: aggregatedOutput }),
    });
    session.events.complete();
    session.markEnded();
  }

  /** Waits for the yield time or the end of the process, then hands the model what it has not read yet. */
  private report(session: Session, yieldMs: number, maxOutputTokens: number, startedAt: number): Observable<{ output: string; success: boolean }> {
    return race(timer(yieldMs, this.scheduler), from(session.ended)).pipe(
      take(1),
      map(() => {
        const now = this.scheduler.now();
        session.lastUsed = now;
        const output = session.unread.toString();
        session.unread = new HeadTailText(MAX_AGGREGATED_OUTPUT);
        const outcome = session.outcome;
        // An exited session has nothing more to give once read.
        if (outcome !== null && this.sessions.get(session.id) === session) this.sessions.delete(session.id);
        if (outcome !== null && 'failure' in outcome) return { output: outcome.failure, success: false };
        const report = formatUnifiedExecReport({
          chunkId: this.deps.newChunkId?.() ?? randomBytes(3).toString('hex'),
          wallTimeMs: now - startedAt,
          exitCode: outcome?.exitCode ?? null,
          sessionId: outcome === null ? session.id : null,
          output,
          maxOutputTokens,
        });
        return { output: report, success: true };
      }),
    );
  }
}
