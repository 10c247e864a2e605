import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { INITIALIZE, median, percentile } from './serverUnderTest.js';
import { benchHome } from './threadListFixtures.js';

/**
 * `thread/list` through the real server over stdio, on generated CODEX_HOMEs of 1,000 and 10,000
 * rollouts (bench/threadListFixtures.ts, cached in the temp folder): a start without an index
 * (rxagent only: the first page, then the first `updated_at` page, which completes the build),
 * the first call after a start with the index (median of 5 fresh processes per sort key, and of a
 * trivial request for comparison), the warm median
 * of the first page and of the page five pages in (limit 50, both sort keys), and paging through
 * everything. `BENCH_SERVER` runs another server on the same homes; with `--compare` it is run
 * beside rxagent instead, and every page of a set of listings is compared byte for byte.
 * `node dist/bench/threadList.js [counts…] [--runs N] [--compare]`.
 */
const CLI = fileURLToPath(new URL('../bundle/cli.js', import.meta.url));
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt === -1 ? 30 : Number(args[runsAt + 1]);
const counts = args.filter((arg, i) => /^\d+$/.test(arg) && args[i - 1] !== '--runs').map(Number);
const reference = process.env.BENCH_SERVER !== undefined;
const comparing = args.includes('--compare');
const LIMIT = 50;
type SortKey = 'created_at' | 'updated_at';

interface Answer {
  readonly result?: unknown;
  readonly error?: unknown;
}

interface ListResult {
  readonly data: readonly unknown[];
  readonly nextCursor: string | null;
}

/** The server under test: rxagent's bundled CLI, or `BENCH_SERVER`. */
const SERVER_COMMAND = process.env.BENCH_SERVER?.split(' ').filter(Boolean) ?? [process.execPath, CLI, 'app-server'];

/** A server on `home` and a minimal client: requests answered by id. */
class Server {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<void>;
  private readonly waiting = new Map<number, (message: Answer) => void>();
  private nextId = 1;

  constructor(home: string, command: readonly string[] = SERVER_COMMAND) {
    const [program, ...prefix] = command;
    this.child = spawn(program!, prefix, { env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, RXAGENT_LOG: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.resume();
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    let buffer = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const message = JSON.parse(buffer.slice(0, nl)) as Answer & { id?: number };
        buffer = buffer.slice(nl + 1);
        if (typeof message.id === 'number') this.waiting.get(message.id)?.(message);
      }
    });
  }

  async initialize(): Promise<void> {
    const answered = new Promise((resolve) => this.waiting.set(0, resolve));
    this.child.stdin.write(`${INITIALIZE({ experimentalApi: true })}\n`);
    await answered;
    this.child.stdin.write('{"method":"initialized"}\n');
  }

  async request(method: string, params: unknown): Promise<Answer> {
    const id = this.nextId++;
    const answered = new Promise<Answer>((resolve) => this.waiting.set(id, resolve));
    this.child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    const answer = await answered;
    this.waiting.delete(id);
    return answer;
  }

  async list(sortKey: SortKey, cursor: string | null = null): Promise<ListResult> {
    const answer = await this.request('thread/list', { limit: LIMIT, sortKey, cursor });
    if (answer.error !== undefined) throw new Error(`thread/list failed: ${JSON.stringify(answer.error)}`);
    return answer.result as ListResult;
  }

  async stop(): Promise<void> {
    this.child.stdin.end();
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(kill);
  }
}

const timed = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
};
const ms = (value: number): number => Math.round(value * 10) / 10;

/** The first request after the server answered `initialize`, on a fresh process. */
const firstCall = async (home: string, call: (server: Server) => Promise<unknown>): Promise<number> => {
  const server = new Server(home);
  await server.initialize();
  const [elapsed] = await timed(() => call(server));
  await server.stop();
  return elapsed;
};

/** Median of {@link STARTS} first calls, each on a fresh process: one start is too noisy to quote. */
const STARTS = 5;
const firstCallMedian = async (home: string, call: (server: Server) => Promise<unknown>): Promise<number> => {
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) times.push(await firstCall(home, call));
  return ms(median(times));
};

/** The cursor `pages` pages into the listing. */
const cursorAfter = async (server: Server, sortKey: SortKey, pages: number): Promise<string> => {
  let cursor: string | null = null;
  for (let i = 0; i < pages; i++) cursor = (await server.list(sortKey, cursor)).nextCursor;
  return cursor!;
};

const warm = async (server: Server, sortKey: SortKey, cursor: string | null): Promise<{ medianMs: number; p90Ms: number }> => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(() => server.list(sortKey, cursor)))[0]);
  return { medianMs: ms(median(times)), p90Ms: ms(percentile(times, 90)) };
};

const pageThrough = async (server: Server, sortKey: SortKey): Promise<{ ms: number; threads: number; pages: number }> => {
  let threads = 0;
  let pages = 0;
  const [elapsed] = await timed(async () => {
    let cursor: string | null = null;
    do {
      const page: ListResult = await server.list(sortKey, cursor);
      threads += page.data.length;
      pages += 1;
      cursor = page.nextCursor;
    } while (cursor !== null);
  });
  return { ms: ms(elapsed), threads, pages };
};

/** Listings `--compare` pages through on both servers: both sort keys, filters, archived, odd limits. */
const COMPARED: readonly Record<string, unknown>[] = [
  { sortKey: 'created_at', limit: 50 },
  { sortKey: 'updated_at', limit: 50 },
  { sortKey: 'created_at', limit: 37, modelProviders: [] },
  { sortKey: 'updated_at', limit: 100, sourceKinds: ['exec', 'subAgentReview'] },
  { sortKey: 'created_at', limit: 7, archived: true },
  { sortKey: 'updated_at', limit: 9, archived: true, modelProviders: [] },
  { sortKey: 'created_at', limit: 20, sourceKinds: ['appServer'], modelProviders: [] },
];

/** Pages through every {@link COMPARED} listing on rxagent and on `BENCH_SERVER`, following the latter's cursors. */
const compare = async (home: string): Promise<{ pages: number; differing: number }> => {
  const ours = new Server(home, [process.execPath, CLI, 'app-server']);
  const theirs = new Server(home);
  await Promise.all([ours.initialize(), theirs.initialize()]);
  let pages = 0;
  let differing = 0;
  for (const params of COMPARED) {
    let cursor: string | null = null;
    do {
      const [a, b] = (await Promise.all([
        ours.request('thread/list', { ...params, cursor }),
        theirs.request('thread/list', { ...params, cursor }),
      ])) as [Answer, Answer];
      pages += 1;
      if (JSON.stringify(a.result ?? a.error) !== JSON.stringify(b.result ?? b.error)) differing += 1;
      cursor = (b.result as ListResult | undefined)?.nextCursor ?? null;
    } while (cursor !== null);
  }
  await Promise.all([ours.stop(), theirs.stop()]);
  return { pages, differing };
};

for (const count of counts.length > 0 ? counts : [1_000, 10_000]) {
  if (comparing) {
    if (!reference) throw new Error('--compare needs BENCH_SERVER, the server to compare with');
    const { home } = benchHome(count);
    process.stdout.write(`${JSON.stringify({ bench: 'threadList', compare: process.env.BENCH_SERVER, rollouts: count, ...(await compare(home)) })}\n`);
    continue;
  }
  const generated = await timed(async () => benchHome(count));
  const { home, bytes } = generated[1];
  const result: Record<string, unknown> = { bench: 'threadList', server: reference ? process.env.BENCH_SERVER : 'rxagent', rollouts: count, megabytes: Math.round(bytes / 1e6) };
  if (generated[0] > 1000) result.generatedInMs = Math.round(generated[0]);
  if (!reference) {
    // Without an index: the first page reads the newest folders' heads; the first `updated_at`
    // page must then finish the whole build (every head read once), which leaves the index complete.
    rmSync(join(home, 'rxagent'), { recursive: true, force: true });
    const server = new Server(home);
    await server.initialize();
    result.withoutIndex = { firstCallMs: ms((await timed(() => server.list('created_at')))[0]), buildMs: ms((await timed(() => server.list('updated_at')))[0]) };
    await server.stop();
  }
  // Discard one start, so every figure sees the same warm file cache. A trivial first request
  // shows what any first request costs (rxagent loads its method table after `initialize`).
  await firstCall(home, (server) => server.list('created_at'));
  result.firstCallMs = {
    trivial: await firstCallMedian(home, (server) => server.request('mock/experimentalMethod', { value: 'x' })),
    created_at: await firstCallMedian(home, (server) => server.list('created_at')),
    updated_at: await firstCallMedian(home, (server) => server.list('updated_at')),
  };
  const server = new Server(home);
  await server.initialize();
  for (const sortKey of ['created_at', 'updated_at'] as const) {
    await server.list(sortKey);
    const fifth = await cursorAfter(server, sortKey, 5);
    result[sortKey] = {
      firstPage: await warm(server, sortKey, null),
      sixthPage: await warm(server, sortKey, fifth),
      pageThrough: await pageThrough(server, sortKey),
    };
  }
  await server.stop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
