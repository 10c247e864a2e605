// ChatGPT apps (connectors): `app/list`.

import * as t from 'io-ts';
import { uint32 } from '../codec.js';

/** EXPERIMENTAL - app metadata returned by app-list APIs. */
export const AppInfo = t.intersection([
  t.type({
    id: t.string,
    name: t.string,
  }),
  t.partial({
    description: t.union([t.string, t.null]),
    distributionChannel: t.union([t.string, t.null]),
    installUrl: t.union([t.string, t.null]),
    isAccessible: t.boolean,
    logoUrl: t.union([t.string, t.null]),
    logoUrlDark: t.union([t.string, t.null]),
  }),
], 'AppInfo');
export type AppInfo = t.TypeOf<typeof AppInfo>;

/**
 * Params of `app/list`.
 *
 * EXPERIMENTAL - list available apps/connectors.
 */
export const AppsListParams = t.partial({
  /** Opaque pagination cursor returned by a previous call. */
  cursor: t.union([t.string, t.null]),
  /** When true, bypass app caches and fetch the latest data from sources. */
  forceRefetch: t.boolean,
  /** Optional page size; defaults to a reasonable server-side value. */
  limit: t.union([uint32, t.null]),
  /** Optional thread id used to evaluate app feature gating from that thread's config. */
  threadId: t.union([t.string, t.null]),
}, 'AppsListParams');
export type AppsListParams = t.TypeOf<typeof AppsListParams>;

/**
 * Result of `app/list`.
 *
 * EXPERIMENTAL - app list response.
 */
export const AppsListResponse = t.intersection([
  t.type({
    data: t.array(AppInfo),
  }),
  t.partial({
    /** Opaque cursor to pass to the next call to continue after the last item. If None, there are no more items to return. */
    nextCursor: t.union([t.string, t.null]),
  }),
], 'AppsListResponse');
export type AppsListResponse = t.TypeOf<typeof AppsListResponse>;
