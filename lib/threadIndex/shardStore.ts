import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitInfo, SessionSource } from '../protocol/index.js';
import type { ThreadSummaryMeta } from '../../reducers/threadSummaryReducer.js';
import type { HeadSummary } from './headScan.js';

/** Bumped whenever the shard layout or the head summary's meaning changes; older shards are rebuilt. */
const SHARD_VERSION = 3;

/** One rollout file as the index last saw it. */
export interface ShardFile {
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  /** What the name says: creation second and thread id (kept so a start need not parse names). */
  readonly seconds: number;
  readonly id: string;
  /** The head summary as JSON, decoded by {@link decodeHead} only when a page needs it. */
  readonly head: string;
}

/** Everything the index knows about one folder of rollouts (a `sessions/YYYY/MM/DD` day, or `archived_sessions`). */
export interface Shard {
  /** The folder, relative to `CODEX_HOME`, with `/` separators. */
  readonly dir: string;
  /** The folder's mtime when it was listed: unchanged, its file names are still these. */
  readonly mtimeMs: number;
  /** When it was listed (wall clock): a listing taken within the mtime's granularity is not trusted. */
  readonly listedAtMs: number;
  readonly files: readonly ShardFile[];
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const isFiniteNumber = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u);
const isNullableString = (u: unknown): u is string | null => u === null || typeof u === 'string';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const isMeta = (u: unknown): u is ThreadSummaryMeta =>
  isRecord(u) &&
  typeof u.id === 'string' &&
  isNullableString(u.forkedFromId) &&
  isFiniteNumber(u.createdAt) &&
  isNullableString(u.modelProvider) &&
  SessionSource.is(u.source) &&
  typeof u.cwd === 'string' &&
  typeof u.cliVersion === 'string' &&
  typeof u.originator === 'string' &&
  (u.gitInfo === null || GitInfo.is(u.gitInfo));

/**
 * A head summary from its shard JSON, or `null` when it is not one: the index then reads that
 * file's head again, so a damaged entry costs one read, never an error.
 *
 * @example
 * decodeHead('{"meta":null,"preview":null,"final":false}'); // { meta: null, preview: null, final: false }
 */
export const decodeHead = (text: string): HeadSummary | null => {
  let u: unknown;
  try {
    u = JSON.parse(text);
  } catch {
    return null;
  }
  return isRecord(u) && (u.meta === null || isMeta(u.meta)) && isNullableString(u.preview) && typeof u.final === 'boolean'
    ? { meta: u.meta, preview: u.preview, final: u.final }
    : null;
};

const decodeFile = (line: string): ShardFile | null => {
  const fields = line.split('\t');
  if (fields.length !== 7) return null;
  const [nameJson, size, mtimeMs, ino, seconds, id, head] = fields as [string, string, string, string, string, string, string];
  let name: unknown;
  // Names as the reference writes them need no unescaping; only odd ones go through JSON.parse.
  if (nameJson.length > 1 && nameJson.startsWith('"') && nameJson.endsWith('"') && !nameJson.includes('\\')) name = nameJson.slice(1, -1);
  else {
    try {
      name = JSON.parse(nameJson);
    } catch {
      return null;
    }
  }
  const numbers = [Number(size), Number(mtimeMs), Number(ino), Number(seconds)];
  if (typeof name !== 'string' || !numbers.every(Number.isFinite) || !UUID.test(id) || !head.startsWith('{')) return null;
  return { name, size: numbers[0]!, mtimeMs: numbers[1]!, ino: numbers[2]!, seconds: numbers[3]!, id, head };
};

/**
 * The shard a file's text holds, or `null` when it is not one (truncated, hand-edited, from another
 * version): the index then rebuilds that folder from the rollouts, never fails. Heads stay JSON
 * text until used, so a start parses only what the first pages show.
 *
 * @example
 * decodeShard(readFileSync(path, 'utf8')); // Shard | null
 */
export const decodeShard = (text: string): Shard | null => {
  const lines = text.split('\n');
  if (lines.pop() !== '') return null;
  let header: unknown;
  try {
    header = JSON.parse(lines[0] ?? '');
  } catch {
    return null;
  }
  if (!isRecord(header) || header.version !== SHARD_VERSION) return null;
  const { dir, mtimeMs, listedAtMs } = header;
  if (typeof dir !== 'string' || !isFiniteNumber(mtimeMs) || !isFiniteNumber(listedAtMs)) return null;
  const files: ShardFile[] = [];
  for (const line of lines.slice(1)) {
    const file = decodeFile(line);
    if (file === null) return null;
    files.push(file);
  }
  return { dir, mtimeMs, listedAtMs, files };
};

/**
 * A shard as text: a JSON header line, then one line per file with tab-separated fields (the
 * name as JSON, size, mtime, inode, creation second, id, head JSON). JSON never holds a raw tab or
 * newline, so the fields split safely; a start reads 10,000 entries without building 10,000
 * nested objects.
 *
 * @example
 * encodeShard({ dir: 'sessions/2026/11/24', mtimeMs, listedAtMs, files: [] });
 */
export const encodeShard = (shard: Shard): string => {
  const header = JSON.stringify({ version: SHARD_VERSION, dir: shard.dir, mtimeMs: shard.mtimeMs, listedAtMs: shard.listedAtMs });
  const files = shard.files.map((f) => `${JSON.stringify(f.name)}\t${f.size}\t${f.mtimeMs}\t${f.ino}\t${f.seconds}\t${f.id}\t${f.head}\n`);
  return `${header}\n${files.join('')}`;
};

// Best effort: in a read-only CODEX_HOME a bad shard stays, and is ignored again at the next start.
const removeQuietly = (path: string): void => {
  try {
    rmSync(path, { force: true, recursive: true });
  } catch {
    // nothing to do
  }
};

const SHARD_SUFFIX = '.shard';

/** The shard's file name: its folder with `/` spelled `~` (folder names are digits, `sessions`, `archived_sessions`). */
const fileNameOf = (dir: string): string => `${dir.replaceAll('/', '~')}${SHARD_SUFFIX}`;

/**
 * The index's files under `CODEX_HOME/rxagent/thread-index/`, one shard per rollout folder.
 * Writes go to a temporary file renamed over the shard, so a reader sees the old or the new shard,
 * never a torn one; without fsync, as a shard lost in a crash is only a cache to rebuild.
 *
 * @example
 * const store = new ShardStore(join(codexHome, 'rxagent', 'thread-index'));
 * if (store.folders().has('sessions/2026/11/24')) store.read('sessions/2026/11/24');
 */
export class ShardStore {
  constructor(readonly dir: string) {}

  /**
   * The folders that have a shard, from the file names alone (shards are read when their folder
   * is first needed). Anything else in the index folder — a temporary file left by a crash — is
   * removed.
   */
  folders(): Set<string> {
    const folders = new Set<string>();
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return folders;
    }
    for (const name of names) {
      if (name.endsWith(SHARD_SUFFIX)) folders.add(name.slice(0, -SHARD_SUFFIX.length).replaceAll('~', '/'));
      else removeQuietly(join(this.dir, name));
    }
    return folders;
  }

  /**
   * The shard of `dir`, or `null` when there is none or it is not one (corrupt, another version):
   * a bad shard is removed, and the folder is rebuilt from the rollouts.
   */
  read(dir: string): Shard | null {
    const path = join(this.dir, fileNameOf(dir));
    let shard: Shard | null;
    try {
      shard = decodeShard(readFileSync(path, 'utf8'));
    } catch {
      shard = null;
    }
    if (shard !== null && shard.dir === dir) return shard;
    removeQuietly(path);
    return null;
  }

  /** Replaces the shard of `shard.dir`. Throws the file system's error. */
  save(shard: Shard): void {
    mkdirSync(this.dir, { recursive: true });
    const target = join(this.dir, fileNameOf(shard.dir));
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, encodeShard(shard));
    renameSync(temp, target);
  }

  /** Removes the shard of a folder that no longer exists. */
  remove(dir: string): void {
    rmSync(join(this.dir, fileNameOf(dir)), { force: true });
  }
}
