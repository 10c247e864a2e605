/**
 * The parsed form of an `apply_patch` envelope: plain data, no behaviour. Paths are kept exactly as
 * the model wrote them; resolving them against a working directory is the planner's job.
 */

/**
 * One `@@` section of an `*** Update File` operation: the lines to find (`oldLines`, context and
 * `-` lines) and what replaces them (`newLines`, context and `+` lines).
 *
 * @example
 * // "@@ def f():\n-    pass\n+    return 1" parses to
 * const chunk: UpdateChunk = {
 *   context: 'def f():', oldLines: ['    pass'], newLines: ['    return 1'], isEndOfFile: false, line: 4,
 * };
 */
export interface UpdateChunk {
  /** Text after `@@ `: a line (usually a declaration) that must occur before `oldLines`. */
  readonly context: string | undefined;
  readonly oldLines: readonly string[];
  readonly newLines: readonly string[];
  /** `*** End of File` closed the chunk: `oldLines` should sit at the very end of the file. */
  readonly isEndOfFile: boolean;
  /** 1-based line of the patch text where the chunk starts, for error messages. */
  readonly line: number;
}

/**
 * One file operation of a patch.
 *
 * @example
 * const op: PatchOperation = { type: 'add', path: 'hello.txt', contents: 'hi\n', line: 2 };
 */
export type PatchOperation =
  | { readonly type: 'add'; readonly path: string; readonly contents: string; readonly line: number }
  | { readonly type: 'delete'; readonly path: string; readonly line: number }
  | {
      readonly type: 'update';
      readonly path: string;
      readonly movePath: string | undefined;
      readonly chunks: readonly UpdateChunk[];
      readonly line: number;
    };

/**
 * A parsed patch. `text` is the envelope itself (`*** Begin Patch` … `*** End Patch`) without any
 * heredoc wrapper; `workdir` is the directory of a `cd <dir> && apply_patch <<'EOF'` wrapper.
 *
 * @example
 * const patch: Patch = {
 *   operations: [{ type: 'delete', path: 'old.txt', line: 2 }],
 *   text: '*** Begin Patch\n*** Delete File: old.txt\n*** End Patch',
 *   workdir: undefined,
 * };
 */
export interface Patch {
  readonly operations: readonly PatchOperation[];
  readonly text: string;
  readonly workdir: string | undefined;
}

/**
 * Why a patch could not be parsed, planned or applied. `message` is written for the model: it says
 * what is wrong and, where it helps, what to send instead. `line` is the 1-based line of the patch
 * text the problem was found on, when there is one.
 *
 * @example
 * const error: PatchError = { kind: 'parse', message: "line 1: a patch must start with '*** Begin Patch'", line: 1 };
 */
export interface PatchError {
  readonly kind: 'parse' | 'plan' | 'apply';
  readonly message: string;
  readonly line: number | undefined;
}
