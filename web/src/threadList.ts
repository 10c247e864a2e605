// The sidebar: `thread/list` pages (with `cursor`), sorted by creation or last update
// (`sortKey`), live or archived threads, and a button to start a new thread.

import { BehaviorSubject, EMPTY, Subject, catchError, combineLatest, debounceTime, distinctUntilChanged, map, merge, switchMap } from 'rxjs';
import type { App } from './app.js';
import { formatTime, h, replaceChildren } from './dom.js';
import type { SortKey, Thread, ThreadListResponse } from './protocol.js';
import type { RpcClient } from './rpc.js';

const PAGE_SIZE = 20;
const MAX_PAGE = 100;

interface ListState {
  readonly sortKey: SortKey;
  readonly archived: boolean;
  readonly threads: readonly Thread[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
}

/** The label of a thread: its name, else its first message, else its id. */
export const threadTitle = (thread: Thread, names: ReadonlyMap<string, string>): string =>
  names.get(thread.id) ?? (thread.preview.trim() || `Thread ${thread.id.slice(0, 8)}`);

/**
 * Mounts the thread list in `root`. It reloads its first page when the connection becomes ready,
 * when the sort or the archived toggle changes, and when the app reports a change.
 */
export function mountThreadList(root: HTMLElement, rpc: RpcClient, app: App): void {
  const state$ = new BehaviorSubject<ListState>({ sortKey: 'created_at', archived: false, threads: [], nextCursor: null, loading: false });
  const reload$ = new Subject<void>();
  const more$ = new Subject<void>();
  const set = (patch: Partial<ListState>): void => state$.next({ ...state$.value, ...patch });

  const page = (cursor: string | null, limit: number) => {
    const { sortKey, archived } = state$.value;
    // `modelProviders: []` lists every provider (omitted would mean only the configured one).
    return rpc.request<ThreadListResponse>('thread/list', { cursor, limit, sortKey, archived, modelProviders: [] }).pipe(
      catchError((error: unknown) => {
        app.errors$.next(`Listing threads: ${error instanceof Error ? error.message : String(error)}`);
        set({ loading: false });
        return EMPTY;
      }),
    );
  };

  // A reload keeps as many threads as were shown (up to a page of 100), so "load more" survives it.
  merge(reload$, app.threadsChanged$.pipe(debounceTime(50)))
    .pipe(
      switchMap(() => {
        set({ loading: true });
        return page(null, Math.min(MAX_PAGE, Math.max(PAGE_SIZE, state$.value.threads.length)));
      }),
    )
    .subscribe((response) => set({ threads: response.data, nextCursor: response.nextCursor, loading: false }));

  more$
    .pipe(
      switchMap(() => {
        const cursor = state$.value.nextCursor;
        if (cursor === null) return EMPTY;
        set({ loading: true });
        return page(cursor, PAGE_SIZE);
      }),
    )
    .subscribe((response) => {
      const known = new Set(state$.value.threads.map((thread) => thread.id));
      set({ threads: [...state$.value.threads, ...response.data.filter((thread) => !known.has(thread.id))], nextCursor: response.nextCursor, loading: false });
    });

  rpc.ready$.subscribe(() => reload$.next());

  const newButton = h('button', { class: 'primary wide', 'data-testid': 'new-thread', type: 'button', onclick: () => void app.newThread() }, '+ New thread');
  const sort = h(
    'select',
    {
      'data-testid': 'sort-key',
      'aria-label': 'Sort threads by',
      onchange: () => {
        set({ sortKey: sort.value as SortKey, threads: [] });
        reload$.next();
      },
    },
    h('option', { value: 'created_at' }, 'Newest first'),
    h('option', { value: 'updated_at' }, 'Recently updated'),
  );
  const archivedToggle = h('input', {
    type: 'checkbox',
    'data-testid': 'show-archived',
    onchange: () => {
      set({ archived: archivedToggle.checked, threads: [], nextCursor: null });
      reload$.next();
    },
  });
  const list = h('ul', { class: 'thread-list', 'data-testid': 'thread-list' });
  const footer = h('div', { class: 'list-footer' });
  replaceChildren(
    root,
    h('div', { class: 'sidebar-head' }, newButton, h('div', { class: 'list-controls' }, sort, h('label', { class: 'toggle' }, archivedToggle, ' Archived'))),
    list,
    footer,
  );

  const openId$ = app.state$.pipe(
    map((s) => s.open?.thread.id),
    distinctUntilChanged(),
  );
  combineLatest([state$, openId$, app.names$]).subscribe(([state, openId, names]) => {
    // Rebuilding the list must not lose keyboard focus.
    const focused = document.activeElement instanceof HTMLElement && list.contains(document.activeElement) ? document.activeElement.dataset.threadId : undefined;
    replaceChildren(
      list,
      ...state.threads.map((thread) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'thread-item',
              'data-testid': 'thread-item',
              'data-thread-id': thread.id,
              'aria-current': thread.id === openId ? 'true' : false,
              onclick: () => void app.openThread(thread, state.archived),
            },
            h('span', { class: 'thread-title' }, threadTitle(thread, names)),
            h(
              'span',
              { class: 'thread-meta' },
              formatTime(state.sortKey === 'updated_at' ? thread.updatedAt : thread.createdAt),
              thread.modelProvider ? ` · ${thread.modelProvider}` : '',
            ),
          ),
        ),
      ),
    );
    if (focused) list.querySelector<HTMLElement>(`[data-thread-id="${CSS.escape(focused)}"]`)?.focus();
    if (state.threads.length === 0 && !state.loading) list.append(h('li', { class: 'empty', 'data-testid': 'thread-list-empty' }, state.archived ? 'No archived threads.' : 'No threads yet.'));
    replaceChildren(
      footer,
      state.nextCursor !== null ? h('button', { type: 'button', class: 'wide', 'data-testid': 'load-more', disabled: state.loading, onclick: () => more$.next() }, 'Load more') : null,
      state.loading ? h('span', { class: 'muted', 'data-testid': 'thread-list-loading' }, 'Loading…') : null,
    );
  });
}
