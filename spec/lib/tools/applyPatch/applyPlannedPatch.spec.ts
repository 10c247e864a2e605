import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import {
  chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlannedPatch, type PatchWriter } from '../../../../lib/tools/applyPatch/applyPlannedPatch.js';
import { nodePatchFs } from '../../../../lib/tools/applyPatch/nodePatchFs.js';
import type { PatchError } from '../../../../lib/tools/applyPatch/patch.js';
import { parsePatch } from '../../../../lib/tools/applyPatch/parsePatch.js';
import { planPatch, type PatchPlan } from '../../../../lib/tools/applyPatch/planPatch.js';

describe('applyPlannedPatch', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'rxagent-apply-patch-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (path: string, contents: string): void => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), contents);
  };
  const read = (path: string): string => readFileSync(join(dir, path), 'utf8');

  const planFor = async (...body: string[]): Promise<PatchPlan> => {
    const patch = parsePatch(['*** Begin Patch', ...body, '*** End Patch'].join('\n'));
    if (E.isLeft(patch)) throw new Error(patch.left.message);
    const plan = await planPatch(patch.right, nodePatchFs(), dir);
    if (E.isLeft(plan)) throw new Error(plan.left.message);
    return plan.right;
  };

  const apply = async (...body: string[]): Promise<E.Either<PatchError, string>> =>
    applyPlannedPatch(await planFor(...body), nodePatchFs());

  it('adds, updates, moves and deletes files, creating parent directories, and lists them like the reference', async () => {
    file('modify.txt', 'line1\nline2\n');
    file('old/name.txt', 'from\n');
    file('delete.txt', 'bye\n');
    const result = await apply(
      '*** Add File: nested/deep/new.txt', '+created',
      '*** Update File: modify.txt', '@@', '-line2', '+changed',
      '*** Update File: old/name.txt', '*** Move to: renamed/dir/name.txt', '@@', '-from', '+to',
      '*** Delete File: delete.txt',
    );
    expect(result).to.deep.equal(E.right(
      'Success. Updated the following files:\nA nested/deep/new.txt\nM modify.txt\nM renamed/dir/name.txt\nD delete.txt\n',
    ));
    expect(read('nested/deep/new.txt')).to.equal('created\n');
    expect(read('modify.txt')).to.equal('line1\nchanged\n');
    expect(read('renamed/dir/name.txt')).to.equal('to\n');
    expect(existsSync(join(dir, 'old/name.txt'))).to.equal(false);
    expect(existsSync(join(dir, 'delete.txt'))).to.equal(false);
  });

  it('replaces files whole, leaving no temporary files behind', async () => {
    file('a.txt', 'one\n');
    await apply('*** Update File: a.txt', '@@', '-one', '+two', '*** Add File: a2.txt', '+x');
    expect(readdirSync(dir).sort()).to.deep.equal(['a.txt', 'a2.txt']);
  });

  it("keeps an updated file's permission bits", async () => {
    file('run.sh', 'echo 1\n');
    chmodSync(join(dir, 'run.sh'), 0o755);
    await apply('*** Update File: run.sh', '@@', '-echo 1', '+echo 2');
    expect(statSync(join(dir, 'run.sh')).mode & 0o777).to.equal(0o755);
    expect(read('run.sh')).to.equal('echo 2\n');
  });

  it('writes through a symbolic link instead of replacing it', async () => {
    file('target.txt', 'a\n');
    symlinkSync(join(dir, 'target.txt'), join(dir, 'link.txt'));
    await apply('*** Update File: link.txt', '@@', '-a', '+b');
    expect(read('target.txt')).to.equal('b\n');
  });

  it('stops at a failing step and says which steps were already done', async () => {
    file('blocker', 'a file, not a directory\n');
    const result = await apply('*** Add File: ok.txt', '+fine', '*** Add File: blocker/x.txt', '+never');
    if (E.isRight(result)) throw new Error('expected a failure');
    expect(result.left.kind).to.equal('apply');
    expect(result.left.message).to.match(new RegExp(`^Failed to write ${dir}/blocker/x.txt: .+\n`));
    expect(result.left.message).to.contain(`These steps had already been done and were kept:\nwrote ${dir}/ok.txt`);
    expect(read('ok.txt')).to.equal('fine\n');
  });

  it('says nothing changed when the first step fails', async () => {
    const failing: PatchWriter = { write: async () => Promise.reject(new Error('disk full')), remove: async () => undefined };
    const result = await applyPlannedPatch(await planFor('*** Add File: a.txt', '+x'), failing);
    expect(result).to.deep.equal(E.left({ kind: 'apply', line: undefined, message: `Failed to write ${dir}/a.txt: disk full\nNo file was changed.` }));
  });
});

describe('nodePatchFs', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'rxagent-patch-fs-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a missing file (or one under a file) as undefined and refuses a directory', async () => {
    writeFileSync(join(dir, 'f'), 'x');
    const fs = nodePatchFs();
    expect(await fs.read(join(dir, 'missing'))).to.equal(undefined);
    expect(await fs.read(join(dir, 'f', 'below'))).to.equal(undefined);
    expect(await fs.read(join(dir, 'f'))).to.equal('x');
    let error: unknown;
    await fs.read(dir).catch((e: unknown) => (error = e));
    expect((error as { code?: string }).code).to.equal('EISDIR');
  });

  it('lets planning refuse to delete a directory', async () => {
    mkdirSync(join(dir, 'sub'));
    const patch = parsePatch('*** Begin Patch\n*** Delete File: sub\n*** End Patch');
    if (E.isLeft(patch)) throw new Error(patch.left.message);
    const plan = await planPatch(patch.right, nodePatchFs(), dir);
    expect(E.isLeft(plan) && plan.left.message).to.match(/^Failed to read .*\/sub: EISDIR/);
  });
});
