import { spawn as nodeSpawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Observable } from 'rxjs';

/** What to start. `argv[0]` is looked up in the `PATH` of `env`, as `execvp` does. */
export interface SpawnRequest {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** `'pipe'` keeps stdin open for {@link StdinWriter}; `'null'` gives the command `/dev/null`, so readers see EOF at once. */
  readonly stdin: 'pipe' | 'null';
}

export type OutputStream = 'stdout' | 'stderr';

/** Writes to a running command's stdin. */
export interface StdinWriter {
  /** Resolves once the bytes are handed to the pipe; false when stdin is closed (the command exited or stopped reading). */
  write(data: string): Promise<boolean>;
}

/**
 * The life of one child process. `spawned` comes first, then `output` in arrival order and one
 * `exit` when the process ends; the stream completes when both output pipes are closed (which
 * may be later than `exit`, or never, while a background grandchild holds them).
 */
export type SpawnEvent =
  | { readonly type: 'spawned'; readonly pid: number | undefined; readonly stdin: StdinWriter; readonly kill: () => void }
  | { readonly type: 'output'; readonly stream: OutputStream; readonly bytes: Uint8Array }
  | { readonly type: 'exit'; readonly code: number | null; readonly signal: NodeJS.Signals | null };

/**
 * Starts a process on subscribe. Unsubscribing before the pipes close kills the whole process
 * tree. A process that cannot start (missing binary or cwd) errors the stream.
 *
 * @example
 * const fake: Spawner = () => of({ type: 'spawned', pid: 1, stdin: { write: async () => true }, kill: () => {} }, { type: 'exit', code: 0, signal: null });
 */
export type Spawner = (request: SpawnRequest) => Observable<SpawnEvent>;

/**
 * Spawns with `node:child_process` in a new process group (`detached`), so the command and
 * everything it forks can be killed together.
 *
 * @example
 * nodeSpawner({ argv: ['echo', 'hi'], cwd: '/', env: { PATH: '/usr/bin:/bin' }, stdin: 'null' }).subscribe(console.log);
 */
export const nodeSpawner: Spawner = (request) =>
  new Observable<SpawnEvent>((subscriber) => {
    const [file, ...args] = request.argv;
    if (file === undefined) {
      subscriber.error(new Error('cannot spawn an empty command'));
      return;
    }
    const child = nodeSpawn(file, args, {
      cwd: request.cwd,
      env: request.env,
      stdio: [request.stdin === 'pipe' ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let closed = false;
    let spawned = false;
    let exited = false;
    const kill = () => {
      if (!closed && child.pid !== undefined) killProcessTree(child.pid, !exited);
    };
    const stdin: StdinWriter = {
      write: (data) =>
        new Promise((done) => {
          const pipe = child.stdin;
          if (pipe === null || !pipe.writable) return done(false);
          pipe.write(data, (error) => done(error === null || error === undefined));
        }),
    };
    // The command may exit without reading its input; the resulting EPIPE is not our error.
    child.stdin?.on('error', () => undefined);
    child.on('spawn', () => {
      spawned = true;
      subscriber.next({ type: 'spawned', pid: child.pid, stdin, kill });
    });
    child.stdout!.on('data', (bytes: Buffer) => subscriber.next({ type: 'output', stream: 'stdout', bytes }));
    child.stderr!.on('data', (bytes: Buffer) => subscriber.next({ type: 'output', stream: 'stderr', bytes }));
    child.on('exit', (code, signal) => {
      exited = true;
      subscriber.next({ type: 'exit', code, signal });
    });
    child.on('error', (error) => {
      // After a successful start the only errors are failed kills, which the teardown retries.
      if (!spawned) subscriber.error(error);
    });
    child.on('close', () => {
      closed = true;
      if (spawned) subscriber.complete();
    });
    return () => {
      kill();
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.stdin?.destroy();
      child.removeAllListeners();
      // A start that fails after an early unsubscribe still emits 'error'; unheard, it would crash the server.
      child.on('error', () => undefined);
    };
  });

/**
 * SIGKILLs the process group led by `pid` and every descendant found in `/proc`, including those
 * that left the group with `setsid` (the command under `script`, a `bwrap` child). The leader is
 * signalled directly too while it is `alive` (it may not have called `setsid` yet); once it has
 * been reaped its pid may belong to someone else.
 *
 * @example
 * killProcessTree(child.pid!, child.exitCode === null);
 */
export function killProcessTree(pid: number, alive: boolean): void {
  const targets = [...descendantsOf(pid)];
  signal(-pid);
  if (alive) signal(pid);
  for (const descendant of targets) signal(descendant);
}

const signal = (target: number) => {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // Already gone.
  }
};

function descendantsOf(root: number): Set<number> {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return new Set(); // not Linux: the process-group kill has to do
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesised command name (which may itself contain spaces and parens).
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const siblings = children.get(ppid) ?? [];
    siblings.push(Number(entry));
    children.set(ppid, siblings);
  }
  const found = new Set<number>();
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return found;
}
