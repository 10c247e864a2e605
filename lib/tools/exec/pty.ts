import { shellJoin, shellQuote } from './shellWords.js';

/** Size the pseudo-terminal reports; `script` leaves it 0×0 when its own stdin is a pipe, which confuses pagers and REPLs. */
const ROWS = 24;
const COLUMNS = 80;

/**
 * Runs `argv` on a pseudo-terminal without a native addon: util-linux `script` allocates the pty,
 * relays our stdin pipe into it and its output back (`-q` quiet, `-f` flush each write, `-e`
 * exit with the command's status, typescript to `/dev/null`). `script` runs its `-c` string
 * with `$SHELL`, so `SHELL` is pinned to `/bin/sh` for `script` and restored for the command.
 *
 * @example
 * ptyCommand('/usr/bin/script', ['/bin/bash', '-lc', 'tty'], '/bin/bash');
 * // { argv: ['/usr/bin/script', '-qfec', "stty rows 24 cols 80 2>/dev/null; SHELL=/bin/bash; export SHELL; exec /bin/bash -lc tty", '/dev/null'], env: { SHELL: '/bin/sh' } }
 */
export function ptyCommand(
  scriptPath: string,
  argv: readonly string[],
  userShellEnv: string | undefined,
): { argv: string[]; env: Record<string, string> } {
  const restoreShell = userShellEnv === undefined ? 'unset SHELL; ' : `SHELL=${shellQuote(userShellEnv)}; export SHELL; `;
  const inner = `stty rows ${ROWS} cols ${COLUMNS} 2>/dev/null; ${restoreShell}exec ${shellJoin(argv)}`;
  return { argv: [scriptPath, '-qfec', inner, '/dev/null'], env: { SHELL: '/bin/sh' } };
}
