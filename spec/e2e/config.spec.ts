import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'smol-toml';
import { RpcClient, type Message } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';
import { TempTree } from '../support/tempTree.js';

interface ConfigLayerWire {
  name: { type: string; file?: string; dotCodexFolder?: string };
  version: string;
  config: unknown;
  disabledReason?: string | null;
}
interface ReadResult {
  config: Record<string, unknown>;
  origins: Record<string, { name: { type: string }; version: string }>;
  layers?: ConfigLayerWire[] | null;
}
interface RpcErrorWire {
  code: number;
  message: string;
  data: Record<string, unknown>;
}

describe('config methods (stdio)', () => {
  let tree: TempTree;
  let servers: ServerProcess[];
  beforeEach(() => {
    tree = new TempTree({ 'home/': '', 'system/': '' });
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    tree.remove();
  });

  const start = async (args: string[] = [], cwd?: string): Promise<RpcClient> => {
    const server = ServerProcess.start(['app-server', ...args], {
      codexHome: tree.path('home'),
      env: { RXAGENT_SYSTEM_CONFIG_DIR: tree.path('system') },
      ...(cwd ? { cwd } : {}),
    });
    servers.push(server);
    const client = RpcClient.stdio(server);
    await client.initialize();
    return client;
  };
  const result = <T>(m: Message): T => {
    if (!('result' in m)) throw new Error(`expected a result, got ${JSON.stringify(m)}`);
    return m.result as T;
  };
  const error = (m: Message): RpcErrorWire => {
    if (!('error' in m)) throw new Error(`expected an error, got ${JSON.stringify(m)}`);
    return m.error as RpcErrorWire;
  };
  const userFile = () => tree.path('home/config.toml');
  const trust = (dir: string): string => `[projects."${tree.path(dir)}"]\ntrust_level = "trusted"\n`;

  describe('config/read', () => {
    it('reads the user config without project layers and without layers unless asked', async () => {
      tree.write({ 'home/config.toml': 'model = "gpt-5"\napproval_policy = "on-request"\n[features]\nunified_exec = false\n' });
      const client = await start();
      const read = result<ReadResult>(await client.request('config/read', {}));
      expect(read.config).to.include({ model: 'gpt-5', approval_policy: 'on-request', sandbox_mode: null });
      expect(read.config.features).to.deep.equal({ unified_exec: false });
      expect(read.origins['model']!.name).to.deep.equal({ type: 'user', file: userFile() });
      expect(read.origins['features.unified_exec']!.version).to.match(/^sha256:[0-9a-f]{64}$/);
      // Left out unless asked for, as the reference does.
      expect(read).to.not.have.property('layers');

      const withLayers = result<ReadResult>(await client.request('config/read', { includeLayers: true }));
      expect(withLayers.layers!.map((l) => l.name)).to.deep.equal([
        { type: 'user', file: userFile() },
        { type: 'system', file: tree.path('system/config.toml') },
      ]);
      expect(withLayers.layers![0]!.version).to.equal(read.origins['model']!.version);
    });

    it('adds the project layers of cwd, listing disabled ones with their reason', async () => {
      tree.write({
        'home/config.toml': `model = "mine"\n${trust('repo')}[projects."${tree.path('repo/pkg')}"]\ntrust_level = "untrusted"\n`,
        'repo/.git/': '',
        'repo/.codex/config.toml': 'model = "from-repo"\n',
        'repo/pkg/.codex/config.toml': 'approval_policy = "never"\n',
        'repo/pkg/deep/': '',
      });
      const client = await start();
      const read = result<ReadResult>(await client.request('config/read', { cwd: tree.path('repo/pkg/deep'), includeLayers: true }));
      expect(read.config).to.include({ model: 'from-repo', approval_policy: null });
      expect(read.origins['model']!.name).to.deep.equal({ type: 'project', dotCodexFolder: tree.path('repo/.codex') });
      expect(read.layers!.map((l) => [l.name.type, l.name.dotCodexFolder ?? l.name.file, l.disabledReason ?? null])).to.deep.equal([
        ['project', tree.path('repo/pkg/.codex'), `${tree.path('repo/pkg')} is marked as untrusted in ${userFile()}. To load config.toml, mark it trusted.`],
        ['project', tree.path('repo/.codex'), null],
        ['user', userFile(), null],
        ['system', tree.path('system/config.toml'), null],
      ]);
    });

    it('puts a -c override above every layer, as the sessionFlags layer', async () => {
      tree.write({ 'home/config.toml': 'model = "mine"\n' });
      const client = await start(['-c', 'model="o3"', '-c', 'sandbox_workspace_write.network_access=true']);
      const read = result<ReadResult>(await client.request('config/read', { includeLayers: true }));
      expect(read.config.model).to.equal('o3');
      expect(read.config.sandbox_workspace_write).to.deep.equal({
        writable_roots: [],
        network_access: true,
        exclude_tmpdir_env_var: false,
        exclude_slash_tmp: false,
      });
      expect(read.origins['model']!.name).to.deep.equal({ type: 'sessionFlags' });
      expect(read.layers![0]).to.deep.include({ name: { type: 'sessionFlags' }, config: { model: 'o3', sandbox_workspace_write: { network_access: true } } });
    });
  });

  describe('a malformed config at start-up', () => {
    it('starts with defaults, warns after initialize and keeps serving', async () => {
      tree.write({ 'home/config.toml': 'model = "o3"\n[features\nx = 1\n' });
      const client = await start();
      const warning = await client.waitFor((m) => m.method === 'configWarning');
      const params = warning.params as { summary: string; details: string; path: string; range: { start: { line: number } } };
      expect(params.summary).to.equal('Invalid configuration; using defaults.');
      expect(params.path).to.equal(userFile());
      expect(params.range.start.line).to.equal(2);
      expect(params.details).to.match(new RegExp(`^${userFile()}:2:\\d+: `));

      const read = error(await client.request('config/read', {}));
      expect(read).to.deep.include({ code: -32603 });
      expect(read.message).to.match(new RegExp(`^failed to read configuration layers: ${userFile()}:2:`));
      expect(read.data).to.deep.equal({ kind: 'configLoadFailed' });
      expect(result(await client.request('configRequirements/read'))).to.deep.equal({ requirements: null });
    });

    it('starts with defaults when a trusted project config two levels above the cwd is malformed', async () => {
      tree.write({ 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/.codex/config.toml': 'model = [\n', 'repo/pkg/sub/': '' });
      tree.write({ 'home/config.toml': `model = "o3"\n${trust('repo')}` });
      const client = await start([], tree.path('repo/pkg/sub'));
      const warning = await client.waitFor((m) => m.method === 'configWarning');
      const params = warning.params as { summary: string; path: string };
      expect(params.summary).to.equal('Invalid configuration; using defaults.');
      expect(params.path).to.equal(tree.path('repo/.codex/config.toml'));
      // The server keeps serving: the thread-agnostic stack (no project layers) still reads.
      expect(result<ReadResult>(await client.request('config/read', {})).config.model).to.equal('o3');
    });

    it('points a value of the wrong type at its place in the file', async () => {
      tree.write({ 'home/config.toml': 'approval_policy = "sometimes"\n' });
      const client = await start();
      const warning = await client.waitFor((m) => m.method === 'configWarning');
      expect(warning.params).to.deep.equal({
        summary: 'Invalid configuration; using defaults.',
        details: `${userFile()}:1:19: approval_policy: expected one of "untrusted", "on-failure", "on-request", "never", got "sometimes"`,
        path: userFile(),
        range: { start: { line: 1, column: 19 }, end: { line: 1, column: 29 } },
      });
    });

    it('repeats the warnings to every initialized connection after each initialize (websocket)', async () => {
      tree.write({ 'home/config.toml': '[broken\n' });
      const server = ServerProcess.start(['app-server', '--listen', 'ws://127.0.0.1:0'], {
        codexHome: tree.path('home'),
        env: { RXAGENT_SYSTEM_CONFIG_DIR: tree.path('system') },
      });
      servers.push(server);
      const [, url] = await server.waitForStderr(/listening on: (ws:\/\/127\.0\.0\.1:\d+)/);
      const a = await RpcClient.websocket(url!);
      const b = await RpcClient.websocket(url!);
      await a.initialize();
      await a.waitFor((m) => m.method === 'configWarning');
      await b.initialize();
      await b.waitFor((m) => m.method === 'configWarning');
      // A's second copy is the broadcast that followed B's initialize.
      await a.waitFor((m) => m.method === 'configWarning' && a.received.filter((r) => r.method === 'configWarning').length === 2);
      a.close();
      b.close();
    });
  });

  describe('config/value/write and config/batchWrite', () => {
    it('writes the user file, keeping its comments, and reports the new version', async () => {
      tree.write({ 'home/config.toml': '# my settings\nmodel = "a" # keep me\n' });
      const client = await start();
      const before = result<ReadResult>(await client.request('config/read', { includeLayers: true }));
      const written = result<{ status: string; version: string; filePath: string; overriddenMetadata: unknown }>(
        await client.request('config/value/write', { keyPath: 'model', value: 'b', mergeStrategy: 'replace', expectedVersion: before.layers![0]!.version }),
      );
      expect(written).to.deep.include({ status: 'ok', filePath: userFile(), overriddenMetadata: null });
      expect(readFileSync(userFile(), 'utf8')).to.equal('# my settings\nmodel = "b" # keep me\n');
      const after = result<ReadResult>(await client.request('config/read', { includeLayers: true }));
      expect(after.layers![0]!.version).to.equal(written.version);
    });

    it('of two concurrent writes with the same stale version, applies one and refuses the other', async () => {
      tree.write({ 'home/config.toml': 'model = "start"\n' });
      const client = await start();
      const { layers } = result<ReadResult>(await client.request('config/read', { includeLayers: true }));
      const stale = layers![0]!.version;
      const answers = await Promise.all([
        client.request('config/value/write', { keyPath: 'model', value: 'one', mergeStrategy: 'replace', expectedVersion: stale }),
        client.request('config/value/write', { keyPath: 'model', value: 'two', mergeStrategy: 'replace', expectedVersion: stale }),
      ]);
      const ok = answers.filter((a) => 'result' in a);
      const refused = answers.filter((a) => 'error' in a);
      expect(ok).to.have.length(1);
      expect(refused).to.have.length(1);
      expect(error(refused[0]!)).to.deep.equal({
        code: -32600,
        message: 'Configuration was modified since last read. Fetch latest version and retry.',
        data: { kind: 'configVersionConflict', config_write_error_code: 'configVersionConflict' },
      });
      const winner = answers.indexOf(ok[0]!) === 0 ? 'one' : 'two';
      expect(parse(readFileSync(userFile(), 'utf8'))).to.deep.equal({ model: winner });
    });

    it('applies a batch in order and refuses writes to any other file', async () => {
      const client = await start(['-c', 'model="flag"']);
      const batch = result<{ status: string; overriddenMetadata: { message: string; effectiveValue: unknown } | null }>(
        await client.request('config/batchWrite', {
          edits: [
            { keyPath: 'features.web', value: true, mergeStrategy: 'replace' },
            { keyPath: 'model', value: 'mine', mergeStrategy: 'replace' },
          ],
        }),
      );
      expect(batch.status).to.equal('okOverridden');
      expect(batch.overriddenMetadata).to.deep.include({ message: 'Overridden by session flags', effectiveValue: 'flag' });
      expect(parse(readFileSync(userFile(), 'utf8'))).to.deep.equal({ features: { web: true }, model: 'mine' });

      const refused = error(await client.request('config/value/write', {
        keyPath: 'model', value: 'x', mergeStrategy: 'replace', filePath: tree.path('system/config.toml'),
      }));
      expect(refused).to.deep.equal({
        code: -32600,
        message: 'Only writes to the user config are allowed',
        data: { kind: 'configLayerReadonly', config_write_error_code: 'configLayerReadonly' },
      });
      const empty = error(await client.request('config/value/write', { keyPath: '', value: 1, mergeStrategy: 'upsert' }));
      expect(empty.data).to.deep.equal({ kind: 'configValidationError', config_write_error_code: 'configValidationError' });
    });
  });

  describe('configRequirements/read', () => {
    it('reads requirements.toml from the system config folder', async () => {
      tree.write({ 'system/requirements.toml': 'allowed_approval_policies = ["never"]\nallowed_sandbox_modes = ["read-only"]\n' });
      const client = await start();
      expect(result(await client.request('configRequirements/read'))).to.deep.equal({
        requirements: {
          allowedApprovalPolicies: ['never'],
          allowedSandboxModes: ['read-only'],
          allowedWebSearchModes: null,
          enforceResidency: null,
          network: null,
        },
      });
    });
  });
});
