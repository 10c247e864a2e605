import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled CLI users run (dist/bundle/cli.js), seen from dist/spec/support/. */
export const CLI = fileURLToPath(new URL('../../bundle/cli.js', import.meta.url));

const live = new Set<ServerProcess>();

/** A spawned `rxagent` process with a private CODEX_HOME; reaped by `reapAll` even when a test fails. */
export class ServerProcess {
  readonly stderrChunks: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly codexHome: string,
    /** A websocket server does not exit when stdin closes, so it gets SIGTERM at once. */
    private readonly stdio: boolean,
  ) {
    live.add(this);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.stderrChunks.push(chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /**
   * Starts the bundled CLI. With `obeyFileModes`, a server started as root (CI) runs without the
   * capabilities that let root read and list anything (setpriv), so unreadable files and folders
   * are unreadable to it as to any user.
   */
  static start(
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; codexHome?: string; cwd?: string; obeyFileModes?: boolean } = {},
  ): ServerProcess {
    const codexHome = options.codexHome ?? mkdtempSync(join(tmpdir(), 'rxagent-spec-'));
    const dropCapabilities = options.obeyFileModes === true && process.getuid?.() === 0;
    const [command, ...prefix] = dropCapabilities ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', process.execPath] : [process.execPath];
    const child = spawn(command!, [...prefix, CLI, ...args], {
      env: { PATH: process.env.PATH, HOME: codexHome, CODEX_HOME: codexHome, RXAGENT_LOG: 'debug', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    return new ServerProcess(child, codexHome, !args.some((a) => a.startsWith('ws://')));
  }

  get stderr(): string {
    return this.stderrChunks.join('');
  }

  /** Resolves once stderr contains `text` (e.g. a listening banner). */
  async waitForStderr(pattern: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      const match = pattern.exec(this.stderr);
      if (match) return match;
      await new Promise<void>((resolve, reject) => {
        this.child.stderr.once('data', () => resolve());
        this.child.once('exit', () => reject(new Error(`server exited before printing ${pattern}; stderr:\n${this.stderr}`)));
      });
    }
  }

  /** Closes stdin, then SIGTERM, then SIGKILL; always removes the CODEX_HOME. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin.end();
      const term = setTimeout(() => this.child.kill('SIGTERM'), this.stdio ? 2000 : 0);
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 4000);
      await this.exited;
      clearTimeout(term);
      clearTimeout(kill);
    }
    live.delete(this);
    rmSync(this.codexHome, { recursive: true, force: true });
  }
}

/** Stops every server a test started; registered as a root hook so failures can't leak processes. */
export const reapAll = async (): Promise<void> => {
  await Promise.all([...live].map((server) => server.stop()));
};
