import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `CODEX_HOME` if set (made absolute), else `~/.codex`: shared with the reference server. */
export const codexHomeOf = (env: NodeJS.ProcessEnv): string =>
  env.CODEX_HOME ? resolve(env.CODEX_HOME) : join(homedir(), '.codex');
