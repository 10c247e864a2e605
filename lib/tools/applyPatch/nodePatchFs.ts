import { chmod, lstat, mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { PatchWriter } from './applyPlannedPatch.js';
import type { PatchReader } from './planPatch.js';

const errorCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;

/**
 * The real file system for planning and applying patches. Files are read as UTF-8. A write goes to
 * a temporary file next to the target that is then renamed over it, so a reader never sees half a
 * file; the target's permission bits are kept, and a symbolic link is written through instead of
 * being replaced.
 *
 * @example
 * const fs = nodePatchFs();
 * const plan = await planPatch(patch, fs, '/home/u/proj');
 * if (isRight(plan)) await applyPlannedPatch(plan.right, fs);
 */
export const nodePatchFs = (): PatchReader & PatchWriter => {
  let counter = 0;
  return {
    async read(path) {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        // ENOTDIR: a parent is a file, so this path cannot exist either.
        if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
        throw error;
      }
    },

    async write(path, contents) {
      await mkdir(nodePath.dirname(path), { recursive: true });
      const existing = await lstat(path).catch((error: unknown) => {
        if (errorCode(error) === 'ENOENT') return undefined;
        throw error;
      });
      if (existing?.isSymbolicLink()) {
        await writeFile(path, contents);
        return;
      }
      const temp = nodePath.join(nodePath.dirname(path), `.${nodePath.basename(path)}.${process.pid}.${counter++}.tmp`);
      try {
        await writeFile(temp, contents);
        // chmod rather than writeFile's mode, which the umask would narrow.
        if (existing !== undefined) await chmod(temp, existing.mode & 0o7777);
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },

    async remove(path) {
      await unlink(path);
    },
  };
};
