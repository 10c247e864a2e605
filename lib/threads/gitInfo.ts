import { execFile } from 'node:child_process';
import type { CoreGitInfo } from '../rollout/sessionMeta.js';

const git = (cwd: string, args: string[]): Promise<string | undefined> =>
  new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 2000, windowsHide: true }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });

/**
 * The `git` block of `session_meta` (commit, branch, origin URL) for `cwd`, or `undefined` outside
 * a repository or without git. Collected when the rollout is created, as the reference does.
 *
 * @example
 * await collectGitInfo('/home/u/proj'); // { commit_hash: '9f2c…', branch: 'main', repository_url: 'git@…' }
 */
export const collectGitInfo = async (cwd: string): Promise<CoreGitInfo | undefined> => {
  const [commit, branch, origin] = await Promise.all([
    git(cwd, ['rev-parse', 'HEAD']),
    git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']),
    git(cwd, ['remote', 'get-url', 'origin']),
  ]);
  if (!commit && !branch && !origin) return undefined;
  return {
    ...(commit ? { commit_hash: commit } : {}),
    ...(branch && branch !== 'HEAD' ? { branch } : {}),
    ...(origin ? { repository_url: origin } : {}),
  };
};
