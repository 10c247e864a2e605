import { randomBytes } from 'node:crypto';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file's content atomically: the text goes to a temporary file in the same folder,
 * is flushed, and is renamed over the target, so a reader sees the old file or the new one, never
 * a mix, and a crash leaves the old file intact. A symlinked target is written through (its link
 * stays); an existing file keeps its permissions.
 *
 * @example
 * await writeFileAtomic('/home/u/.codex/config.toml', 'model = "o3"\n');
 */
export const writeFileAtomic = async (file: string, text: string): Promise<void> => {
  const target = await realpath(file).catch(() => file);
  const mode = (await stat(target).catch(() => undefined))?.mode;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode === undefined ? 0o644 : mode & 0o7777);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    await rename(temp, target);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
};
