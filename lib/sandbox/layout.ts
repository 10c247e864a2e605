import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { SandboxPolicy } from '../protocol/v2/common.js';
import type { FsView } from './fsView.js';

/**
 * What a command may touch, worked out from a policy: either no sandbox at all, or a bubblewrap
 * view of the file system (read-only base, writable roots, protected metadata) and whether the
 * network namespace is shared.
 *
 * @example
 * const layout = sandboxLayout({ type: 'readOnly' }, '/proj', {}, nodeFsView);
 * layout.kind; // 'bwrap'
 */
export type SandboxLayout =
  | {
      readonly kind: 'none';
      /** `dangerFullAccess`, or `externalSandbox`: the caller vouches that rxagent already runs inside one. */
      readonly policy: 'dangerFullAccess' | 'externalSandbox';
    }
  | {
      readonly kind: 'bwrap';
      /** `'all'` binds `/` read-only; a list binds only those roots (restricted read access). */
      readonly readableRoots: 'all' | readonly string[];
      /**
       * Under restricted read access, symlinks that led to a readable root, recreated so that
       * paths compiled into programs keep working (`/lib64 -> usr/lib64` holds the ELF loader).
       */
      readonly symlinks: readonly { readonly link: string; readonly target: string }[];
      readonly writableRoots: readonly string[];
      /** Paths under writable roots that stay read-only (`.git`, its `gitdir:` target, `.codex`, `.agents`). */
      readonly protectedPaths: readonly string[];
      readonly network: boolean;
    };

/**
 * Directories every program needs to start (loader, libc, shells, /etc configuration); readable
 * under restricted read access unless the policy says `includePlatformDefaults: false`.
 */
export const PLATFORM_READABLE_ROOTS: readonly string[] = ['/bin', '/sbin', '/usr', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt'];

/** Metadata directories the agent may read but never rewrite, even inside a writable root. */
const PROTECTED_DIRECTORIES = ['.codex', '.agents'];

/**
 * Works out the mounts for `policy` when running in `cwd`. Roots are canonicalised (bubblewrap
 * mounts by real path), deduplicated and sorted, and roots that do not exist are dropped: a bind
 * needs a source, and nothing can be created there anyway under a read-only base.
 *
 * The writable set of `workspaceWrite` is, as in the reference: `cwd`, `writableRoots`, `/tmp`
 * unless `excludeSlashTmp`, and `$TMPDIR` unless `excludeTmpdirEnvVar`.
 *
 * @example
 * sandboxLayout({ type: 'workspaceWrite', networkAccess: true }, '/proj', { TMPDIR: '/var/tmp' }, nodeFsView);
 * // { kind: 'bwrap', readableRoots: 'all', symlinks: [], writableRoots: ['/tmp', '/proj', '/var/tmp'], protectedPaths: ['/proj/.git'], network: true }
 */
export function sandboxLayout(
  policy: SandboxPolicy,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  fs: FsView,
): SandboxLayout {
  switch (policy.type) {
    case 'dangerFullAccess':
      return { kind: 'none', policy: 'dangerFullAccess' };
    case 'externalSandbox':
      return { kind: 'none', policy: 'externalSandbox' };
    case 'readOnly':
      return {
        kind: 'bwrap',
        ...readableView(policy.access, cwd, [], fs),
        writableRoots: [],
        protectedPaths: [],
        network: false,
      };
    case 'workspaceWrite': {
      const candidates = [cwd, ...(policy.writableRoots ?? [])];
      if (policy.excludeSlashTmp !== true) candidates.push('/tmp');
      const tmpdir = env['TMPDIR'];
      if (policy.excludeTmpdirEnvVar !== true && tmpdir !== undefined && isAbsolute(tmpdir)) candidates.push(tmpdir);
      const writable = canonicalRoots(candidates, fs);
      return {
        kind: 'bwrap',
        ...readableView(policy.readOnlyAccess, cwd, writable, fs),
        writableRoots: writable,
        protectedPaths: protectedPaths(writable, fs),
        network: policy.networkAccess === true,
      };
    }
  }
}

type ReadAccess = Extract<SandboxPolicy, { type: 'readOnly' }>['access'];
type BwrapView = Extract<SandboxLayout, { kind: 'bwrap' }>;

function readableView(access: ReadAccess, cwd: string, writable: readonly string[], fs: FsView): Pick<BwrapView, 'readableRoots' | 'symlinks'> {
  if (access === undefined || access.type === 'fullAccess') return { readableRoots: 'all', symlinks: [] };
  const defaults = access.includePlatformDefaults === false ? [] : PLATFORM_READABLE_ROOTS;
  // The working directory is always readable: a command that cannot see where it runs is useless.
  const requested = [...defaults, ...(access.readableRoots ?? []), cwd, ...writable].map((path) => resolve(path));
  const roots = canonicalRoots(requested, fs);
  const symlinks = new Map<string, string>();
  for (const path of requested) {
    const target = fs.realpath(path);
    // A link inside a bound root is already visible through that bind.
    if (target !== path && roots.includes(target) && !roots.some((root) => isWithin(path, root))) symlinks.set(path, target);
  }
  return { readableRoots: roots, symlinks: [...symlinks].sort().map(([link, target]) => ({ link, target })) };
}

function canonicalRoots(paths: readonly string[], fs: FsView): string[] {
  const roots = new Set<string>();
  for (const path of paths) {
    const real = fs.realpath(resolve(path));
    if (fs.isDirectory(real)) roots.add(real);
  }
  // Parents before children, so a nested bind is layered on top of the one that contains it.
  return [...roots].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
}

const isWithin = (path: string, root: string) => path === root || path.startsWith(root === '/' ? '/' : root + sep);

function protectedPaths(writable: readonly string[], fs: FsView): string[] {
  const found = new Set<string>();
  for (const root of writable) {
    const git = join(root, '.git');
    if (fs.isDirectory(git)) found.add(fs.realpath(git));
    else if (fs.isFile(git)) {
      found.add(git);
      // A worktree or submodule keeps its real git directory elsewhere; protect that too.
      const target = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readText(git) ?? '')?.[1];
      if (target !== undefined) {
        const gitdir = fs.realpath(resolve(dirname(git), target));
        if (fs.isDirectory(gitdir)) found.add(gitdir);
      }
    }
    for (const name of PROTECTED_DIRECTORIES) {
      const dir = join(root, name);
      if (fs.isDirectory(dir)) found.add(fs.realpath(dir));
    }
  }
  // Only paths a writable bind would otherwise expose need re-protecting.
  return [...found].filter((path) => writable.some((root) => isWithin(path, root))).sort();
}
