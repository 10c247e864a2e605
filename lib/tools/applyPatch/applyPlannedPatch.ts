import * as E from 'fp-ts/lib/Either.js';
import type { PatchError } from './patch.js';
import type { PatchPlan, PlannedWrite } from './planPatch.js';

/**
 * Write access for applying a plan. `write` creates missing parent directories and replaces the
 * file as a whole; `remove` deletes a file (and fails for a directory).
 *
 * @example
 * const files = new Map<string, string>();
 * const writer: PatchWriter = { write: async (p, c) => void files.set(p, c), remove: async (p) => void files.delete(p) };
 */
export interface PatchWriter {
  write(path: string, contents: string): Promise<void>;
  remove(path: string): Promise<void>;
}

/**
 * Performs a plan's writes in order and returns the text the model reads: which files were added
 * (`A`), modified or moved (`M`, under the new name) and deleted (`D`), with the paths as the
 * patch wrote them. A step that fails stops the rest; the error names it and lists the steps
 * already done, since those are not rolled back.
 *
 * @example
 * await applyPlannedPatch(plan, nodePatchFs());
 * // right('Success. Updated the following files:\nA docs/new.md\nM src/app.ts\nD old.txt\n')
 */
export const applyPlannedPatch = async (plan: PatchPlan, fs: PatchWriter): Promise<E.Either<PatchError, string>> => {
  const done: PlannedWrite[] = [];
  for (const step of plan.writes) {
    try {
      if (step.type === 'write') await fs.write(step.path, step.contents);
      else await fs.remove(step.path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const verb = step.type === 'write' ? 'write' : 'delete';
      const already = done.length === 0
        ? 'No file was changed.'
        : `These steps had already been done and were kept:\n${done.map(describe).join('\n')}`;
      return E.left({ kind: 'apply', message: `Failed to ${verb} ${step.path}: ${reason}\n${already}`, line: undefined });
    }
    done.push(step);
  }
  return E.right(summary(plan));
};

const describe = (step: PlannedWrite): string => `${step.type === 'write' ? 'wrote' : 'deleted'} ${step.path}`;

const summary = (plan: PatchPlan): string => {
  const marks = { add: 'A', update: 'M', delete: 'D' } as const;
  const lines = (['add', 'update', 'delete'] as const).flatMap((type) =>
    plan.files.filter((file) => file.type === type).map((file) => `${marks[type]} ${file.displayPath}\n`),
  );
  return `Success. Updated the following files:\n${lines.join('')}`;
};
