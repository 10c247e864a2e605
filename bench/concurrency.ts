import { median, percentile } from './serverUnderTest.js';
import { benchDirs, launch, listeningUrl, messageStream, RpcClient, runTurn, serverName, StreamMock, treeCpuMs } from './turnKit.js';

/**
 * Many clients running turns at once against ONE server: 1, 8 and 32 websocket connections, each
 * with its own thread, each running `turns` turns one after the other (the mock model streams a
 * message of `deltas` deltas for every request); plus 1 client over stdio, which is a single
 * connection by nature (one stdin/stdout pair per process: "many stdio clients" would be many
 * servers, which measures process count, not the server). Reports turns per second (all turns
 * over the wall time from the first turn/start to the last turn/completed), turn latency
 * (turn/start sent → turn/completed received) p50/p99, the server's CPU time, and everything that
 * went wrong: error answers or notifications, turns not `completed`, turns that did not deliver
 * every delta, turns without turn/completed within `--stall-ms` (default 15 s; the client then
 * goes on with its next turn).
 * `node dist/bench/concurrency.js [clients…] [--turns N] [--deltas N] [--stall-ms N]`.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const TURNS = option('--turns', 5);
const DELTAS = option('--deltas', 200);
const LEVELS = args.filter((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')).map(Number);
/** A turn without turn/completed after this long is a stall (0.101.0 has them, see bench/README.md). */
const STALL_MS = option('--stall-ms', 15_000);

const WORDS = 'the a fix test build refactor module parser server client thread index cursor page sort file rollout error retry timeout cache config provider model token stream event reducer operator'.split(' ');
const CHUNKS = Array.from({ length: DELTAS }, (_, i) => (i % 12 === 11 ? `${WORDS[i % WORDS.length]}\n` : ` ${WORDS[i % WORDS.length]}`));

interface Outcome {
  latencies: number[];
  errors: number;
  notCompleted: number;
  lostDeltas: number;
  stalls: number;
  firstStart: number;
  lastEnd: number;
}

/** One client's turns, one after the other. */
const clientTurns = async (client: RpcClient, threadId: string, outcome: Outcome): Promise<void> => {
  for (let i = 0; i < TURNS; i++) {
    const before = client.deltas;
    try {
      const turn = await runTurn(client, threadId, `turn ${i}`, {}, STALL_MS);
      outcome.firstStart = Math.min(outcome.firstStart, turn.startedAt);
      outcome.lastEnd = Math.max(outcome.lastEnd, turn.completedAt);
      outcome.latencies.push(turn.completedAt - turn.startedAt);
      if (turn.completed.params.turn.status !== 'completed') outcome.notCompleted++;
      // turn/completed follows the last delta on the same connection.
      outcome.lostDeltas += DELTAS - (client.deltas - before);
    } catch (error) {
      // A stalled turn is counted and left behind; the client goes on with its next turn.
      if (String(error).includes('no turn/completed')) outcome.stalls++;
      else {
        outcome.errors++;
        return;
      }
    }
  }
};

const level = async (transport: 'stdio' | 'ws', clients: number, mock: StreamMock): Promise<Record<string, unknown>> => {
  const dirs = benchDirs(mock.baseUrl);
  const server = launch(dirs.home, transport === 'ws' ? ['--listen', 'ws://127.0.0.1:0'] : []);
  const deadline = setTimeout(() => {
    process.stderr.write(`concurrency: ${transport} × ${clients} took over 5 minutes; stopping\n`);
    void server.stop().then(() => {
      dirs.remove();
      process.exit(2);
    });
  }, 300_000);
  try {
    const url = transport === 'ws' ? await listeningUrl(server) : '';
    const connect = async (): Promise<RpcClient> => {
      const client = transport === 'ws' ? await RpcClient.websocket(url) : RpcClient.stdio(server);
      await client.initialize();
      return client;
    };
    // Warm-up on a thread of its own (on the stdio connection: the same client, another thread).
    const warm = await connect();
    const warmThread = await warm.startThread(dirs.cwd);
    for (let i = 0; i < 2; i++) await runTurn(warm, warmThread, 'warm up', {}, STALL_MS).catch(() => undefined);
    const all = transport === 'stdio' ? [warm] : [...(await Promise.all(Array.from({ length: clients }, connect)))];
    const threads: string[] = [];
    for (const client of all) threads.push(await client.startThread(dirs.cwd));
    const outcome: Outcome = { latencies: [], errors: 0, notCompleted: 0, lostDeltas: 0, stalls: 0, firstStart: Infinity, lastEnd: 0 };
    const cpuBefore = treeCpuMs(server.child.pid!);
    const clientCpuBefore = process.cpuUsage();
    const errorsBefore = all.reduce((sum, c) => sum + c.errors.length, 0);
    await Promise.all(all.map((client, i) => clientTurns(client, threads[i]!, outcome)));
    const cpuMs = treeCpuMs(server.child.pid!) - cpuBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    outcome.errors += all.reduce((sum, c) => sum + c.errors.length, 0) - errorsBefore;
    const wallMs = outcome.lastEnd - outcome.firstStart;
    for (const client of new Set([warm, ...all])) client.close();
    const done = outcome.latencies.length;
    return {
      clients,
      turns: done,
      turnsPerSec: +((done / wallMs) * 1000).toFixed(1),
      /**
       * Clients ÷ mean latency of the completed turns (Little's law): the throughput without the
       * time clients spent waiting out stalled turns; equal to `turnsPerSec` when nothing stalls.
       */
      turnsPerSecCompleted: +((all.length / (outcome.latencies.reduce((a, b) => a + b, 0) / done)) * 1000).toFixed(1),
      wallMs: Math.round(wallMs),
      p50Ms: +median(outcome.latencies).toFixed(1),
      p99Ms: +percentile(outcome.latencies, 99).toFixed(1),
      maxMs: +Math.max(...outcome.latencies).toFixed(1),
      serverCpuMsPerTurn: +(cpuMs / done).toFixed(1),
      /** This process (clients and mock model), to show it was not the bottleneck. */
      benchCpuMsPerTurn: +((clientCpu.user + clientCpu.system) / 1000 / done).toFixed(1),
      errors: outcome.errors,
      notCompleted: outcome.notCompleted,
      lostDeltas: outcome.lostDeltas,
      stalls: outcome.stalls,
    };
  } finally {
    clearTimeout(deadline);
    await server.stop();
    dirs.remove();
  }
};

const mock = await StreamMock.start();
mock.respondWith(messageStream(CHUNKS));
const result: Record<string, unknown> = { bench: 'concurrency', server: serverName(), turnsPerClient: TURNS, deltasPerTurn: DELTAS };
try {
  result.stdio = await level('stdio', 1, mock);
  const ws: Record<string, unknown>[] = [];
  for (const clients of LEVELS.length > 0 ? LEVELS : [1, 8, 32]) ws.push(await level('ws', clients, mock));
  result.ws = ws;
  result.modelRequests = mock.requests;
} finally {
  await mock.close();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
