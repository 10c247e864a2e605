import * as E from 'fp-ts/lib/Either.js';
import type { SandboxPolicy } from '../protocol/v2/common.js';
import { bwrapArgv, probeBwrap, type BwrapProbe } from './bwrap.js';
import { findExecutable, nodeFsView, type FsView } from './fsView.js';
import { sandboxLayout } from './layout.js';

/**
 * A command ready to spawn: the argv (wrapped in `bwrap` when sandboxed) and the environment
 * variables the sandbox adds.
 */
export interface PreparedCommand {
  readonly argv: readonly string[];
  /** True when the command runs inside bubblewrap; feeds {@link isLikelySandboxDenied}. */
  readonly sandboxed: boolean;
  /** Set on top of the command's environment, e.g. `CODEX_SANDBOX_NETWORK_DISABLED=1` so test suites can skip network tests. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Why a command was not run: the policy asks for a sandbox this machine cannot provide. rxagent
 * never falls back to running unsandboxed; the approval layer may offer to run it without one.
 */
export interface SandboxRefusal {
  readonly kind: 'sandboxUnavailable';
  readonly message: string;
}

/**
 * Turns a policy into a runnable argv. One instance per server: the bubblewrap probe runs once.
 *
 * @example
 * const sandbox = createSandbox();
 * const prepared = await sandbox.prepare(['ls'], { type: 'readOnly' }, '/proj');
 * if (E.isRight(prepared)) spawn(prepared.right.argv[0], prepared.right.argv.slice(1));
 */
export interface Sandbox {
  prepare(command: readonly string[], policy: SandboxPolicy, cwd: string): Promise<E.Either<SandboxRefusal, PreparedCommand>>;
}

export interface SandboxDeps {
  /** `bwrap` executable: a name looked up in `PATH` or a path. Default `'bwrap'`. */
  readonly bwrap?: string;
  /** Environment of the commands (for `PATH` and `TMPDIR`). Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fs?: FsView;
  readonly probe?: (bwrapPath: string) => Promise<BwrapProbe>;
}

/**
 * Creates the server's sandbox. `dangerFullAccess` and `externalSandbox` run the command as is;
 * `readOnly` and `workspaceWrite` need a working `bwrap`, else the command is refused with a
 * message saying what to install.
 *
 * @example
 * const sandbox = createSandbox({ bwrap: '/usr/bin/bwrap' });
 * await sandbox.prepare(['true'], { type: 'dangerFullAccess' }, '/'); // right({ argv: ['true'], sandboxed: false, env: {} })
 */
export function createSandbox(deps: SandboxDeps = {}): Sandbox {
  const env = deps.env ?? process.env;
  const fs = deps.fs ?? nodeFsView;
  const probe = deps.probe ?? probeBwrap;
  const bwrapName = deps.bwrap ?? 'bwrap';
  let availability: Promise<E.Either<string, string>> | undefined;

  // Checked lazily and once: a server that never sandboxes never spawns bwrap.
  const bwrapPath = () =>
    (availability ??= (async () => {
      const path = findExecutable(bwrapName, env['PATH'], fs);
      if (path === null) {
        return E.left(`bubblewrap (\`${bwrapName}\`) was not found on PATH; install it (Debian/Ubuntu: \`apt-get install bubblewrap\`)`);
      }
      const result = await probe(path);
      return result.ok ? E.right(path) : E.left(`bubblewrap (${path}) cannot create a sandbox on this machine: ${result.detail}`);
    })());

  return {
    async prepare(command, policy, cwd): Promise<E.Either<SandboxRefusal, PreparedCommand>> {
      const layout = sandboxLayout(policy, cwd, env, fs);
      if (layout.kind === 'none') return E.right({ argv: [...command], sandboxed: false, env: {} });
      const path = await bwrapPath();
      if (E.isLeft(path)) {
        return E.left({
          kind: 'sandboxUnavailable',
          message: `Refused to run the command: the sandbox policy \`${policy.type}\` requires a sandbox, but ${path.left}. rxagent does not run sandboxed commands without a sandbox; approve running it outside the sandbox or change the sandbox policy.`,
        });
      }
      const extraEnv: Record<string, string> = layout.network ? {} : { CODEX_SANDBOX_NETWORK_DISABLED: '1' };
      return E.right({ argv: bwrapArgv(path.right, layout, cwd, command), sandboxed: true, env: extraEnv });
    },
  };
}
