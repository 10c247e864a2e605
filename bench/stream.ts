import { median } from './serverUnderTest.js';
import { benchDirs, launch, listeningUrl, messageStream, RpcClient, runTurn, serverName, StreamMock, treeCpuMs, type Launched } from './turnKit.js';

/**
 * Streaming throughput of one turn: the mock model streams one assistant message of `deltas`
 * `response.output_text.delta` events (written at once), and the client times the first and the
 * last delta notification it receives and turn/start → turn/completed; the server's CPU time
 * (/proc/<pid>/stat utime+stime of its process tree) over the turn is divided by the delta count.
 * Over stdio and websocket, in default mode and in plan mode (`collaborationMode` plan; the
 * message has a `<proposed_plan>` block in its middle fifth). Each run is a fresh thread; default
 * and plan runs alternate on one server per transport, after one warm-up turn of each.
 *
 * Lost notifications are counted, not hidden: `deltaNotifications` (median, and the fewest) per
 * turn, `brokenRuns` (the agentMessage/plan item/completed missing or short), `lossyRuns`, and the
 * figures of the lossless runs alone; `serverReportedDrops` sums what rxagent's stdio queue says
 * it dropped on stderr. `--opt-out-raw` opts the client out of the reference's raw per-delta
 * `codex/event/*` twins (rxagent sends none).
 * `node dist/bench/stream.js [deltas] [--runs N] [--transport stdio|ws] [--opt-out-raw]`.
 */
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const DELTAS = Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')) ?? 20_000);
const RUNS = Number(option('--runs') ?? 5);
const TRANSPORTS = option('--transport') ? [option('--transport') as 'stdio' | 'ws'] : (['stdio', 'ws'] as const);
/** `--opt-out-raw`: the client opts out of the reference's raw per-delta twins (rxagent sends none). */
const OPT_OUT_RAW = args.includes('--opt-out-raw');
const RAW_DELTA_METHODS = ['codex/event/agent_message_content_delta', 'codex/event/agent_message_delta', 'codex/event/plan_delta'];
const PLAN_MODE = { mode: 'plan', settings: { model: 'mock-model', reasoning_effort: null, developer_instructions: null } };

const WORDS = 'the a fix test build refactor module parser server client thread index cursor page sort file rollout error retry timeout cache config provider model token stream event reducer operator'.split(' ');

/**
 * `count` chunks of about a word each (lines of ~12 words), the middle fifth a plan block whose
 * tags are split across chunks, as a model streams them.
 */
const messageChunks = (count: number): string[] => {
  const chunks: string[] = [];
  const planFrom = Math.floor(count * 0.4);
  const planTo = Math.floor(count * 0.6);
  let word = 0;
  let inLine = 0;
  const prose = (): string => {
    const w = WORDS[word++ % WORDS.length]!;
    inLine++;
    if (inLine >= 12) {
      inLine = 0;
      return `${w}\n`;
    }
    return inLine === 1 ? w : ` ${w}`;
  };
  while (chunks.length < count) {
    const at = chunks.length;
    if (at === planFrom) {
      // Close the prose line, then the opening tag split in two.
      chunks.push('.\n<propo', 'sed_plan>\n- ');
      inLine = 1;
    } else if (at === planTo) {
      chunks.push('\n</proposed', '_plan>\n');
      inLine = 0;
    } else {
      let chunk = prose();
      if (at > planFrom && at < planTo && chunk.endsWith('\n')) chunk += '- ';
      chunks.push(chunk);
    }
  }
  chunks.length = count;
  return chunks;
};

interface Run {
  readonly deltasPerSec: number;
  readonly turnMs: number;
  readonly cpuUsPerDelta: number;
  readonly notifications: number;
  readonly raw: number;
  readonly intact: boolean;
  /** Every delta arrived (plan mode: the tags' chunks make one notification fewer). */
  readonly lossless: boolean;
}

/** `lost`: no turn/completed within a minute (a server that drops notifications can drop it too). */
const oneTurn = async (server: Launched, client: RpcClient, cwd: string, plan: boolean, expected: string): Promise<Run | 'lost'> => {
  const threadId = await client.startThread(cwd);
  let agentText: string | undefined;
  let planText = '';
  client.onMessage = (m) => {
    if (m.method === 'item/completed' && m.params.item.type === 'agentMessage') agentText = m.params.item.text;
    if (m.method === 'item/completed' && m.params.item.type === 'plan') planText = m.params.item.text;
  };
  client.resetCounters();
  const cpuBefore = treeCpuMs(server.child.pid!);
  let turn: Awaited<ReturnType<typeof runTurn>>;
  try {
    turn = await runTurn(client, threadId, 'Stream a long answer', plan ? { collaborationMode: PLAN_MODE } : {}, 60_000);
  } catch (error) {
    if (String(error).includes('no turn/completed')) return 'lost';
    throw error;
  }
  const cpuMs = treeCpuMs(server.child.pid!) - cpuBefore;
  if (turn.completed.params.turn.status !== 'completed') throw new Error(`turn ended ${JSON.stringify(turn.completed.params.turn)}`);
  // Whether the agent message (and in plan mode the plan) completed with the full text: a server
  // that drops notifications under load can lose these too.
  const intact = plan ? planText.length > expected.length / 10 && (agentText ?? '').length > expected.length / 2 : agentText === expected;
  return {
    deltasPerSec: client.deltas / ((client.lastDeltaAt - client.firstDeltaAt) / 1000),
    turnMs: turn.completedAt - turn.startedAt,
    cpuUsPerDelta: (cpuMs * 1000) / DELTAS,
    notifications: client.deltas,
    raw: client.rawEvents,
    intact,
    lossless: intact && client.deltas >= (plan ? DELTAS - 1 : DELTAS),
  };
};

const summary = (all: readonly (Run | 'lost')[]): Record<string, number> => {
  const runs = all.filter((r): r is Run => r !== 'lost');
  const lost = all.length - runs.length;
  return runs.length === 0 ? { lostTurnCompleted: lost } : { ...figures(runs), ...(lost > 0 ? { lostTurnCompleted: lost } : {}) };
};

const figures = (runs: readonly Run[]): Record<string, number> => ({
  /** Delta notifications received per second, first to last. */
  deltasPerSec: Math.round(median(runs.map((r) => r.deltasPerSec))),
  turnMs: Math.round(median(runs.map((r) => r.turnMs))),
  turnDeltasPerSec: Math.round(DELTAS / (median(runs.map((r) => r.turnMs)) / 1000)),
  cpuUsPerDelta: +median(runs.map((r) => r.cpuUsPerDelta)).toFixed(1),
  deltaNotifications: median(runs.map((r) => r.notifications)),
  fewestDeltaNotifications: Math.min(...runs.map((r) => r.notifications)),
  /** `codex/event/*` notifications over the turn (the reference's raw twins). */
  rawNotifications: median(runs.map((r) => r.raw)),
  /** Runs whose item/completed was missing or short (lost notifications). */
  brokenRuns: runs.filter((r) => !r.intact).length,
  /** Runs that lost any notification, and the throughput of those that did not. */
  lossyRuns: runs.filter((r) => !r.lossless).length,
  ...(runs.some((r) => r.lossless) && runs.some((r) => !r.lossless)
    ? {
        losslessDeltasPerSec: Math.round(median(runs.filter((r) => r.lossless).map((r) => r.deltasPerSec))),
        losslessTurnMs: Math.round(median(runs.filter((r) => r.lossless).map((r) => r.turnMs))),
        losslessCpuUsPerDelta: +median(runs.filter((r) => r.lossless).map((r) => r.cpuUsPerDelta)).toFixed(1),
      }
    : {}),
});

/** Messages rxagent's stdio queue reports having dropped (`… message(s) were dropped` on stderr). */
const reportedDrops = (stderr: string): number => [...stderr.matchAll(/(\d+) message\(s\) were dropped/g)].reduce((sum, m) => sum + Number(m[1]), 0);

const measure = async (transport: 'stdio' | 'ws', mock: StreamMock): Promise<Record<string, unknown>> => {
  const dirs = benchDirs(mock.baseUrl);
  const server = launch(dirs.home, transport === 'ws' ? ['--listen', 'ws://127.0.0.1:0'] : []);
  const deadline = setTimeout(() => {
    process.stderr.write(`stream: ${transport} run took over 10 minutes; stopping\n`);
    void server.stop().then(() => {
      dirs.remove();
      process.exit(2);
    });
  }, 600_000);
  try {
    const client = transport === 'ws' ? await RpcClient.websocket(await listeningUrl(server)) : RpcClient.stdio(server);
    await client.initialize(OPT_OUT_RAW ? { experimentalApi: true, optOutNotificationMethods: RAW_DELTA_METHODS } : { experimentalApi: true });
    const expected = messageChunks(DELTAS).join('');
    await oneTurn(server, client, dirs.cwd, false, expected);
    await oneTurn(server, client, dirs.cwd, true, expected);
    const normal: (Run | 'lost')[] = [];
    const plan: (Run | 'lost')[] = [];
    for (let i = 0; i < RUNS; i++) {
      normal.push(await oneTurn(server, client, dirs.cwd, false, expected));
      plan.push(await oneTurn(server, client, dirs.cwd, true, expected));
    }
    const errors = client.errors.length;
    const rawMethods = [...client.rawByMethod].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([m, n]) => `${m}×${n}`);
    client.close();
    const d = summary(normal);
    const p = summary(plan);
    const drops = reportedDrops(server.stderr());
    return {
      default: d,
      plan: p,
      ...(drops > 0 ? { serverReportedDrops: drops } : {}),
      ...(errors > 0 ? { errors } : {}),
      ...(rawMethods.length > 0 ? { rawMethodsLastTurn: rawMethods } : {}), planOverheadPct: +((p.turnMs! / d.turnMs! - 1) * 100).toFixed(1), planCpuOverheadPct: +((p.cpuUsPerDelta! / d.cpuUsPerDelta! - 1) * 100).toFixed(1) };
  } finally {
    clearTimeout(deadline);
    await server.stop();
    dirs.remove();
  }
};

const mock = await StreamMock.start();
mock.respondWith(messageStream(messageChunks(DELTAS)));
const result: Record<string, unknown> = { bench: 'stream', server: serverName(), deltas: DELTAS, runs: RUNS, ...(OPT_OUT_RAW ? { optOut: RAW_DELTA_METHODS } : {}) };
try {
  for (const transport of TRANSPORTS) result[transport] = await measure(transport, mock);
} finally {
  await mock.close();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
