import { ThreadLoadedListParams, ThreadLoadedListResponse } from '../../protocol/v2/threadMethods.js';
import { isThreadId } from '../../threads/rolloutLocation.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';

/** `thread/loaded/list` (SPEC §4.7): ids of loaded threads, sorted, paged after `cursor`. */
export const threadLoadedList = handle('thread/loaded/list', ThreadLoadedListParams, ThreadLoadedListResponse, (params, ctx) => {
  const ids = ctx.server.threads.loadedIds();
  const cursor = params.cursor ?? null;
  if (cursor !== null && !isThreadId(cursor)) throw rpcError.invalidRequest(`invalid cursor: ${cursor}`, 'invalidCursor');
  const start = cursor === null ? 0 : ids.findIndex((id) => id > cursor.toLowerCase());
  const from = start < 0 ? ids.length : start;
  const limit = Math.max(1, params.limit ?? ids.length);
  const data = ids.slice(from, from + limit);
  const more = from + limit < ids.length;
  return { data, nextCursor: more ? data[data.length - 1]! : null };
});
