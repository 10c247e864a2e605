import { createHash } from 'node:crypto';
import * as nodePath from 'node:path';
import { unifiedDiff } from './lineDiff.js';
import type { PatchPlan } from './planPatch.js';

/**
 * The net effect of a turn's applied patches, kept in memory so the turn's diff never re-reads the
 * workspace: each touched path's content before the turn touched it and now (`null` = no file),
 * and for moved files where they came from. Immutable; fold plans in with {@link recordPatch}.
 *
 * @example
 * const diff: TurnDiff = emptyTurnDiff;
 */
export interface TurnDiff {
  readonly baseline: ReadonlyMap<string, string | null>;
  readonly current: ReadonlyMap<string, string | null>;
  /** Current path of a moved file → the path it had when the turn first touched it. */
  readonly origin: ReadonlyMap<string, string>;
}

/**
 * A turn that has changed nothing yet.
 *
 * @example
 * renderTurnDiff(emptyTurnDiff, '/w'); // undefined
 */
export const emptyTurnDiff: TurnDiff = { baseline: new Map(), current: new Map(), origin: new Map() };

/**
 * Folds a successfully applied plan into the turn's diff state. Pure: returns a new state.
 *
 * @example
 * let diff = emptyTurnDiff;
 * diff = recordPatch(diff, plan); // after applyPlannedPatch(plan, fs) succeeded
 */
export const recordPatch = (diff: TurnDiff, plan: PatchPlan): TurnDiff => {
  const baseline = new Map(diff.baseline);
  const current = new Map(diff.current);
  const origin = new Map(diff.origin);
  const touch = (path: string, before: string | undefined): void => {
    if (!baseline.has(path)) baseline.set(path, before ?? null);
  };
  for (const file of plan.files) {
    touch(file.path, file.before);
    if (file.type === 'add' || file.type === 'delete') {
      current.set(file.path, file.type === 'add' ? file.after : null);
      origin.delete(file.path);
    } else if (file.movePath === undefined) {
      current.set(file.path, file.after);
    } else {
      touch(file.movePath, file.destinationBefore);
      const from = origin.get(file.path) ?? file.path;
      origin.delete(file.path);
      current.set(file.path, null);
      current.set(file.movePath, file.after);
      if (from === file.movePath) origin.delete(file.movePath);
      else origin.set(file.movePath, from);
    }
  }
  return { baseline, current, origin };
};

const ZERO_OID = '0'.repeat(40);
const FILE_MODE = '100644';
const CONTEXT = 3;

/**
 * The turn's aggregated diff for `turn/diff/updated`, git-style, with paths relative to `cwd`
 * (absolute when outside it), files in path order: `diff --git a/x b/x`, `new file mode` /
 * `deleted file mode`, `index <blob>..<blob>`, `---`/`+++` and hunks with 3 lines of context. A
 * file moved during the turn shows as one diff from its old to its new name. `undefined` when the
 * turn's changes cancel out (or there are none).
 *
 * @example
 * renderTurnDiff(recordPatch(emptyTurnDiff, planAddingHello), '/w');
 * // 'diff --git a/hello.txt b/hello.txt\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..ce01362…\n' +
 * // '--- /dev/null\n+++ b/hello.txt\n@@ -0,0 +1 @@\n+hello\n'
 */
export const renderTurnDiff = (diff: TurnDiff, cwd: string): string | undefined => {
  const display = (path: string): string => {
    const relative = nodePath.relative(cwd, path);
    const inside = relative !== '' && !relative.startsWith('..') && !nodePath.isAbsolute(relative);
    return (inside ? relative : path).split(nodePath.sep).join('/');
  };
  const exists = (map: ReadonlyMap<string, string | null>, path: string): boolean => (map.get(path) ?? null) !== null;

  // A move shows as a rename only when the old path is gone and the new one did not exist before.
  const renamedTo = new Map<string, string>();
  for (const [to, from] of diff.origin) {
    if (exists(diff.baseline, from) && !exists(diff.current, from) && !exists(diff.baseline, to) && exists(diff.current, to)) {
      renamedTo.set(from, to);
    }
  }
  const renameTargets = new Set(renamedTo.values());

  const paths = [...diff.baseline.keys()].sort((a, b) => compare(display(a), display(b)));
  let out = '';
  for (const path of paths) {
    if (renameTargets.has(path)) continue;
    const to = renamedTo.get(path) ?? path;
    out += fileDiff(display(path), diff.baseline.get(path) ?? null, display(to), diff.current.get(to) ?? null);
  }
  return out === '' ? undefined : out;
};

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const blobId = (content: string): string => {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
};

const fileDiff = (left: string, before: string | null, right: string, after: string | null): string => {
  if (before === after) return '';
  let out = `diff --git a/${left} b/${right}\n`;
  if (before === null) out += `new file mode ${FILE_MODE}\n`;
  if (after === null) out += `deleted file mode ${FILE_MODE}\n`;
  out += `index ${before === null ? ZERO_OID : blobId(before)}..${after === null ? ZERO_OID : blobId(after)}\n`;
  return out + unifiedDiff(before ?? '', after ?? '', {
    context: CONTEXT,
    headers: { old: before === null ? '/dev/null' : `a/${left}`, new: after === null ? '/dev/null' : `b/${right}` },
  });
};
