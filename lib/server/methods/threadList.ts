import { configuredProvider, readUserConfig } from '../../auth/userConfig.js';
import type { Thread } from '../../protocol/index.js';
import { ThreadListParams, ThreadListResponse } from '../../protocol/v2/threadMethods.js';
import { formatCursor, parseCursor, sameCursor, sourceFilters, sourceKindMatches, threadIndexFor, type ThreadIndex } from '../../threadIndex/index.js';
import { toThread } from '../../../reducers/threadSummaryReducer.js';
import { handle } from '../handler.js';
import { rpcError } from '../rpcError.js';
import type { ServerContext } from '../serverContext.js';

/** Page size when `limit` is omitted (`THREAD_LIST_DEFAULT_LIMIT`). */
export const THREAD_LIST_DEFAULT_LIMIT = 25;
/** Largest page (`THREAD_LIST_MAX_LIMIT`); larger limits are clamped, as is 0 (to 1). */
export const THREAD_LIST_MAX_LIMIT = 100;

/** What `thread/list` depends on, injectable for tests. */
export interface ThreadListDeps {
  readonly indexFor: (codexHome: string) => Pick<ThreadIndex, 'page'>;
  readonly modelProvider: (server: ServerContext) => string;
}

/**
 * `thread/list` with injected dependencies (SPEC §4.6): `limit` clamped to 1..=100 (default 25);
 * `cursor` `"<time>|<uuid>"` (else `-32600 invalid cursor: <cursor>`, kind `invalidCursor`);
 * `modelProviders` omitted → the configured provider only, `[]` → all; `sourceKinds` as
 * {@link sourceFilters}; `archived: true` → `archived_sessions/`. Like the reference, it keeps
 * asking the index for pages until `limit` threads survive the source-kind filter, the listing
 * ends, or a page would start again at the same cursor.
 *
 * @example
 * makeThreadList({ indexFor: () => fakeIndex, modelProvider: () => 'openai' });
 */
export const makeThreadList = (deps: ThreadListDeps) =>
  handle('thread/list', ThreadListParams, ThreadListResponse, async (params, ctx) => {
    const limit = Math.min(Math.max(params.limit ?? THREAD_LIST_DEFAULT_LIMIT, 1), THREAD_LIST_MAX_LIMIT);
    let cursor = null;
    if (params.cursor !== null && params.cursor !== undefined) {
      cursor = parseCursor(params.cursor);
      if (cursor === null) throw rpcError.invalidRequest(`invalid cursor: ${params.cursor}`, 'invalidCursor');
    }
    const defaultProvider = deps.modelProvider(ctx.server);
    const modelProviders = params.modelProviders === null || params.modelProviders === undefined ? [defaultProvider] : params.modelProviders.length === 0 ? null : params.modelProviders;
    const { scan, kinds } = sourceFilters(params.sourceKinds);
    const index = deps.indexFor(ctx.server.codexHome);
    const data: Thread[] = [];
    let last = cursor;
    let next = null;
    for (;;) {
      const page = await index.page({
        archived: params.archived === true,
        sortKey: params.sortKey ?? 'created_at',
        pageSize: limit - data.length,
        cursor,
        sources: scan,
        modelProviders,
        defaultProvider,
      });
      for (const item of page.items) {
        const meta = item.summary.meta;
        if (meta === null || (kinds !== null && !sourceKindMatches(meta.source, kinds))) continue;
        const thread = toThread(item.summary, [], { path: item.path, updatedAt: item.updatedAt, defaultModelProvider: defaultProvider });
        if (thread !== null) data.push(thread);
      }
      next = page.next;
      if (data.length >= limit || next === null) break;
      // A filter that drops a whole page must not send the scan round the same cursor forever.
      if (last !== null && sameCursor(last, next)) {
        next = null;
        break;
      }
      last = next;
      cursor = next;
    }
    return { data, nextCursor: next === null ? null : formatCursor(next) };
  });

/** `thread/list` served from the process's thread index of `CODEX_HOME`. */
export const threadList = makeThreadList({
  indexFor: threadIndexFor,
  modelProvider: (server) => configuredProvider(readUserConfig(server)),
});
