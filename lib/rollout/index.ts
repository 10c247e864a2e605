/**
 * Rollout files (SPEC §6): the line codecs, the persistence policy and the streaming reader.
 * The folds over these lines live in `reducers/`; `streams/replay.ts` puts the two together.
 *
 * @example
 * import { readRollout, isPersisted, RolloutLine } from './lib/rollout/index.js';
 */
export * from './compacted.js';
export * from './eventMsg.js';
export * from './persistencePolicy.js';
export * from './responseItem.js';
export * from './rolloutLine.js';
export * from './rolloutReader.js';
export * from './sessionMeta.js';
export * from './storedLines.js';
export * from './turnContext.js';
