import { execFile } from 'node:child_process';
import type { SandboxLayout } from './layout.js';

/** The bubblewrap half of a {@link SandboxLayout}. */
export type BwrapLayout = Extract<SandboxLayout, { kind: 'bwrap' }>;

/**
 * The `bwrap` argv that runs `command` in `cwd` inside `layout`. Mount order matters and is:
 * read-only base (`/`, or only the readable roots and the symlinks to them), a fresh `/dev`, writable roots, then the
 * protected paths again read-only so they win over the writable bind that contains them.
 *
 * Besides the mounts: `--new-session` (no `TIOCSTI` into the caller's terminal),
 * `--die-with-parent` (killing bwrap kills the command), `--cap-drop ALL` (root inside must not
 * remount the read-only base), a new pid namespace with its own `/proc` (when bwrap's init dies,
 * everything the command started dies with it), and a new network namespace unless the layout
 * allows the network. Under restricted read access the base is bwrap's empty tmpfs, remounted
 * read-only last, after every mount point has been made.
 *
 * @example
 * bwrapArgv('/usr/bin/bwrap', { kind: 'bwrap', readableRoots: 'all', symlinks: [], writableRoots: ['/proj'], protectedPaths: [], network: false }, '/proj', ['ls']);
 * // ['/usr/bin/bwrap', '--new-session', '--die-with-parent', '--cap-drop', 'ALL', '--ro-bind', '/', '/', '--dev', '/dev',
 * //  '--bind', '/proj', '/proj', '--unshare-pid', '--unshare-net', '--proc', '/proc', '--chdir', '/proj', '--', 'ls']
 */
export function bwrapArgv(bwrapPath: string, layout: BwrapLayout, cwd: string, command: readonly string[]): string[] {
  const args = [bwrapPath, '--new-session', '--die-with-parent', '--cap-drop', 'ALL'];
  if (layout.readableRoots === 'all') args.push('--ro-bind', '/', '/');
  else for (const root of layout.readableRoots) args.push('--ro-bind', root, root);
  for (const { link, target } of layout.symlinks) args.push('--symlink', target, link);
  args.push('--dev', '/dev');
  for (const root of layout.writableRoots) args.push('--bind', root, root);
  for (const path of layout.protectedPaths) args.push('--ro-bind', path, path);
  args.push('--unshare-pid');
  if (!layout.network) args.push('--unshare-net');
  args.push('--proc', '/proc');
  if (layout.readableRoots !== 'all') args.push('--remount-ro', '/');
  args.push('--chdir', cwd, '--', ...command);
  return args;
}

/** Whether bubblewrap can build a sandbox on this machine, and if not, why (for the refusal message). */
export type BwrapProbe = { readonly ok: true } | { readonly ok: false; readonly detail: string };

/**
 * Runs `true` inside the strictest sandbox rxagent builds (all namespaces, read-only root), so a
 * kernel without unprivileged user namespaces or a container without mount rights shows up once,
 * at the first sandboxed command, instead of as a confusing failure of every command.
 *
 * @example
 * await probeBwrap('/usr/bin/bwrap'); // { ok: true }
 */
export function probeBwrap(bwrapPath: string): Promise<BwrapProbe> {
  const layout: BwrapLayout = { kind: 'bwrap', readableRoots: 'all', symlinks: [], writableRoots: [], protectedPaths: [], network: false };
  const [file, ...args] = bwrapArgv(bwrapPath, layout, '/', ['true']);
  return new Promise((done) => {
    execFile(file!, args, { timeout: 10_000, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (error === null) done({ ok: true });
      else done({ ok: false, detail: stderr.trim().split('\n')[0] || error.message });
    });
  });
}
