import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled CLI (dist/bundle/cli.js), seen from dist/bench/. */
const CLI = fileURLToPath(new URL('../bundle/cli.js', import.meta.url));

/** A server process for a benchmark, with a throwaway CODEX_HOME; `stop()` reaps it. */
export interface BenchServer {
  readonly child: ChildProcessWithoutNullStreams;
  stop(): Promise<void>;
}

/**
 * Starts `rxagent app-server ARGS`, or, when `BENCH_SERVER` is set (e.g. the reference:
 * `BENCH_SERVER="/path/to/node_modules/.bin/codex app-server"`), that command with ARGS, so the
 * same scenario measures both.
 */
export const spawnServer = (args: readonly string[]): BenchServer => {
  const home = mkdtempSync(join(tmpdir(), 'rxagent-bench-'));
  const [command, ...prefix] = process.env.BENCH_SERVER?.split(' ').filter(Boolean) ?? [process.execPath, CLI, 'app-server'];
  const child = spawn(command!, [...prefix, ...args], {
    env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, RXAGENT_LOG: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stop: async () => {
      child.stdin.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(kill);
      rmSync(home, { recursive: true, force: true });
    },
  };
};

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const percentile = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

export const INITIALIZE = (capabilities: object | null = null): string =>
  JSON.stringify({ id: 0, method: 'initialize', params: { clientInfo: { name: 'bench', version: '1' }, capabilities } });
