import { mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeLongRollout } from './longRollout.js';
import { median } from './serverUnderTest.js';
import { launch, messageStream, RpcClient, runTurn, serverName, StreamMock, vmKb } from './turnKit.js';

/**
 * Opening a long thread: a generated rollout of `lines` lines (default 100,000, ~3,900 turns,
 * bench/longRollout.ts) in a temp CODEX_HOME; each measurement is a fresh server process over
 * stdio that answers `initialize`, then gets ONE request, `thread/resume` or `thread/read` with
 * `includeTurns: true`: the wall time from sending it to the last byte of the answer, and the
 * peak RSS of the server process (VmHWM of /proc/<pid>/status, read once the answer arrived; the
 * reference's `codex` launcher is skipped, its native child is measured) next to its VmHWM before
 * the request. A third measurement, `turn`, resumes the thread and then times its first turn
 * (`turn/start` to `turn/completed`, the model a local mock that answers at once), the request
 * that carries the whole history; the rollout is cut back to its size afterwards. A fourth,
 * `fork`, times `thread/fork` of the thread (a copy of the file plus the fork's state; the copy is
 * deleted afterwards). One discarded
 * resume first (file cache), then `runs` of each, in turn; medians.
 * `node dist/bench/resume.js [lines] [--runs N]`.
 */
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt === -1 ? 3 : Number(args[runsAt + 1]);
const LINES = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--runs') ?? 100_000);

type Kind = 'resume' | 'read' | 'turn' | 'fork';
interface Sample {
  readonly ms: number;
  readonly peakMb: number;
  readonly baselineMb: number;
  readonly turns: number;
  readonly answerMb: number;
}

const root = mkdtempSync(join(tmpdir(), 'rxagent-bench-resume-'));
const home = join(root, 'codex_home');
const cwd = join(root, 'work');
mkdirSync(home);
mkdirSync(cwd);
const mock = await StreamMock.start();
mock.respondWith(messageStream(['Done.']));
writeFileSync(
  join(home, 'config.toml'),
  `model = "mock-model"\nmodel_provider = "mock"\napproval_policy = "never"\nsandbox_mode = "read-only"\n\n[model_providers.mock]\nname = "Mock Responses"\nbase_url = "${mock.baseUrl}"\nwire_api = "responses"\nrequest_max_retries = 0\nstream_max_retries = 0\nrequires_openai_auth = false\n`,
);

const once = async (kind: Kind, rollout: { threadId: string; path: string; bytes: number }): Promise<Sample> => {
  const { threadId } = rollout;
  const server = launch(home);
  const deadline = setTimeout(() => {
    process.stderr.write(`resume: ${kind} took over 3 minutes; stopping\n`);
    void server.stop().then(() => {
      rmSync(root, { recursive: true, force: true });
      process.exit(2);
    });
  }, 180_000);
  try {
    const client = RpcClient.stdio(server);
    await client.initialize();
    const pid = server.workerPid();
    const baselineMb = vmKb(pid, 'VmHWM') / 1024;
    const { message, ms: requestMs } =
      kind === 'read'
        ? await client.timedRequest('thread/read', { threadId, includeTurns: true })
        : await client.timedRequest(kind === 'fork' ? 'thread/fork' : 'thread/resume', { threadId });
    if (kind === 'fork' && typeof message.result?.thread.path === 'string') rmSync(message.result.thread.path);
    let ms = requestMs;
    if (kind === 'turn') {
      const turn = await runTurn(client, threadId, 'One more thing.');
      if (turn.completed.params.turn.status !== 'completed') throw new Error(`turn: ${JSON.stringify(turn.completed.params.turn)}`);
      ms = turn.completedAt - turn.startedAt;
    }
    const peakMb = vmKb(pid, 'VmHWM') / 1024;
    if (message.error !== undefined) throw new Error(`thread/${kind} failed: ${JSON.stringify(message.error)}`);
    const turns = (message.result.thread.turns as unknown[]).length;
    return { ms, peakMb, baselineMb, turns, answerMb: JSON.stringify(message).length / 1e6 };
  } finally {
    clearTimeout(deadline);
    await server.stop();
    if (kind === 'turn') truncateSync(rollout.path, rollout.bytes);
  }
};

const summary = (samples: readonly Sample[]): Record<string, number> => ({
  ms: Math.round(median(samples.map((s) => s.ms))),
  minMs: Math.round(Math.min(...samples.map((s) => s.ms))),
  peakRssMb: Math.round(median(samples.map((s) => s.peakMb))),
  baselineRssMb: Math.round(median(samples.map((s) => s.baselineMb))),
  turns: samples[0]!.turns,
  answerMb: +samples[0]!.answerMb.toFixed(1),
});

try {
  const generatedAt = performance.now();
  const rollout = writeLongRollout(home, cwd, LINES);
  const generatedMs = performance.now() - generatedAt;
  await once('resume', rollout);
  const samples: Record<Kind, Sample[]> = { resume: [], read: [], turn: [], fork: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const kind of ['resume', 'read', 'turn', 'fork'] as const) samples[kind].push(await once(kind, rollout));
  }
  const unchanged = statSync(rollout.path).size === rollout.bytes;
  const result = {
    bench: 'resume',
    server: serverName(),
    runs: RUNS,
    rollout: { lines: rollout.lines, turns: rollout.turns, megabytes: +(rollout.bytes / 1e6).toFixed(1), generatedMs: Math.round(generatedMs) },
    resume: summary(samples.resume),
    read: summary(samples.read),
    firstTurnAfterResume: summary(samples.turn),
    fork: summary(samples.fork),
    ...(unchanged ? {} : { rolloutChangedBytes: statSync(rollout.path).size - rollout.bytes }),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await mock.close();
  rmSync(root, { recursive: true, force: true });
}
