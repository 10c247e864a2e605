// `feedback/upload`.

import * as t from 'io-ts';

/** Params of `feedback/upload`. */
export const FeedbackUploadParams = t.intersection([
  t.type({
    classification: t.string,
    includeLogs: t.boolean,
  }),
  t.partial({
    reason: t.union([t.string, t.null]),
    threadId: t.union([t.string, t.null]),
  }),
], 'FeedbackUploadParams');
export type FeedbackUploadParams = t.TypeOf<typeof FeedbackUploadParams>;

/** Result of `feedback/upload`. */
export const FeedbackUploadResponse = t.type({
  threadId: t.string,
}, 'FeedbackUploadResponse');
export type FeedbackUploadResponse = t.TypeOf<typeof FeedbackUploadResponse>;
