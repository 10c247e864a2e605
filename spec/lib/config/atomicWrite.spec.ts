import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { expect } from 'chai';
import { writeFileAtomic } from '../../../lib/config/atomicWrite.js';
import { TempTree } from '../../support/tempTree.js';

describe('writeFileAtomic', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree({ 'dir/': '' })));
  afterEach(() => tree.remove());

  it('creates or replaces the file and leaves no temporary file behind', async () => {
    await writeFileAtomic(tree.path('dir/config.toml'), 'a = 1\n');
    await writeFileAtomic(tree.path('dir/config.toml'), 'a = 2\n');
    expect(readFileSync(tree.path('dir/config.toml'), 'utf8')).to.equal('a = 2\n');
    expect(readdirSync(tree.path('dir'))).to.deep.equal(['config.toml']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    tree.write({ 'dir/config.toml': 'a = 1\n' });
    chmodSync(tree.path('dir/config.toml'), 0o600);
    await writeFileAtomic(tree.path('dir/config.toml'), 'a = 2\n');
    expect(statSync(tree.path('dir/config.toml')).mode & 0o777).to.equal(0o600);
  });

  it('writes through a symlink, which stays a symlink', async () => {
    tree.write({ 'real/config.toml': 'a = 1\n' });
    symlinkSync(tree.path('real/config.toml'), tree.path('dir/config.toml'));
    await writeFileAtomic(tree.path('dir/config.toml'), 'a = 2\n');
    expect(lstatSync(tree.path('dir/config.toml')).isSymbolicLink()).to.equal(true);
    expect(readFileSync(tree.path('real/config.toml'), 'utf8')).to.equal('a = 2\n');
  });
});
