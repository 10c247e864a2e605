import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { expect } from 'chai';
import { ConfigWriteError, type ConfigEditRequest } from '../../../lib/config/configEdits.js';
import { layerVersion } from '../../../lib/config/fingerprint.js';
import { readConfig } from '../../../lib/config/readConfig.js';
import { writeUserConfig, type WriteUserConfigRequest } from '../../../lib/config/writeUserConfig.js';
import { TempTree } from '../../support/tempTree.js';

describe('writeUserConfig', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree({ 'home/': '', 'system/': '' })));
  afterEach(() => tree.remove());

  const env = () => ({ HOME: tree.path(), RXAGENT_SYSTEM_CONFIG_DIR: tree.path('system') });
  const write = (edits: ConfigEditRequest[], extra: Partial<WriteUserConfigRequest> = {}) =>
    writeUserConfig({ codexHome: tree.path('home'), cliOverrides: [], env: env(), edits, ...extra });
  const set = (keyPath: string, value: unknown): ConfigEditRequest => ({ keyPath, value, mergeStrategy: 'replace' });
  const userText = () => readFileSync(tree.path('home/config.toml'), 'utf8');
  const refusal = async (promise: Promise<unknown>): Promise<ConfigWriteError> => {
    const err = await promise.then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ConfigWriteError);
    return err as ConfigWriteError;
  };

  it('creates the user file and answers ok with the new version and the file path', async () => {
    const answer = await write([set('model', 'o3')]);
    expect(answer).to.deep.equal({
      status: 'ok',
      version: layerVersion({ model: 'o3' }),
      filePath: tree.path('home/config.toml'),
      overriddenMetadata: null,
    });
    expect(userText()).to.equal('model = "o3"\n');
  });

  it('edits only the changed keys, keeping comments', async () => {
    tree.write({ 'home/config.toml': '# mine\nmodel = "a" # note\n\n[features]\nx = true\n' });
    await write([set('model', 'b'), set('features.y', false)]);
    expect(userText()).to.equal('# mine\nmodel = "b" # note\n\n[features]\nx = true\ny = false\n');
  });

  it('returns the version config/read reports next', async () => {
    const { version } = await write([set('profiles.fast.model', 'o3')]);
    const read = await readConfig({ codexHome: tree.path('home'), cliOverrides: [], env: env(), includeLayers: true });
    expect(read.layers!.find((l) => l.name.type === 'user')!.version).to.equal(version);
  });

  it('accepts the current expectedVersion and refuses a stale one with configVersionConflict', async () => {
    const first = await write([set('model', 'a')]);
    await write([set('model', 'b')], { expectedVersion: first.version });
    const err = await refusal(write([set('model', 'c')], { expectedVersion: first.version }));
    expect(err.code).to.equal('configVersionConflict');
    expect(err.message).to.equal('Configuration was modified since last read. Fetch latest version and retry.');
    expect(userText()).to.equal('model = "b"\n');
  });

  it('serializes concurrent writes: of two with the same stale version exactly one lands', async () => {
    const { version } = await write([set('model', 'start')]);
    const outcomes = await Promise.allSettled([
      write([set('model', 'one')], { expectedVersion: version }),
      write([set('model', 'two')], { expectedVersion: version }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect((rejected.reason as ConfigWriteError).code).to.equal('configVersionConflict');
    expect(['model = "one"\n', 'model = "two"\n']).to.include(userText());
    expect(readdirSync(tree.path('home'))).to.deep.equal(['config.toml']);
  });

  it('refuses any file but the user config: configLayerReadonly', async () => {
    tree.write({ 'system/config.toml': 'model = "sys"\n' });
    for (const filePath of [tree.path('system/config.toml'), 'config.toml', tree.path('home/other.toml')]) {
      const err = await refusal(write([set('model', 'x')], { filePath }));
      expect(err.code).to.equal('configLayerReadonly');
      expect(err.message).to.equal('Only writes to the user config are allowed');
    }
    expect(readFileSync(tree.path('system/config.toml'), 'utf8')).to.equal('model = "sys"\n');
  });

  it('accepts the user config under another spelling (a symlinked CODEX_HOME)', async () => {
    symlinkSync(tree.path('home'), tree.path('link'));
    tree.write({ 'home/config.toml': '' });
    const answer = await write([set('model', 'x')], { filePath: tree.path('link/config.toml') });
    expect(answer.filePath).to.equal(tree.path('link/config.toml'));
    expect(userText()).to.equal('model = "x"\n');
  });

  it('refuses a value of the wrong type with configValidationError and writes nothing', async () => {
    tree.write({ 'home/config.toml': 'model = "a"\n' });
    const err = await refusal(write([set('approval_policy', 'sometimes')]));
    expect(err.code).to.equal('configValidationError');
    expect(err.message).to.match(/^Invalid configuration: approval_policy: expected one of /);
    expect(userText()).to.equal('model = "a"\n');
  });

  it('refuses deleting under a missing table with configPathNotFound', async () => {
    expect((await refusal(write([set('profiles.none.model', null)]))).code).to.equal('configPathNotFound');
  });

  it('says okOverridden when a higher layer still decides an edited key', async () => {
    const answer = await writeUserConfig({
      codexHome: tree.path('home'),
      cliOverrides: [{ path: ['model'], value: 'from-flag' }],
      env: env(),
      edits: [set('approval_policy', 'never'), set('model', 'mine')],
    });
    expect(answer.status).to.equal('okOverridden');
    expect(answer.overriddenMetadata).to.deep.equal({
      message: 'Overridden by session flags',
      overridingLayer: { name: { type: 'sessionFlags' }, version: layerVersion({ model: 'from-flag' }) },
      effectiveValue: 'from-flag',
    });
    expect(userText()).to.contain('model = "mine"');
  });

  it('says okOverridden when a deleted key is still set by the system layer', async () => {
    tree.write({ 'system/config.toml': 'model = "sys"\n', 'home/config.toml': 'model = "mine"\n' });
    const answer = await write([set('model', null)]);
    expect(answer.status).to.equal('okOverridden');
    expect(answer.overriddenMetadata?.message).to.equal(`Overridden by managed config (system): ${tree.path('system/config.toml')}`);
    expect(answer.overriddenMetadata?.effectiveValue).to.equal('sys');
  });

  it('does not touch the file when nothing changes', async () => {
    tree.write({ 'home/config.toml': 'model = "a"   # odd spacing\n' });
    const answer = await write([set('model', 'a')]);
    expect(answer.version).to.equal(layerVersion({ model: 'a' }));
    expect(userText()).to.equal('model = "a"   # odd spacing\n');
  });
});
