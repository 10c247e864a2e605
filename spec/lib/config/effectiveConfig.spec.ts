import { expect } from 'chai';
import type { ConfigOverride } from '../../../lib/config/cliOverrides.js';
import { ConfigLoadError } from '../../../lib/config/configError.js';
import { layerVersion } from '../../../lib/config/fingerprint.js';
import { ConfigSchemaError, effectiveConfig, type EffectiveConfigOptions } from '../../../lib/config/effectiveConfig.js';
import { TempTree } from '../../support/tempTree.js';

describe('effectiveConfig', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree({ 'home/': '', 'system/': '' })));
  afterEach(() => tree.remove());

  const load = (options: Partial<EffectiveConfigOptions> = {}) =>
    effectiveConfig({
      codexHome: tree.path('home'),
      cliOverrides: [],
      env: { HOME: tree.path(), RXAGENT_SYSTEM_CONFIG_DIR: tree.path('system') },
      ...options,
    });
  const trust = (dir: string, level = 'trusted'): string => `[projects."${tree.path(dir)}"]\ntrust_level = "${level}"\n`;
  const flag = (path: string, value: unknown): ConfigOverride => ({ path: path.split('.'), value });

  describe('layers (SPEC §10.1)', () => {
    it('has empty system and user layers when neither file exists', async () => {
      const { layers, config } = await load();
      expect(layers.map((l) => l.name)).to.deep.equal([
        { type: 'system', file: tree.path('system/config.toml') },
        { type: 'user', file: tree.path('home/config.toml') },
      ]);
      expect(layers.map((l) => l.version)).to.deep.equal([layerVersion({}), layerVersion({})]);
      expect(config).to.deep.equal({});
    });

    it('lets the user layer override the system layer, key by key', async () => {
      tree.write({
        'system/config.toml': 'model = "sys"\napproval_policy = "never"\n[features]\na = true\n',
        'home/config.toml': 'model = "mine"\n[features]\nb = false\n',
      });
      const { config, origins } = await load();
      expect(config).to.deep.equal({ model: 'mine', approval_policy: 'never', features: { a: true, b: false } });
      expect(origins['model']!.name).to.deep.equal({ type: 'user', file: tree.path('home/config.toml') });
      expect(origins['features.a']!.name).to.deep.equal({ type: 'system', file: tree.path('system/config.toml') });
    });

    it('gives each layer the version of its own table', async () => {
      tree.write({ 'home/config.toml': 'model = "o3"\n[a]\nz = 1\ny = [1, 2]\n' });
      const { layers } = await load();
      expect(layers[1]!.version).to.equal(layerVersion({ a: { y: [1, 2], z: 1 }, model: 'o3' }));
    });

    it('adds no project layers without a cwd', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/config.toml': 'model = "p"\n', 'home/config.toml': trust('repo') });
      const { layers } = await load();
      expect(layers.map((l) => l.name.type)).to.deep.equal(['system', 'user']);
    });
  });

  describe('project layers', () => {
    it('finds a .codex folder two levels above the cwd, up to the project root', async () => {
      tree.write({
        'repo/.git/': '',
        'repo/.codex/config.toml': 'model = "from-root"\n',
        'repo/pkg/sub/': '',
        'home/config.toml': trust('repo'),
      });
      const { layers, config, origins } = await load({ cwd: tree.path('repo/pkg/sub') });
      const project = layers.find((l) => l.name.type === 'project')!;
      expect(project.name).to.deep.equal({ type: 'project', dotCodexFolder: tree.path('repo/.codex') });
      expect(project.disabledReason).to.equal(undefined);
      expect(config.model).to.equal('from-root');
      expect(origins['model']!.name).to.deep.equal(project.name);
    });

    it('orders project layers root first, so the folder nearest the cwd wins', async () => {
      tree.write({
        'repo/.git/': '',
        'repo/.codex/config.toml': 'model = "root"\napproval_policy = "never"\n',
        'repo/pkg/.codex/config.toml': 'model = "pkg"\n',
        'home/config.toml': trust('repo'),
      });
      const { layers, config } = await load({ cwd: tree.path('repo/pkg') });
      expect(layers.filter((l) => l.name.type === 'project').map((l) => l.name)).to.deep.equal([
        { type: 'project', dotCodexFolder: tree.path('repo/.codex') },
        { type: 'project', dotCodexFolder: tree.path('repo/pkg/.codex') },
      ]);
      expect(config).to.include({ model: 'pkg', approval_policy: 'never' });
    });

    it('stops at the project root: folders above it are not project layers', async () => {
      tree.write({ '.codex/config.toml': 'model = "above"\n', 'repo/.git/': '', 'repo/src/': '' });
      const { layers } = await load({ cwd: tree.path('repo/src') });
      expect(layers.map((l) => l.name.type)).to.deep.equal(['system', 'user']);
    });

    it('disables an untrusted project layer, keeps its table and says how to trust it', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/config.toml': 'model = "p"\n', 'repo/a/b/': '' });
      const { layers, config, warnings } = await load({ cwd: tree.path('repo/a/b') });
      const project = layers.find((l) => l.name.type === 'project')!;
      expect(project.config).to.deep.equal({ model: 'p' });
      expect(project.disabledReason).to.equal(
        `To load config.toml, add ${tree.path('repo')} as a trusted project in ${tree.path('home/config.toml')}.`,
      );
      expect(config).to.deep.equal({});
      expect(warnings).to.deep.equal([{
        summary:
          'Project config.toml files are disabled in the following folders. Settings in those files are ignored, but skills and exec policies still load.\n' +
          `    1. ${tree.path('repo/.codex')}\n       ${project.disabledReason}\n`,
        details: null,
      }]);
    });

    it('names the trust entry of a folder marked untrusted', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/config.toml': 'model = "p"\n', 'home/config.toml': trust('repo', 'untrusted') });
      const { layers } = await load({ cwd: tree.path('repo') });
      expect(layers[2]!.disabledReason).to.equal(
        `${tree.path('repo')} is marked as untrusted in ${tree.path('home/config.toml')}. To load config.toml, mark it trusted.`,
      );
    });

    it('trusts a folder through its own entry, the project root or the git repository root', async () => {
      tree.write({
        'repo/.git/': '',
        'repo/pkg/.codex/config.toml': 'model = "pkg"\n',
        'repo/pkg/.hg/': '',
        'home/config.toml': `project_root_markers = [".hg"]\n${trust('repo')}`,
      });
      // Root by marker is repo/pkg; trust comes from the git repository root, repo.
      const { config } = await load({ cwd: tree.path('repo/pkg') });
      expect(config.model).to.equal('pkg');
    });

    it('enables a .codex folder without config.toml as an empty layer even when untrusted', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/skills/': '' });
      const { layers } = await load({ cwd: tree.path('repo') });
      expect(layers[2]).to.deep.include({ config: {}, version: layerVersion({}) });
      expect(layers[2]!.disabledReason).to.equal(undefined);
    });

    it('treats the cwd as the root when project_root_markers is empty', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/config.toml': 'model = "root"\n', 'repo/sub/': '', 'home/config.toml': 'project_root_markers = []\n' });
      const { layers } = await load({ cwd: tree.path('repo/sub') });
      expect(layers.map((l) => l.name.type)).to.deep.equal(['system', 'user']);
    });

    it('skips the .codex folder that is CODEX_HOME itself', async () => {
      tree.write({ 'u/.git/': '', 'u/.codex/config.toml': 'model = "user"\n' });
      const { layers, config } = await load({ codexHome: tree.path('u/.codex'), cwd: tree.path('u') });
      expect(layers.map((l) => l.name.type)).to.deep.equal(['system', 'user']);
      expect(config.model).to.equal('user');
    });

    it('resolves relative paths against the folder of the layer that set them', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/config.toml': 'model_instructions_file = "inst.md"\n', 'home/config.toml': trust('repo') });
      const { config } = await load({ cwd: tree.path('repo') });
      expect(config.model_instructions_file).to.equal(tree.path('repo/.codex/inst.md'));
    });

    it('fails on a malformed trusted project file, pointing at the line and column', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/config.toml': 'model = "ok"\nbroken = = 1\n', 'home/config.toml': trust('repo') });
      const err = await load({ cwd: tree.path('repo') }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ConfigLoadError);
      expect((err as ConfigLoadError).location).to.deep.equal({
        file: tree.path('repo/.codex/config.toml'),
        range: { start: { line: 2, column: 10 }, end: { line: 2, column: 10 } },
      });
      expect((err as Error).message).to.match(new RegExp(`^${tree.path('repo/.codex/config.toml')}:2:10: `));
    });

    it('turns a malformed untrusted project file into an empty disabled layer', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/config.toml': 'broken = = 1\n' });
      const { layers } = await load({ cwd: tree.path('repo') });
      expect(layers[2]!.config).to.deep.equal({});
      expect(layers[2]!.disabledReason).to.be.a('string');
    });
  });

  describe('session flags and typed overrides', () => {
    it('puts -c overrides above every file layer, as one sessionFlags layer', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/config.toml': 'model = "project"\n', 'home/config.toml': `model = "mine"\n${trust('repo')}` });
      const { layers, config, origins } = await load({ cwd: tree.path('repo'), cliOverrides: [flag('model', 'o3')] });
      expect(layers.at(-1)).to.deep.include({ name: { type: 'sessionFlags' }, config: { model: 'o3' } });
      expect(config.model).to.equal('o3');
      expect(origins['model']!.name).to.deep.equal({ type: 'sessionFlags' });
    });

    it('applies a request config map after the -c overrides, dotted keys becoming tables', async () => {
      const { layers, config } = await load({
        cliOverrides: [flag('model', 'o3'), flag('sandbox_workspace_write.network_access', false)],
        requestConfig: { model: 'gpt-5', 'sandbox_workspace_write.network_access': true, 'features.web': true },
      });
      expect(layers.at(-1)!.config).to.deep.equal({ model: 'gpt-5', sandbox_workspace_write: { network_access: true }, features: { web: true } });
      expect(config).to.deep.equal(layers.at(-1)!.config);
    });

    it('lets -c overrides trust a project (trust is read from the merged layers below)', async () => {
      tree.write({ 'repo/.git/': '', 'repo/.codex/config.toml': 'model = "project"\n' });
      const { config } = await load({ cwd: tree.path('repo'), cliOverrides: [{ path: ['projects', tree.path('repo'), 'trust_level'], value: 'trusted' }] });
      expect(config.model).to.equal('project');
    });

    it('puts typed request fields above everything and leaves them without an origin', async () => {
      tree.write({ 'home/config.toml': 'model = "mine"\napproval_policy = "never"\n' });
      const { config, origins } = await load({ cliOverrides: [flag('model', 'o3')], typedOverrides: { model: 'typed', sandbox_mode: 'read-only' } });
      expect(config).to.deep.equal({ model: 'typed', approval_policy: 'never', sandbox_mode: 'read-only' });
      expect(origins).to.have.keys(['approval_policy']);
    });
  });

  describe('validation', () => {
    it('rejects a value of the wrong type, located in the file that set it', async () => {
      tree.write({ 'home/config.toml': '# mine\n[profiles.x]\nmodel = "a"\napproval_policy = "sometimes"\n' });
      const err = (await load().catch((e: unknown) => e)) as ConfigSchemaError;
      expect(err).to.be.instanceOf(ConfigSchemaError);
      expect(err.problem).to.equal('profiles.x.approval_policy: expected one of "untrusted", "on-failure", "on-request", "never", got "sometimes"');
      expect(err.location).to.deep.equal({
        file: tree.path('home/config.toml'),
        range: { start: { line: 4, column: 19 }, end: { line: 4, column: 29 } },
      });
    });

    it('rejects a malformed user file with its line and column', async () => {
      tree.write({ 'home/config.toml': 'model = "o3"\n[features\n' });
      const err = (await load().catch((e: unknown) => e)) as ConfigLoadError;
      expect(err).to.be.instanceOf(ConfigLoadError);
      expect(err.location?.file).to.equal(tree.path('home/config.toml'));
      expect(err.location?.range.start.line).to.equal(2);
    });

    it('rejects project_root_markers that are not a list of strings', async () => {
      tree.write({ 'home/config.toml': 'project_root_markers = ".git"\n' });
      const err = await load({ cwd: tree.path() }).catch((e: unknown) => e);
      expect((err as Error).message).to.equal('project_root_markers must be an array of strings');
    });
  });
});
