import { constants } from 'node:os';
import { TextDecoder } from 'node:util';
import { asyncScheduler, Observable, Subscription, type SchedulerLike } from 'rxjs';
import type { OutputStream, Spawner, SpawnRequest, StdinWriter } from './spawner.js';

/** Exit code reported for a command killed by its timeout (the `timeout(1)` convention, as the reference). */
export const TIMEOUT_EXIT_CODE = 124;

/**
 * How long to keep reading after the process exited, for output still in the pipes. Past it, a
 * background grandchild holding the pipes open is killed so the run can end.
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = 2_000;

export interface RunRequest extends SpawnRequest {
  /** Kill the process tree after this long; none when absent or null. */
  readonly timeoutMs?: number | null;
}

export interface RunDeps {
  readonly spawner: Spawner;
  /** Clock and timers (timeout, drain). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  readonly drainTimeoutMs?: number;
}

/**
 * One command's run: `started` (with its stdin and a kill switch), `output` as text in arrival
 * order, and a final `exited`. Text is decoded per stream with a streaming UTF-8 decoder, so a
 * character split across reads is never mangled and the concatenated `output` texts are exactly
 * the decoding of every byte the command wrote.
 */
export type RunEvent =
  | { readonly type: 'started'; readonly pid: number | undefined; readonly stdin: StdinWriter; readonly kill: () => void }
  | { readonly type: 'output'; readonly stream: OutputStream; readonly text: string }
  | {
      readonly type: 'exited';
      /** The exit status; 128 + signal number when killed by a signal; {@link TIMEOUT_EXIT_CODE} when timed out. */
      readonly exitCode: number;
      readonly signal: NodeJS.Signals | null;
      readonly timedOut: boolean;
      /** From spawn to process exit, on the injected scheduler's clock. */
      readonly durationMs: number;
    };

/**
 * Runs a command and streams what happens to it. Nothing is lost between reads: every chunk is
 * forwarded as it arrives, and after exit the pipes are drained before `exited` is emitted.
 * Unsubscribing kills the process tree. A command that cannot start errors the stream.
 *
 * @example
 * runProcess({ argv: ['sh', '-c', 'printf a; sleep 1; printf b'], cwd: '/', env: {}, stdin: 'null', timeoutMs: 5000 }, { spawner: nodeSpawner })
 *   .subscribe((e) => e.type === 'output' && process.stdout.write(e.text)); // 'a', a second later 'b'
 */
export function runProcess(request: RunRequest, deps: RunDeps): Observable<RunEvent> {
  const scheduler = deps.scheduler ?? asyncScheduler;
  const drainTimeoutMs = deps.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  return new Observable<RunEvent>((subscriber) => {
    const startedAt = scheduler.now();
    const decoders: Record<OutputStream, TextDecoder> = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    const timers = new Subscription();
    let exit: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
    let kill: (() => void) | undefined;
    let timedOut = false;
    let finished = false;

    const emitText = (stream: OutputStream, text: string) => {
      if (text !== '') subscriber.next({ type: 'output', stream, text });
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      emitText('stdout', decoders.stdout.decode());
      emitText('stderr', decoders.stderr.decode());
      const at = exit?.at ?? scheduler.now();
      subscriber.next({
        type: 'exited',
        exitCode: timedOut ? TIMEOUT_EXIT_CODE : exitCodeOf(exit?.code ?? null, exit?.signal ?? null),
        signal: exit?.signal ?? null,
        timedOut,
        durationMs: Math.max(0, at - startedAt),
      });
      subscriber.complete();
    };

    const child = new Subscription();
    child.add(
      deps.spawner(request).subscribe({
        next: (event) => {
          switch (event.type) {
            case 'spawned':
              kill = event.kill;
              subscriber.next({ type: 'started', pid: event.pid, stdin: event.stdin, kill: event.kill });
              if (request.timeoutMs !== undefined && request.timeoutMs !== null) {
                timers.add(
                  scheduler.schedule(() => {
                    if (exit !== undefined) return;
                    timedOut = true;
                    kill?.();
                  }, request.timeoutMs),
                );
              }
              return;
            case 'output':
              emitText(event.stream, decoders[event.stream].decode(event.bytes, { stream: true }));
              return;
            case 'exit':
              exit = { code: event.code, signal: event.signal, at: scheduler.now() };
              timers.add(
                scheduler.schedule(() => {
                  // Stop reading first: the kill in the teardown must not race a last chunk into a finished run.
                  child.unsubscribe();
                  finish();
                }, drainTimeoutMs),
              );
              return;
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: finish,
      }),
    );
    return () => {
      timers.unsubscribe();
      child.unsubscribe();
    };
  });
}

/**
 * The shell's convention for a status: the code, or 128 + the signal number.
 *
 * @example
 * exitCodeOf(null, 'SIGKILL'); // 137
 */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal !== null) return 128 + (constants.signals[signal] ?? 0);
  return -1;
}
