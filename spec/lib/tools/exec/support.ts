import { spawnSync } from 'node:child_process';
import { closeSync, constants, createReadStream, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray, type Observable } from 'rxjs';

/** Every event of a stream that completes. */
export const eventsOf = <T>(events$: Observable<T>): Promise<T[]> => lastValueFrom(events$.pipe(toArray()));

/**
 * A named pipe that tells when the processes holding it open are all gone: commands open it as a
 * file descriptor (`exec 3>PATH`), their children inherit it, and `released` resolves when the
 * last holder has died. Waiting on that is waiting on the event, not on a clock.
 */
export interface Witness {
  readonly path: string;
  /** Resolves when a holder first writes to the pipe (e.g. `echo ready >&3`): the command is running. */
  readonly ready: Promise<void>;
  /** Whether `ready` has happened, for runs that end on their own (a command killed before it opened the pipe would never release it). */
  readonly wasReady: boolean;
  readonly released: Promise<void>;
  dispose(): void;
}

export function witness(): Witness {
  const dir = mkdtempSync(join(tmpdir(), 'rxagent-witness-'));
  const path = join(dir, 'fifo');
  if (spawnSync('mkfifo', [path]).status !== 0) throw new Error('mkfifo failed');
  const reader = createReadStream(path);
  // Keep reading (a holder may write more than once); only open, first data and close matter.
  reader.on('data', () => undefined);
  let wasReady = false;
  const ready = new Promise<void>((done) =>
    reader.once('data', () => {
      wasReady = true;
      done();
    }),
  );
  const released = new Promise<void>((done, fail) => {
    reader.on('error', fail).on('close', () => done());
  });
  return {
    path,
    ready,
    get wasReady() {
      return wasReady;
    },
    released,
    dispose() {
      // Unblock our reader if no command ever opened the pipe, so the test process can exit.
      try {
        closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // Reader already gone.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `PATH` and friends for commands the tests start. */
export const testEnv = (): Record<string, string> => ({ PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8' });
