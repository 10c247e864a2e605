import { ThreadIndex } from './threadIndex.js';

/**
 * The thread index behind `thread/list` (SPEC §I.4 "Fast listing at scale"): rollout summaries
 * kept up to date on write and rebuilt from the files when missing or stale.
 *
 * @example
 * import { threadIndexFor } from './lib/threadIndex/index.js';
 * threadIndexFor(codexHome).noteWritten(rolloutPath);
 */
export * from './cursor.js';
export * from './headScan.js';
export * from './listing.js';
export * from './threadIndex.js';

const indexes = new Map<string, ThreadIndex>();

/**
 * The process's one index of `codexHome` (an absolute path), created on first use. Everything in
 * the process that writes, moves or deletes rollouts reports it here, and `thread/list` pages
 * from it.
 *
 * @example
 * threadIndexFor(ctx.server.codexHome).noteMoved(livePath, archivedPath);
 */
export const threadIndexFor = (codexHome: string): ThreadIndex => {
  let index = indexes.get(codexHome);
  if (index === undefined) {
    index = new ThreadIndex({ codexHome });
    indexes.set(codexHome, index);
  }
  return index;
};
