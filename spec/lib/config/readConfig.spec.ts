import { expect } from 'chai';
import { readConfig } from '../../../lib/config/readConfig.js';
import { toWireConfig } from '../../../lib/config/wireConfig.js';
import { TempTree } from '../../support/tempTree.js';

describe('toWireConfig', () => {
  it('reports every known Config field (null when unset) and passes the other keys through', () => {
    const wire = toWireConfig({ model: 'o3', features: { x: true }, model_providers: { m: { name: 'M' } } }) as Record<string, unknown>;
    expect(wire).to.include({ model: 'o3', review_model: null, approval_policy: null, apps: null });
    expect(wire.profiles).to.deep.equal({});
    expect(wire.features).to.deep.equal({ x: true });
    expect(wire.model_providers).to.deep.equal({ m: { name: 'M' } });
  });

  it('fills the defaults of the typed sections', () => {
    const wire = toWireConfig({ sandbox_workspace_write: { network_access: true }, tools: { web_search: true }, profiles: { p: { model: 'x', extra: 1 } } });
    expect(wire.sandbox_workspace_write).to.deep.equal({ writable_roots: [], network_access: true, exclude_tmpdir_env_var: false, exclude_slash_tmp: false });
    expect(wire.tools).to.deep.equal({ web_search: true, view_image: null });
    expect(wire.profiles!['p']).to.deep.include({ model: 'x', extra: 1, approval_policy: null });
  });
});

describe('readConfig', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree({ 'home/': '', 'system/': '' })));
  afterEach(() => tree.remove());
  const env = () => ({ HOME: tree.path('home-dir'), RXAGENT_SYSTEM_CONFIG_DIR: tree.path('system') });

  it('lists layers highest precedence first only when asked', async () => {
    tree.write({ 'home/config.toml': 'model = "mine"\n' });
    const base = { codexHome: tree.path('home'), cliOverrides: [{ path: ['model'], value: 'o3' }], env: env() };
    expect(await readConfig(base)).to.not.have.property('layers');
    const { layers, config } = await readConfig({ ...base, includeLayers: true });
    expect(layers!.map((l) => l.name.type)).to.deep.equal(['sessionFlags', 'user', 'system']);
    expect(config.model).to.equal('o3');
  });

  it('expands ~ in cwd against HOME', async () => {
    tree.write({
      'home-dir/proj/.git/': '',
      'home-dir/proj/.codex/config.toml': 'model = "p"\n',
      'home/config.toml': `[projects."${tree.path('home-dir/proj')}"]\ntrust_level = "trusted"\n`,
    });
    const { config } = await readConfig({ codexHome: tree.path('home'), cliOverrides: [], env: env(), cwd: '~/proj' });
    expect(config.model).to.equal('p');
  });
});
