import type { RolloutWritten } from '../rollout/rolloutWriter.js';

/**
 * What the thread-listing index must hear about rollouts this server changes, so `thread/list`
 * stays current without re-reading files (SPEC §I.4). Files changed by other programs are found
 * by the index itself.
 */
export interface ThreadIndexHooks {
  /** Lines were appended to (or a new file was created at) `path`. */
  readonly noteWritten: RolloutWritten;
  /** A rollout moved (archive, unarchive). */
  readonly noteMoved: (from: string, to: string) => void;
}

/** Hooks that do nothing: a server without an index. */
export const noIndexHooks: ThreadIndexHooks = {
  noteWritten: () => undefined,
  noteMoved: () => undefined,
};
