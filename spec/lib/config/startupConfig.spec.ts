import { expect } from 'chai';
import { startupConfigWarnings, type StartupConfigOptions } from '../../../lib/config/startupConfig.js';
import { TempTree } from '../../support/tempTree.js';

describe('startupConfigWarnings', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree({ 'home/': '', 'system/': '', 'work/': '' })));
  afterEach(() => tree.remove());

  const warnings = (options: Partial<StartupConfigOptions> = {}) =>
    startupConfigWarnings({
      codexHome: tree.path('home'),
      cwd: tree.path('work'),
      cliOverrides: [],
      env: { HOME: tree.path(), RXAGENT_SYSTEM_CONFIG_DIR: tree.path('system') },
      ...options,
    });

  it('has nothing to say about a sound config', async () => {
    tree.write({ 'home/config.toml': 'model = "o3"\n' });
    expect(await warnings()).to.deep.equal([]);
  });

  it('falls back to defaults on a malformed user config, pointing at the error', async () => {
    tree.write({ 'home/config.toml': 'model = "o3"\nmodel_provider = \n' });
    const [warning, ...rest] = await warnings();
    expect(rest).to.deep.equal([]);
    expect(warning).to.deep.include({ summary: 'Invalid configuration; using defaults.', path: tree.path('home/config.toml') });
    expect(warning!.range).to.deep.equal({ start: { line: 2, column: 18 }, end: { line: 2, column: 18 } });
    expect(warning!.details).to.match(new RegExp(`^${tree.path('home/config.toml')}:2:18: `));
  });

  it('falls back to defaults on a malformed trusted project config in the server cwd', async () => {
    tree.write({
      'work/.git/': '',
      'work/.codex/config.toml': '[broken\n',
      'home/config.toml': `[projects."${tree.path('work')}"]\ntrust_level = "trusted"\n`,
    });
    const [warning] = await warnings();
    expect(warning).to.deep.include({ summary: 'Invalid configuration; using defaults.', path: tree.path('work/.codex/config.toml') });
  });

  it('reports a value of the wrong type with its location', async () => {
    tree.write({ 'home/config.toml': 'sandbox_mode = "open"\n' });
    const [warning] = await warnings();
    expect(warning!.details).to.equal(
      `${tree.path('home/config.toml')}:1:16: sandbox_mode: expected one of "read-only", "workspace-write", "danger-full-access", got "open"`,
    );
    expect(warning!.range).to.deep.equal({ start: { line: 1, column: 16 }, end: { line: 1, column: 21 } });
  });

  it('includes the -c overrides in the load', async () => {
    const [warning] = await warnings({ cliOverrides: [{ path: ['profile'], value: 'missing' }] });
    expect(warning).to.deep.include({ summary: 'Invalid configuration; using defaults.', details: 'config profile `missing` not found' });
  });

  it('lists disabled project folders in one warning', async () => {
    tree.write({ 'work/.git/': '', 'work/.codex/config.toml': 'model = "p"\n', 'work/sub/.codex/config.toml': 'model = "q"\n' });
    const list = await warnings({ cwd: tree.path('work/sub') });
    expect(list).to.have.length(1);
    expect(list[0]!.summary).to.match(/^Project config\.toml files are disabled in the following folders\./);
    expect(list[0]!.summary).to.contain(`    1. ${tree.path('work/.codex')}\n`);
    expect(list[0]!.summary).to.contain(`    2. ${tree.path('work/sub/.codex')}\n`);
  });
});
