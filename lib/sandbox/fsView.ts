import { accessSync, constants, readFileSync, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * The few file-system questions the sandbox asks while laying out mounts. Injected so that argv
 * building is a pure function of a described tree in tests.
 *
 * @example
 * const fs: FsView = { ...nodeFsView, isDirectory: (p) => p === '/proj/.git' };
 */
export interface FsView {
  isDirectory(path: string): boolean;
  isFile(path: string): boolean;
  /** Whether `path` is an executable regular file. */
  isExecutable(path: string): boolean;
  /** File contents as UTF-8, or null when unreadable. Used for `.git` pointer files only. */
  readText(path: string): string | null;
  /** The canonical path, or `path` itself when it cannot be resolved (e.g. does not exist). */
  realpath(path: string): string;
}

const statOrNull = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return null;
  }
};

/**
 * The real file system.
 *
 * @example
 * nodeFsView.isDirectory('/tmp'); // true
 */
export const nodeFsView: FsView = {
  isDirectory: (path) => statOrNull(path)?.isDirectory() ?? false,
  isFile: (path) => statOrNull(path)?.isFile() ?? false,
  isExecutable: (path) => {
    try {
      if (!statSync(path).isFile()) return false;
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  readText: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  realpath: (path) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  },
};

/**
 * Finds an executable the way `execvp` would: an absolute or relative path is taken as is,
 * a bare name is looked up in `pathEnv`.
 *
 * @example
 * findExecutable('bwrap', process.env.PATH, nodeFsView); // '/usr/bin/bwrap' or null
 */
export function findExecutable(name: string, pathEnv: string | undefined, fs: FsView): string | null {
  if (name.includes('/')) return fs.isExecutable(name) ? name : null;
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (fs.isExecutable(candidate)) return candidate;
  }
  return null;
}
