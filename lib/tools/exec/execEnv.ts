import { userInfo } from 'node:os';

/**
 * Set for unified-exec commands, as the reference does: the model reads plain text, so no colours,
 * no pager waiting for a key, a dumb terminal and a UTF-8 locale.
 */
export const UNIFIED_EXEC_ENV: Readonly<Record<string, string>> = {
  NO_COLOR: '1',
  TERM: 'dumb',
  LANG: 'C.UTF-8',
  LC_CTYPE: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  COLORTERM: '',
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  GH_PAGER: 'cat',
};

/**
 * An environment for a child: later layers win, unset (`undefined`) entries are dropped.
 *
 * @example
 * mergeEnv({ PATH: '/bin', HOME: undefined }, { TERM: 'dumb' }); // { PATH: '/bin', TERM: 'dumb' }
 */
export function mergeEnv(...layers: Readonly<Record<string, string | undefined>>[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) env[key] = value;
  }
  return env;
}

/**
 * The user's login shell (from the password database), else `$SHELL`, else `/bin/sh`.
 *
 * @example
 * defaultUserShell(process.env); // '/bin/bash'
 */
export function defaultUserShell(env: Readonly<Record<string, string | undefined>>): string {
  try {
    const shell = userInfo().shell;
    if (shell) return shell;
  } catch {
    // No passwd entry (some containers run with an arbitrary uid).
  }
  return env['SHELL'] || '/bin/sh';
}
