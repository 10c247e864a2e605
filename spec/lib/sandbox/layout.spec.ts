import { expect } from 'chai';
import { bwrapArgv } from '../../../lib/sandbox/bwrap.js';
import type { FsView } from '../../../lib/sandbox/fsView.js';
import { PLATFORM_READABLE_ROOTS, sandboxLayout } from '../../../lib/sandbox/layout.js';

/** A described file tree: directories, files with contents, and symlinks (path → real path). */
const tree = (dirs: string[], files: Record<string, string> = {}, links: Record<string, string> = {}): FsView => {
  const real = (path: string) => {
    for (const [link, target] of Object.entries(links)) {
      if (path === link || path.startsWith(`${link}/`)) return target + path.slice(link.length);
    }
    return path;
  };
  return {
    isDirectory: (path) => dirs.includes(real(path)),
    isFile: (path) => real(path) in files,
    isExecutable: (path) => real(path) in files,
    readText: (path) => files[real(path)] ?? null,
    realpath: real,
  };
};

const fullTree = tree(['/', '/proj', '/tmp', '/var/tmp', '/data', ...PLATFORM_READABLE_ROOTS]);

describe('sandboxLayout', () => {
  it('runs dangerFullAccess and externalSandbox without bubblewrap', () => {
    expect(sandboxLayout({ type: 'dangerFullAccess' }, '/proj', {}, fullTree)).to.deep.equal({ kind: 'none', policy: 'dangerFullAccess' });
    expect(sandboxLayout({ type: 'externalSandbox', networkAccess: 'restricted' }, '/proj', {}, fullTree)).to.deep.equal({
      kind: 'none',
      policy: 'externalSandbox',
    });
  });

  it('makes readOnly read everything, write nothing, and cuts the network', () => {
    expect(sandboxLayout({ type: 'readOnly' }, '/proj', {}, fullTree)).to.deep.equal({
      kind: 'bwrap',
      readableRoots: 'all',
      symlinks: [],
      writableRoots: [],
      protectedPaths: [],
      network: false,
    });
  });

  it('makes workspaceWrite write cwd, writableRoots, /tmp and $TMPDIR', () => {
    const layout = sandboxLayout({ type: 'workspaceWrite', writableRoots: ['/data'] }, '/proj', { TMPDIR: '/var/tmp' }, fullTree);
    expect(layout).to.deep.equal({
      kind: 'bwrap',
      readableRoots: 'all',
      symlinks: [],
      writableRoots: ['/tmp', '/data', '/proj', '/var/tmp'],
      protectedPaths: [],
      network: false,
    });
  });

  it('leaves /tmp and $TMPDIR out when excluded, and allows the network when asked', () => {
    const policy = { type: 'workspaceWrite' as const, networkAccess: true, excludeSlashTmp: true, excludeTmpdirEnvVar: true };
    const layout = sandboxLayout(policy, '/proj', { TMPDIR: '/var/tmp' }, fullTree);
    expect(layout).to.include({ network: true });
    expect(layout).to.have.deep.property('writableRoots', ['/proj']);
  });

  it('drops writable roots that do not exist and canonicalises symlinked ones', () => {
    const fs = tree(['/', '/proj', '/real/tmp'], {}, { '/tmp': '/real/tmp' });
    const layout = sandboxLayout({ type: 'workspaceWrite', writableRoots: ['/nope'] }, '/proj', {}, fs);
    expect(layout).to.have.deep.property('writableRoots', ['/proj', '/real/tmp']);
  });

  it('keeps .git, .codex and .agents under a writable root read-only', () => {
    const fs = tree(['/', '/proj', '/proj/.git', '/proj/.codex', '/proj/.agents', '/tmp']);
    const layout = sandboxLayout({ type: 'workspaceWrite', excludeSlashTmp: true }, '/proj', {}, fs);
    expect(layout).to.have.deep.property('protectedPaths', ['/proj/.agents', '/proj/.codex', '/proj/.git']);
  });

  it('protects a worktree .git pointer file and the git directory it names', () => {
    const fs = tree(['/', '/work', '/work/wt', '/work/repo.git/worktrees/wt'], { '/work/wt/.git': 'gitdir: ../repo.git/worktrees/wt\n' });
    const layout = sandboxLayout({ type: 'workspaceWrite', writableRoots: ['/work'], excludeSlashTmp: true }, '/work/wt', {}, fs);
    expect(layout).to.have.deep.property('protectedPaths', ['/work/repo.git/worktrees/wt', '/work/wt/.git']);
  });

  it('does not protect what no writable root exposes', () => {
    const fs = tree(['/', '/proj', '/elsewhere/wt'], { '/proj/.git': 'gitdir: /elsewhere/wt\n' });
    const layout = sandboxLayout({ type: 'workspaceWrite', excludeSlashTmp: true }, '/proj', {}, fs);
    expect(layout).to.have.deep.property('protectedPaths', ['/proj/.git']);
  });

  it('recreates symlinks to readable roots under restricted access, unless a bound root already shows them', () => {
    const fs = tree(['/', '/proj', '/usr', '/usr/lib64', '/usr/bin'], {}, { '/lib64': '/usr/lib64', '/bin': '/usr/bin', '/proj/data': '/usr/bin' });
    const access = { type: 'restricted' as const, includePlatformDefaults: true, readableRoots: ['/proj/data'] };
    expect(sandboxLayout({ type: 'readOnly', access }, '/proj', {}, fs)).to.deep.include({
      readableRoots: ['/usr', '/proj', '/usr/bin', '/usr/lib64'],
      symlinks: [
        { link: '/bin', target: '/usr/bin' },
        { link: '/lib64', target: '/usr/lib64' },
      ],
    });
  });

  it('reads only platform defaults, readable roots, cwd and writable roots under restricted access', () => {
    const fs = tree(['/', '/proj', '/data', '/usr', '/etc', '/bin', '/tmp']);
    const restricted = { type: 'restricted' as const, readableRoots: ['/data'] };
    expect(sandboxLayout({ type: 'readOnly', access: restricted }, '/proj', {}, fs)).to.have.deep.property('readableRoots', [
      '/bin',
      '/etc',
      '/usr',
      '/data',
      '/proj',
    ]);
    const bare = { type: 'restricted' as const, includePlatformDefaults: false };
    expect(sandboxLayout({ type: 'readOnly', access: restricted }, '/proj', {}, fs)).to.have.deep.property('symlinks', []);
    expect(sandboxLayout({ type: 'workspaceWrite', readOnlyAccess: bare }, '/proj', {}, fs)).to.have.deep.property('readableRoots', [
      '/tmp',
      '/proj',
    ]);
  });
});

describe('bwrapArgv', () => {
  it('binds / read-only, then /dev, the writable roots, the protected paths, then namespaces and /proc', () => {
    const argv = bwrapArgv(
      '/usr/bin/bwrap',
      { kind: 'bwrap', readableRoots: 'all', symlinks: [], writableRoots: ['/proj', '/tmp'], protectedPaths: ['/proj/.git'], network: false },
      '/proj',
      ['/bin/bash', '-lc', 'ls'],
    );
    expect(argv).to.deep.equal([
      '/usr/bin/bwrap', '--new-session', '--die-with-parent', '--cap-drop', 'ALL',
      '--ro-bind', '/', '/',
      '--dev', '/dev',
      '--bind', '/proj', '/proj',
      '--bind', '/tmp', '/tmp',
      '--ro-bind', '/proj/.git', '/proj/.git',
      '--unshare-pid', '--unshare-net',
      '--proc', '/proc',
      '--chdir', '/proj',
      '--', '/bin/bash', '-lc', 'ls',
    ]);
  });

  it('shares the network when the layout allows it', () => {
    const argv = bwrapArgv('bwrap', { kind: 'bwrap', readableRoots: 'all', symlinks: [], writableRoots: [], protectedPaths: [], network: true }, '/', ['true']);
    expect(argv).to.include('--unshare-pid').and.not.include('--unshare-net');
  });

  it('builds a restricted root from the readable roots and remounts it read-only after the last mount point', () => {
    const argv = bwrapArgv('bwrap', { kind: 'bwrap', readableRoots: ['/usr', '/proj'], symlinks: [{ link: '/lib64', target: '/usr/lib64' }], writableRoots: ['/proj'], protectedPaths: [], network: false }, '/proj', ['true']);
    expect(argv.join(' ')).to.equal(
      'bwrap --new-session --die-with-parent --cap-drop ALL --ro-bind /usr /usr --ro-bind /proj /proj --symlink /usr/lib64 /lib64 --dev /dev --bind /proj /proj ' +
        '--unshare-pid --unshare-net --proc /proc --remount-ro / --chdir /proj -- true',
    );
  });
});
