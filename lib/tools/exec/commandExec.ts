import * as E from 'fp-ts/lib/Either.js';
import { resolve } from 'node:path';
import type { SchedulerLike } from 'rxjs';
import type { CommandExecParams, CommandExecResponse } from '../../protocol/v2/command.js';
import type { SandboxPolicy } from '../../protocol/v2/common.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { MAX_AGGREGATED_OUTPUT } from './events.js';
import { mergeEnv } from './execEnv.js';
import { HeadTailText } from './headTail.js';
import { runProcess } from './runProcess.js';
import { nodeSpawner, type Spawner } from './spawner.js';

/** Timeout of a `command/exec` that sets none (the reference's default). */
export const DEFAULT_COMMAND_EXEC_TIMEOUT_MS = 10_000;

/** Why `command/exec` did not run the command; `kind` becomes the error's `data.kind`. */
export interface CommandExecFailure {
  readonly kind: 'emptyCommand' | 'sandboxUnavailable' | 'spawnFailed';
  readonly message: string;
}

export interface CommandExecDeps {
  readonly sandbox: Sandbox;
  readonly spawner?: Spawner;
  readonly scheduler?: SchedulerLike;
  /** The command's base environment. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The server's defaults for what the request leaves out. */
export interface CommandExecDefaults {
  readonly cwd: string;
  readonly sandboxPolicy: SandboxPolicy;
}

/**
 * Runs `command/exec`: the argv in `cwd` (resolved against the server's) under `sandboxPolicy`
 * (else the server's), stdout and stderr kept apart and bounded. A timeout (default 10 s) kills
 * the process tree and answers exit code 124 with a note on stderr, keeping what was printed.
 * Aborting `signal` (the connection went away) kills the command too.
 *
 * @example
 * await runCommandExec({ command: ['echo', 'hi'] }, { cwd: '/proj', sandboxPolicy: { type: 'readOnly' } }, { sandbox });
 * // right({ exitCode: 0, stdout: 'hi\n', stderr: '' })
 * await runCommandExec({ command: [] }, defaults, { sandbox });
 * // left({ kind: 'emptyCommand', message: 'command must not be empty' })
 */
export async function runCommandExec(
  params: CommandExecParams,
  defaults: CommandExecDefaults,
  deps: CommandExecDeps,
  signal?: AbortSignal,
): Promise<E.Either<CommandExecFailure, CommandExecResponse>> {
  if (params.command.length === 0) return E.left({ kind: 'emptyCommand', message: 'command must not be empty' });
  const cwd = resolve(defaults.cwd, params.cwd ?? '.');
  const prepared = await deps.sandbox.prepare(params.command, params.sandboxPolicy ?? defaults.sandboxPolicy, cwd);
  if (E.isLeft(prepared)) return E.left({ kind: 'sandboxUnavailable', message: prepared.left.message });

  const timeoutMs = params.timeoutMs ?? DEFAULT_COMMAND_EXEC_TIMEOUT_MS;
  const output = { stdout: new HeadTailText(MAX_AGGREGATED_OUTPUT), stderr: new HeadTailText(MAX_AGGREGATED_OUTPUT) };
  const run = runProcess(
    { argv: prepared.right.argv, cwd, env: mergeEnv(deps.env ?? process.env, prepared.right.env), stdin: 'null', timeoutMs },
    { spawner: deps.spawner ?? nodeSpawner, scheduler: deps.scheduler },
  );
  try {
    let exitCode = -1;
    let timedOut = false;
    await new Promise<void>((done, fail) => {
      const abort = () => {
        subscription.unsubscribe();
        done();
      };
      const settle = (then: () => void) => () => {
        signal?.removeEventListener('abort', abort);
        then();
      };
      const subscription = run.subscribe({
        next: (event) => {
          if (event.type === 'output') output[event.stream].push(event.text);
          if (event.type === 'exited') ({ exitCode, timedOut } = event);
        },
        error: (error: unknown) => settle(() => fail(error))(),
        complete: settle(done),
      });
      if (signal?.aborted) abort();
      else signal?.addEventListener('abort', abort, { once: true });
    });
    const stderr = output.stderr.toString();
    return E.right({
      exitCode,
      stdout: output.stdout.toString(),
      stderr: timedOut ? `${stderr}${stderr === '' || stderr.endsWith('\n') ? '' : '\n'}command timed out after ${timeoutMs} milliseconds\n` : stderr,
    });
  } catch (error) {
    return E.left({ kind: 'spawnFailed', message: `failed to start \`${params.command[0]}\`: ${(error as Error).message}` });
  }
}
