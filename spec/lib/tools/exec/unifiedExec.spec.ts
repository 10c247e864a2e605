import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter, Observable, ReplaySubject } from 'rxjs';
import type { SandboxPolicy } from '../../../../lib/protocol/v2/common.js';
import { probeBwrap } from '../../../../lib/sandbox/bwrap.js';
import { findExecutable, nodeFsView } from '../../../../lib/sandbox/fsView.js';
import { createSandbox, type Sandbox } from '../../../../lib/sandbox/sandbox.js';
import type { ExecEvent } from '../../../../lib/tools/exec/events.js';
import { planExecCommand } from '../../../../lib/tools/exec/plans.js';
import { UnifiedExec, type UnifiedExecDeps } from '../../../../lib/tools/exec/unifiedExec.js';
import { eventsOf, testEnv, witness } from './support.js';

const fullAccess: SandboxPolicy = { type: 'dangerFullAccess' };

/** A running exec call: its events so far (replayed) and the first answer to the model. */
interface Started {
  readonly events: ReplaySubject<ExecEvent>;
  readonly answer: Promise<Extract<ExecEvent, { type: 'toolOutput' }>>;
  readonly done: Promise<ExecEvent[]>;
}

const toolOutput = (events$: Observable<ExecEvent>) =>
  firstValueFrom(events$.pipe(filter((event): event is Extract<ExecEvent, { type: 'toolOutput' }> => event.type === 'toolOutput')));

/** The output section of a report (everything after `Output:`). */
const outputOf = (report: string) => report.slice(report.indexOf('\nOutput:\n') + '\nOutput:\n'.length);
const sessionOf = (report: string) => Number(/Process running with session ID (\d+)/.exec(report)?.[1]);

describe('UnifiedExec', () => {
  let exec: UnifiedExec;
  let nextId: number;
  const make = (extra: Partial<UnifiedExecDeps> = {}) =>
    new UnifiedExec({ sandbox: createSandbox(), env: testEnv(), newSessionId: () => nextId++, newChunkId: () => 'c0ffee', ...extra });

  const start = (args: Record<string, unknown>, callId = 'call_1', policy: SandboxPolicy = fullAccess, cwd = '/'): Started => {
    const plan = planExecCommand({ shell: '/bin/sh', ...args }, { cwd, defaultShell: '/bin/sh' });
    if (E.isLeft(plan)) throw new Error(plan.left);
    const events = new ReplaySubject<ExecEvent>();
    exec.exec(plan.right, { callId, sandboxPolicy: policy }).subscribe(events);
    return { events, answer: toolOutput(events), done: eventsOf(events) };
  };

  beforeEach(() => {
    nextId = 1000;
    exec = make();
  });
  // Every test leaves no process behind.
  afterEach(() => exec.closeAll());

  it('answers as soon as the command exits, with everything it printed and its exit code', async () => {
    const run = start({ cmd: 'echo one; echo two >&2; exit 3' });
    const events = await run.done;
    expect(events[0]).to.deep.equal({
      type: 'begin',
      itemId: 'call_1',
      processId: '1000',
      command: "/bin/sh -lc 'echo one; echo two >&2; exit 3'",
      cwd: '/',
      commandActions: [{ type: 'unknown', command: 'echo one; echo two >&2; exit 3' }],
    });
    const deltas = events.flatMap((event) => (event.type === 'outputDelta' ? [event.delta] : [])).join('');
    const end = events.find((event) => event.type === 'end');
    expect(end).to.deep.include({ status: 'failed', exitCode: 3, processId: '1000', sandboxDenied: false });
    expect(end && end.type === 'end' && end.aggregatedOutput).to.equal(deltas);
    expect(deltas.split('\n').sort()).to.deep.equal(['', 'one', 'two']);
    const answer = await run.answer;
    expect(answer.output).to.match(/^Chunk ID: c0ffee\nWall time: \d+\.\d{4} seconds\nProcess exited with code 3\nOriginal token count: 2\nOutput:\n/);
    expect(answer.success).to.equal(true);
    expect(exec.sessionIds).to.deep.equal([]);
  });

  it('keeps a session for a command still running at the yield time; write_stdin types into its terminal', async () => {
    const run = start({ cmd: 'read line; echo "got $line"', tty: true, yield_time_ms: 250 });
    const first = await run.answer;
    expect(first.output).to.include('Process running with session ID 1000').and.not.include('exited');
    expect(exec.sessionIds).to.deep.equal([1000]);

    const reply = await eventsOf(exec.writeStdin({ session_id: 1000, chars: 'hi\n', yield_time_ms: 10_000 }, { callId: 'call_2' }));
    expect(reply[0]).to.deep.equal({ type: 'terminalInteraction', itemId: 'call_1', processId: '1000', stdin: 'hi\n' });
    const answer = reply[1];
    expect(answer).to.include({ type: 'toolOutput', callId: 'call_2', success: true });
    expect(answer?.type === 'toolOutput' && answer.output).to.match(/Process exited with code 0\n[\s\S]*got hi\r\n/);

    const events = await run.done;
    expect(events.at(-1)).to.deep.include({ type: 'end', itemId: 'call_1', status: 'completed', exitCode: 0 });
    expect(exec.sessionIds).to.deep.equal([]);
  });

  it('hands each byte to the model once, across successive reads', async () => {
    const run = start({ cmd: 'echo first; read a; echo second; read b; echo third', tty: true, yield_time_ms: 250 });
    const reads = [(await run.answer).output];
    // However the output falls between reads (timing decides), together the reads are the whole output.
    // The second read waits out its yield (the command blocks on `read b`); the last returns at exit.
    for (const yieldMs of [500, 10_000]) {
      const reply = await toolOutput(exec.writeStdin({ session_id: 1000, chars: '\n', yield_time_ms: yieldMs }, { callId: 'call_n' }));
      reads.push(reply.output);
    }
    const end = (await run.done).find((event) => event.type === 'end');
    expect(reads.map(outputOf).join('')).to.equal(end?.type === 'end' ? end.aggregatedOutput : null);
    expect(outputOf(reads[0]!)).to.include('first');
    expect(reads[2]).to.include('Process exited with code 0');
  });

  it('gives a command without tty /dev/null for stdin, and refuses to write to it', async () => {
    expect(outputOf((await start({ cmd: 'cat; echo done' }).answer).output)).to.equal('done\n');

    const run = start({ cmd: 'sleep 30', yield_time_ms: 250 }, 'call_sleep');
    const id = sessionOf((await run.answer).output);
    const refused = await toolOutput(exec.writeStdin({ session_id: id, chars: 'y' }, { callId: 'call_3' }));
    expect(refused).to.deep.equal({
      type: 'toolOutput',
      callId: 'call_3',
      output: 'write_stdin failed: stdin is closed for this session; rerun exec_command with tty=true to keep stdin open',
      success: false,
    });
  });

  it('answers write_stdin for an unknown session with an error, and bad arguments with the field', async () => {
    expect(await eventsOf(exec.writeStdin({ session_id: 999, chars: '' }, { callId: 'call_4' }))).to.deep.equal([
      { type: 'toolOutput', callId: 'call_4', output: 'write_stdin failed: Unknown process id 999', success: false },
    ]);
    const bad = await toolOutput(exec.writeStdin('{"chars":"x"}', { callId: 'call_5' }));
    expect(bad.output).to.equal('failed to parse function arguments: arguments.session_id: missing required field');
  });

  it('kills every session and its process tree on closeAll, and still reports their end', async () => {
    const holder = witness();
    try {
      const run = start({ cmd: `exec 3>${holder.path}; sleep 30 & setsid sleep 30 & echo ready >&3; echo ready; wait`, yield_time_ms: 250 });
      await holder.ready;
      expect((await run.answer).output).to.include('Process running with session ID 1000');
      await exec.closeAll();
      await holder.released;
      const end = (await run.done).at(-1);
      expect(end).to.deep.include({ type: 'end', status: 'failed', exitCode: 137 });
      expect(end?.type === 'end' && end.aggregatedOutput).to.equal('ready\n');
      expect(exec.sessionIds).to.deep.equal([]);
    } finally {
      holder.dispose();
    }
  });

  it('ends the least recently used session when the session limit is reached', async () => {
    exec = make({ maxSessions: 1 });
    const first = start({ cmd: 'sleep 30', yield_time_ms: 250 }, 'call_a');
    await first.answer;
    const second = start({ cmd: 'sleep 30', yield_time_ms: 250 }, 'call_b');
    await second.answer;
    expect((await first.done).at(-1)).to.deep.include({ type: 'end', itemId: 'call_a', exitCode: 137 });
    expect(exec.sessionIds).to.deep.equal([1001]);
  });

  it('runs tty sessions on pipes with stdin open when `script` is unavailable', async () => {
    exec = make({ script: null });
    const run = start({ cmd: 'read line; echo "got $line"', tty: true, yield_time_ms: 250 });
    await run.answer;
    const reply = await toolOutput(exec.writeStdin({ session_id: 1000, chars: 'pipe\n', yield_time_ms: 10_000 }, { callId: 'call_6' }));
    expect(outputOf(reply.output)).to.equal('got pipe\n');
  });

  it('fails the item and tells the model when the shell cannot start', async () => {
    const events = await start({ cmd: 'true', shell: '/nonexistent/shell' }).done;
    expect(events.map((event) => event.type)).to.deep.equal(['begin', 'end', 'toolOutput']);
    expect(events[1]).to.deep.include({ status: 'failed', exitCode: null });
    expect(events[2]).to.deep.include({ success: false });
    expect(events[2]?.type === 'toolOutput' && events[2].output).to.match(/^execution error: .*ENOENT/);
  });

  it('refuses a sandboxed command when no sandbox can be built', async () => {
    exec = make({ sandbox: createSandbox({ env: { PATH: '/nonexistent' } }) });
    const events = await start({ cmd: 'touch x' }, 'call_7', { type: 'workspaceWrite' }).done;
    expect(events.map((event) => event.type)).to.deep.equal(['begin', 'end', 'toolOutput']);
    expect(events[1]).to.deep.include({ status: 'failed', exitCode: null });
    expect(events[2]?.type === 'toolOutput' && events[2].output).to.match(/^Refused to run the command: .*bubblewrap/);
    expect(exec.sessionIds).to.deep.equal([]);
  });

  it('does not start a command whose sandbox was still being prepared when the sessions were closed', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => (release = done));
    const slow: Sandbox = { prepare: async (argv) => (await gate, E.right({ argv, sandboxed: false, env: {} })) };
    exec = make({ sandbox: slow });
    const run = start({ cmd: 'echo should-not-run' });
    await exec.closeAll();
    release();
    const events = await run.done;
    expect(events.map((event) => event.type)).to.deep.equal(['begin', 'end', 'toolOutput']);
    expect(events[1]).to.deep.include({ exitCode: null, aggregatedOutput: 'command not started: its session was closed' });
  });

  describe('inside bubblewrap', function () {
    let root: string;
    before(async function () {
      const bwrap = findExecutable('bwrap', process.env['PATH'], nodeFsView);
      if (bwrap === null || !(await probeBwrap(bwrap)).ok) this.skip();
      root = mkdtempSync(join(tmpdir(), 'rxagent-uexec-'));
    });
    after(() => {
      if (root !== undefined) rmSync(root, { recursive: true, force: true });
    });

    it('runs a terminal session in the sandbox and flags a denied write', async () => {
      const policy: SandboxPolicy = { type: 'workspaceWrite', excludeSlashTmp: true, excludeTmpdirEnvVar: true };
      const run = start({ cmd: 'tty; echo x > /denied.txt', tty: true }, 'call_8', policy, root);
      const end = (await run.done).find((event) => event.type === 'end');
      expect(end).to.deep.include({ status: 'failed', sandboxDenied: true });
      expect(end?.type === 'end' && end.aggregatedOutput).to.match(/\/dev\/pts\/\d+\r\n[\s\S]*Read-only file system/);
    });
  });
});
