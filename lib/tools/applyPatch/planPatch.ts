import * as E from 'fp-ts/lib/Either.js';
import * as nodePath from 'node:path';
import type { FileUpdateChange } from '../../protocol/v2/items.js';
import { applyChunks } from './applyChunks.js';
import { unifiedDiff } from './lineDiff.js';
import type { Patch, PatchError } from './patch.js';

/**
 * Read access to the files a patch touches. `read` resolves `undefined` for a file that does not
 * exist and rejects for anything else it cannot read (a directory, no permission).
 *
 * @example
 * const files = new Map([['/w/a.txt', 'hi\n']]);
 * const reader: PatchReader = { read: async (path) => files.get(path) };
 */
export interface PatchReader {
  read(path: string): Promise<string | undefined>;
}

/**
 * What one operation of the patch does, with absolute paths and the contents before and after.
 * `displayPath` is the path as the patch wrote it (the destination for a move), used in the
 * summary the model reads. `before` of an `add` is what the add overwrites, if anything;
 * `destinationBefore` of a move is what the move overwrites.
 *
 * @example
 * const file: PlannedFile = { type: 'delete', path: '/w/old.txt', displayPath: 'old.txt', before: 'bye\n' };
 */
export type PlannedFile =
  | { readonly type: 'add'; readonly path: string; readonly displayPath: string; readonly before: string | undefined; readonly after: string }
  | { readonly type: 'delete'; readonly path: string; readonly displayPath: string; readonly before: string }
  | {
      readonly type: 'update';
      readonly path: string;
      readonly displayPath: string;
      readonly movePath: string | undefined;
      readonly before: string;
      readonly after: string;
      readonly destinationBefore: string | undefined;
    };

/**
 * One file system step of applying a plan, in order. `write` creates missing parent directories.
 *
 * @example
 * const step: PlannedWrite = { type: 'write', path: '/w/src/new.ts', contents: 'export {};\n' };
 */
export type PlannedWrite =
  | { readonly type: 'write'; readonly path: string; readonly contents: string }
  | { readonly type: 'remove'; readonly path: string };

/**
 * Everything a patch will do, computed without changing any file: the `changes` of the
 * `fileChange` item (absolute paths, sorted by path), the per-operation `files` (for the turn
 * diff), and the `writes` that {@link applyPlannedPatch} performs.
 *
 * @example
 * const plan: PatchPlan = {
 *   cwd: '/w',
 *   changes: [{ path: '/w/a.txt', kind: { type: 'add' }, diff: 'hi\n' }],
 *   files: [{ type: 'add', path: '/w/a.txt', displayPath: 'a.txt', before: undefined, after: 'hi\n' }],
 *   writes: [{ type: 'write', path: '/w/a.txt', contents: 'hi\n' }],
 * };
 */
export interface PatchPlan {
  /** The directory relative paths were resolved against (the turn's cwd, or a heredoc's `cd`). */
  readonly cwd: string;
  readonly changes: readonly FileUpdateChange[];
  readonly files: readonly PlannedFile[];
  readonly writes: readonly PlannedWrite[];
}

/** Unchanged lines around each change in a `fileChange` item's diff, as the reference shows them. */
const ITEM_DIFF_CONTEXT = 1;

class PlanFailure extends Error {}

/**
 * Works out what `patch` does to the files under `cwd` (an absolute path) without writing
 * anything. Operations see the effect of earlier operations of the same patch, so a patch may add
 * a file and then update it. As in the reference tool, `*** Add File` replaces an existing file
 * and a move replaces an existing destination. Fails, with a message for the model, when a file to
 * update or delete does not exist or cannot be read, or a hunk cannot be placed.
 *
 * @example
 * const reader = { read: async (path: string) => (path === '/w/a.txt' ? 'one\n' : undefined) };
 * await planPatch(parsed, reader, '/w'); // parsed = '*** Update File: a.txt' changing 'one' to 'two'
 * // right({ cwd: '/w', changes: [{ path: '/w/a.txt', kind: { type: 'update', move_path: null },
 * //   diff: '@@ -1 +1 @@\n-one\n+two\n' }], files: [...], writes: [{ type: 'write', path: '/w/a.txt', contents: 'two\n' }] })
 */
export const planPatch = async (patch: Patch, fs: PatchReader, cwd: string): Promise<E.Either<PatchError, PatchPlan>> => {
  if (!nodePath.isAbsolute(cwd)) throw new TypeError(`planPatch needs an absolute cwd, got '${cwd}'`);
  const base = nodePath.resolve(cwd, patch.workdir ?? '.');
  // Contents as earlier operations of this patch left them; null = deleted.
  const pending = new Map<string, string | null>();
  const read = async (path: string): Promise<string | undefined> => {
    const planned = pending.get(path);
    if (planned !== undefined) return planned ?? undefined;
    try {
      return await fs.read(path);
    } catch (error) {
      throw new PlanFailure(`Failed to read ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const files: PlannedFile[] = [];
  const writes: PlannedWrite[] = [];
  // The operation being planned, whose line a failure reports.
  let line: number | undefined;
  try {
    for (const op of patch.operations) {
      line = op.line;
      const path = nodePath.resolve(base, op.path);
      if (op.type === 'add') {
        files.push({ type: 'add', path, displayPath: op.path, before: await read(path), after: op.contents });
        writes.push({ type: 'write', path, contents: op.contents });
        pending.set(path, op.contents);
      } else if (op.type === 'delete') {
        const before = await read(path);
        if (before === undefined) throw new PlanFailure(`Cannot delete ${op.path}: ${path} does not exist.`);
        files.push({ type: 'delete', path, displayPath: op.path, before });
        writes.push({ type: 'remove', path });
        pending.set(path, null);
      } else {
        const before = await read(path);
        if (before === undefined) {
          throw new PlanFailure(`Cannot update ${op.path}: ${path} does not exist. Use '*** Add File: ${op.path}' to create it.`);
        }
        const after = applyChunks(before, op.chunks, op.path);
        if (E.isLeft(after)) throw new PlanFailure(after.left);
        const destination = op.movePath === undefined ? path : nodePath.resolve(base, op.movePath);
        const movePath = destination === path ? undefined : destination;
        if (movePath === undefined) {
          files.push({ type: 'update', path, displayPath: op.path, movePath, before, after: after.right, destinationBefore: undefined });
          writes.push({ type: 'write', path, contents: after.right });
          pending.set(path, after.right);
        } else {
          const destinationBefore = await read(movePath);
          files.push({ type: 'update', path, displayPath: op.movePath!, movePath, before, after: after.right, destinationBefore });
          writes.push({ type: 'write', path: movePath, contents: after.right }, { type: 'remove', path });
          pending.set(movePath, after.right);
          pending.set(path, null);
        }
      }
    }
  } catch (error) {
    if (!(error instanceof PlanFailure)) throw error;
    return E.left({ kind: 'plan', message: error.message, line });
  }
  return E.right({ cwd: base, changes: itemChanges(files), files, writes });
};

const itemChanges = (files: readonly PlannedFile[]): FileUpdateChange[] =>
  files
    .map((file): FileUpdateChange => {
      switch (file.type) {
        case 'add':
          return { path: file.path, kind: { type: 'add' }, diff: file.after };
        case 'delete':
          return { path: file.path, kind: { type: 'delete' }, diff: file.before };
        case 'update': {
          const diff = unifiedDiff(file.before, file.after, { context: ITEM_DIFF_CONTEXT });
          return {
            path: file.path,
            kind: { type: 'update', move_path: file.movePath ?? null },
            diff: file.movePath === undefined ? diff : `${diff}\n\nMoved to: ${file.movePath}`,
          };
        }
      }
    })
    // Stable, so two operations on one path keep the patch's order.
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
