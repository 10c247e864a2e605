import { readdir, realpath } from 'node:fs/promises';
import { basename, join, relative, isAbsolute, sep } from 'node:path';
import { log } from '../log.js';

export const SESSIONS_DIR = 'sessions';
export const ARCHIVED_DIR = 'archived_sessions';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` is a UUID, the only form a thread id takes (SPEC §4.1). */
export const isThreadId = (id: string): boolean => UUID_RE.test(id);

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Where a new thread's rollout goes: `sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl`
 * in **local** time, as the reference names them (SPEC §6.1).
 *
 * @example
 * newRolloutPath('/home/u/.codex', id, new Date()); // …/sessions/2026/11/24/rollout-2026-11-24T21-52-00-<id>.jsonl
 */
export const newRolloutPath = (codexHome: string, threadId: string, at: Date): string => {
  const [y, m, d] = [String(at.getFullYear()), pad(at.getMonth() + 1), pad(at.getDate())];
  const stamp = `${y}-${m}-${d}T${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
  return join(codexHome, SESSIONS_DIR, y, m, d, `rollout-${stamp}-${threadId}.jsonl`);
};

const numericDesc = (names: string[]): string[] => names.filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a));

/**
 * A folder's names; a folder that is missing, not a folder, or not ours to read holds nothing we
 * can find (one unreadable day must not hide the threads of every other day).
 */
const listDir = async (dir: string): Promise<string[]> => {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    if (code === 'EACCES' || code === 'EPERM') {
      log.warn('cannot list rollout folder; its threads are not found', { dir, error: (err as Error).message });
      return [];
    }
    throw err;
  }
};

/**
 * Finds the live rollout of `threadId` under `sessions/` (newest day first), or `undefined`.
 * Archived files are not searched, as in the reference.
 */
export const findRollout = async (codexHome: string, threadId: string): Promise<string | undefined> => {
  const root = join(codexHome, SESSIONS_DIR);
  const suffix = `-${threadId.toLowerCase()}.jsonl`;
  for (const year of numericDesc(await listDir(root))) {
    for (const month of numericDesc(await listDir(join(root, year)))) {
      for (const day of numericDesc(await listDir(join(root, year, month)))) {
        const dir = join(root, year, month, day);
        const hit = (await listDir(dir)).find((name) => name.startsWith('rollout-') && name.toLowerCase().endsWith(suffix));
        if (hit) return join(dir, hit);
      }
    }
  }
  return undefined;
};

/** Finds the archived rollout of `threadId` (a flat folder), or `undefined`. */
export const findArchivedRollout = async (codexHome: string, threadId: string): Promise<string | undefined> => {
  const dir = join(codexHome, ARCHIVED_DIR);
  const suffix = `-${threadId.toLowerCase()}.jsonl`;
  const hit = (await listDir(dir)).find((name) => name.startsWith('rollout-') && name.toLowerCase().endsWith(suffix));
  return hit ? join(dir, hit) : undefined;
};

/** True when `path`, resolved through symlinks, lies inside `dir` (also resolved). */
export const isInside = async (path: string, dir: string): Promise<boolean> => {
  const [real, root] = await Promise.all([realpath(path), realpath(dir)]);
  const rel = relative(root, real);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
};

/** The `YYYY`, `MM`, `DD` a rollout file name carries, or `undefined`. */
export const rolloutDateParts = (path: string): [string, string, string] | undefined => {
  const match = /^rollout-(\d{4})-(\d{2})-(\d{2})T/.exec(basename(path));
  return match ? [match[1]!, match[2]!, match[3]!] : undefined;
};
