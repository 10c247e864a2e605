import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeBwrap } from '../../../lib/sandbox/bwrap.js';
import { findExecutable, nodeFsView } from '../../../lib/sandbox/fsView.js';
import { createSandbox, type PreparedCommand } from '../../../lib/sandbox/sandbox.js';
import type { SandboxPolicy } from '../../../lib/protocol/v2/common.js';

const prepared = async (promise: Promise<E.Either<unknown, PreparedCommand>>): Promise<PreparedCommand> => {
  const result = await promise;
  if (E.isLeft(result)) throw new Error(`expected a prepared command, got ${JSON.stringify(result.left)}`);
  return result.right;
};

/** Runs a prepared argv to completion; resolves with its exit code and combined output. */
const run = (command: PreparedCommand, cwd: string): Promise<{ code: number; output: string }> =>
  new Promise((done) => {
    const [file, ...args] = command.argv;
    execFile(file!, args, { cwd, env: { ...process.env, ...command.env } }, (error, stdout, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: stdout + stderr }),
    );
  });

describe('createSandbox', () => {
  it('runs dangerFullAccess and externalSandbox commands as they are, without looking for bwrap', async () => {
    let probed = false;
    const sandbox = createSandbox({ bwrap: '/nonexistent/bwrap', probe: async () => ((probed = true), { ok: true }) });
    for (const policy of [{ type: 'dangerFullAccess' }, { type: 'externalSandbox' }] as SandboxPolicy[]) {
      expect(await prepared(sandbox.prepare(['ls', '-la'], policy, '/'))).to.deep.equal({ argv: ['ls', '-la'], sandboxed: false, env: {} });
    }
    expect(probed).to.equal(false);
  });

  it('refuses a sandboxed command when bwrap is not installed, saying what to install', async () => {
    const sandbox = createSandbox({ bwrap: 'bwrap', env: { PATH: '/nonexistent' } });
    const result = await sandbox.prepare(['touch', 'x'], { type: 'workspaceWrite' }, '/');
    expect(E.isLeft(result)).to.equal(true);
    const refusal = (result as E.Left<{ kind: string; message: string }>).left;
    expect(refusal.kind).to.equal('sandboxUnavailable');
    expect(refusal.message).to.match(/^Refused to run the command: the sandbox policy `workspaceWrite` requires a sandbox/);
    expect(refusal.message).to.include('apt-get install bubblewrap');
  });

  it('refuses when bwrap is there but cannot create namespaces, quoting its error, and probes only once', async () => {
    const bwrap = findExecutable('sh', process.env['PATH'], nodeFsView)!; // any executable stands in for bwrap
    let probes = 0;
    const sandbox = createSandbox({
      bwrap,
      probe: async () => ((probes += 1), { ok: false, detail: 'bwrap: No permissions to create new namespace' }),
    });
    for (let i = 0; i < 2; i++) {
      const result = await sandbox.prepare(['ls'], { type: 'readOnly' }, '/');
      expect(E.isLeft(result) && result.left.message).to.include('cannot create a sandbox on this machine: bwrap: No permissions to create new namespace');
    }
    expect(probes).to.equal(1);
  });

  it('wraps a sandboxed command in bwrap and tells it the network is off', async () => {
    const bwrap = findExecutable('sh', process.env['PATH'], nodeFsView)!;
    const sandbox = createSandbox({ bwrap, probe: async () => ({ ok: true }) });
    const command = await prepared(sandbox.prepare(['ls'], { type: 'readOnly' }, '/'));
    expect(command.sandboxed).to.equal(true);
    expect(command.argv[0]).to.equal(bwrap);
    expect(command.argv.slice(-2)).to.deep.equal(['--', 'ls']);
    expect(command.env).to.deep.equal({ CODEX_SANDBOX_NETWORK_DISABLED: '1' });
    const online = await prepared(sandbox.prepare(['ls'], { type: 'workspaceWrite', networkAccess: true }, '/'));
    expect(online.env).to.deep.equal({});
  });
});

describe('bubblewrap sandbox (real bwrap)', function () {
  let root: string;
  let workspace: string;
  let outside: string;
  const sandbox = createSandbox();

  before(async function () {
    const bwrap = findExecutable('bwrap', process.env['PATH'], nodeFsView);
    if (bwrap === null || !(await probeBwrap(bwrap)).ok) this.skip();
    root = mkdtempSync(join(tmpdir(), 'rxagent-sandbox-'));
    workspace = join(root, 'workspace');
    outside = join(root, 'outside');
    mkdirSync(join(workspace, '.git'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(workspace, '.git', 'config'), '[core]\n');
  });
  after(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  // Keep the test's own temp directory out of the writable set, so "outside" really is outside.
  const workspaceWrite = (extra: Partial<Extract<SandboxPolicy, { type: 'workspaceWrite' }>> = {}): SandboxPolicy => ({
    type: 'workspaceWrite',
    excludeSlashTmp: true,
    excludeTmpdirEnvVar: true,
    ...extra,
  });

  it('lets a command write inside the workspace', async () => {
    const result = await run(await prepared(sandbox.prepare(['sh', '-c', 'echo in > inside.txt'], workspaceWrite(), workspace)), workspace);
    expect(result.code).to.equal(0);
    expect(readFileSync(join(workspace, 'inside.txt'), 'utf8')).to.equal('in\n');
  });

  it('stops a write outside the writable roots with a read-only file system error', async () => {
    const target = join(outside, 'escaped.txt');
    const result = await run(await prepared(sandbox.prepare(['sh', '-c', `echo out > ${target}`], workspaceWrite(), workspace)), workspace);
    expect(result.code).to.not.equal(0);
    expect(result.output).to.match(/Read-only file system/);
    expect(existsSync(target)).to.equal(false);
  });

  it('lets an extra writable root be written', async () => {
    const target = join(outside, 'allowed.txt');
    const policy = workspaceWrite({ writableRoots: [outside] });
    const result = await run(await prepared(sandbox.prepare(['sh', '-c', `echo ok > ${target}`], policy, workspace)), workspace);
    expect(result.code).to.equal(0);
    expect(readFileSync(target, 'utf8')).to.equal('ok\n');
  });

  it('keeps .git read-only inside a writable workspace', async () => {
    const result = await run(await prepared(sandbox.prepare(['sh', '-c', 'echo bad >> .git/config'], workspaceWrite(), workspace)), workspace);
    expect(result.code).to.not.equal(0);
    expect(readFileSync(join(workspace, '.git', 'config'), 'utf8')).to.equal('[core]\n');
  });

  it('writes nothing at all under readOnly', async () => {
    const result = await run(await prepared(sandbox.prepare(['sh', '-c', 'echo x > ro.txt'], { type: 'readOnly' }, workspace)), workspace);
    expect(result.code).to.not.equal(0);
    expect(existsSync(join(workspace, 'ro.txt'))).to.equal(false);
  });

  it('hides everything but the readable roots under restricted read access', async () => {
    const policy: SandboxPolicy = { type: 'readOnly', access: { type: 'restricted', includePlatformDefaults: true, readableRoots: [] } };
    const result = await run(await prepared(sandbox.prepare(['sh', '-c', `cat .git/config; ls ${outside}`], policy, workspace)), workspace);
    expect(result.output).to.include('[core]');
    expect(result.output).to.match(/No such file or directory/);
    expect(result.code).to.not.equal(0);
  });

  describe('network', () => {
    let server: Server;
    let port: number;
    before(async () => {
      server = createServer((socket) => socket.end());
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      port = (server.address() as { port: number }).port;
    });
    after(() => new Promise<void>((done) => server.close(() => done())));

    const connect = () => ['bash', '-c', `if exec 3<>/dev/tcp/127.0.0.1/${port}; then echo connected; else echo blocked; fi`];

    it('cannot reach a listener on the host loopback without network access', async () => {
      const result = await run(await prepared(sandbox.prepare(connect(), workspaceWrite(), workspace)), workspace);
      expect(result.output).to.include('blocked').and.not.include('connected');
    });

    it('reaches it when the policy allows the network', async () => {
      const result = await run(await prepared(sandbox.prepare(connect(), workspaceWrite({ networkAccess: true }), workspace)), workspace);
      expect(result.output).to.include('connected');
    });
  });
});
