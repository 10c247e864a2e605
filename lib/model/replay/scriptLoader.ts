import * as E from 'fp-ts/lib/Either.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLED_SCRIPTS } from './bundledScripts.js';
import { decodeReplayScripts, type ReplayScript } from './scriptCodec.js';

let bundled: ReplayScript[] | undefined;

/**
 * The demo scripts bundled with rxagent, decoded once (a decoding failure is a programming error).
 *
 * @example
 * bundledScripts().map((s) => s.name); // ['summary', 'plan', 'command', 'edit', 'answer']
 */
export const bundledScripts = (): readonly ReplayScript[] => {
  if (!bundled) {
    const decoded = decodeReplayScripts(BUNDLED_SCRIPTS, 'bundled');
    if (E.isLeft(decoded)) throw new Error(`the bundled replay scripts do not decode: ${decoded.left}`);
    bundled = decoded.right;
  }
  return bundled;
};

/**
 * Where `scripts = "…"` points: `~/` is the home folder, a relative path is taken from the
 * process's working directory.
 *
 * @example
 * scriptsPath('~/demo/scripts.json'); // '/home/me/demo/scripts.json'
 */
export const scriptsPath = (configured: string): string =>
  configured === '~' || configured.startsWith('~/') ? join(homedir(), configured.slice(1)) : resolve(configured);

const decodeFile = async (path: string): Promise<ReplayScript[]> => {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const decoded = decodeReplayScripts(json, path);
  if (E.isLeft(decoded)) throw new Error(decoded.left);
  return decoded.right;
};

/**
 * Reads the scripts of a file, or of every `*.json` file of a folder (in name order, scripts
 * concatenated). Read on each request, so edits apply to the next one. Rejects with a message
 * naming the file and, for a bad script, the JSON path of the problem.
 *
 * @example
 * const scripts = await loadReplayScripts('/srv/demo/scripts');
 */
export const loadReplayScripts = async (configured: string): Promise<ReplayScript[]> => {
  const path = scriptsPath(configured);
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file or folder' : err.message}`);
  });
  if (!info.isDirectory()) return decodeFile(path);
  const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) throw new Error(`${path} holds no .json script files`);
  const files = await Promise.all(names.map((name) => decodeFile(join(path, name))));
  return files.flat();
};
