// The open thread's header: its title and facts, and the thread actions — rename
// (`thread/name/set`), fork, compact, roll back N turns, archive / unarchive.

import { combineLatest } from 'rxjs';
import type { App, AppState } from './app.js';
import { formatTime, h, replaceChildren } from './dom.js';
import { threadTitle } from './threadList.js';
import { activeTurn } from './threadState.js';

export function mountThreadHeader(root: HTMLElement, app: App): void {
  let renaming = false;
  let last: AppState | null = null;
  let lastNames: ReadonlyMap<string, string> = new Map();
  let rendered = false;
  let lastRenderedNames: ReadonlyMap<string, string> | null = null;

  const render = (state: AppState, names: ReadonlyMap<string, string>): void => {
    const open = state.open;
    if (!open) {
      replaceChildren(root);
      return;
    }
    const running = activeTurn(open.view) !== undefined;
    const title = threadTitle(open.thread, names);
    const facts = [
      `id ${open.thread.id}`,
      open.thread.cwd,
      open.model ? `${open.thread.modelProvider} · ${open.model}` : open.thread.modelProvider,
      open.thread.createdAt ? `created ${formatTime(open.thread.createdAt)}` : '',
    ].filter(Boolean);

    const titleRow = renaming ? renameForm(title) : h('h2', { class: 'thread-title', 'data-testid': 'thread-title' }, title);
    const rollbackCount = h('input', {
      type: 'number',
      min: 1,
      value: 1,
      class: 'count',
      'data-testid': 'rollback-count',
      'aria-label': 'Number of turns to roll back',
    });
    const actions = open.archived
      ? [h('button', { type: 'button', class: 'primary', 'data-testid': 'unarchive', onclick: () => void app.unarchive() }, 'Unarchive')]
      : [
          h('button', { type: 'button', 'data-testid': 'rename', onclick: () => startRename() }, 'Rename'),
          h('button', { type: 'button', 'data-testid': 'fork', onclick: () => void app.fork() }, 'Fork'),
          h('button', { type: 'button', 'data-testid': 'compact', disabled: running, onclick: () => void app.compact() }, 'Compact'),
          h(
            'span',
            { class: 'group' },
            h(
              'button',
              {
                type: 'button',
                'data-testid': 'rollback',
                disabled: running || (open.view?.turns.length ?? 0) === 0,
                title: 'Drop the last turns from the thread (file changes stay)',
                onclick: () => void app.rollback(Math.max(1, Math.floor(Number(rollbackCount.value) || 1))),
              },
              'Roll back',
            ),
            rollbackCount,
            h('span', { class: 'muted' }, 'turn(s)'),
          ),
          h('button', { type: 'button', 'data-testid': 'archive', onclick: () => void app.archive() }, 'Archive'),
        ];

    // Keep focus on the same control across renders (keyboard users).
    const focusedId = document.activeElement instanceof HTMLElement && root.contains(document.activeElement) ? document.activeElement.dataset.testid : undefined;
    const oldCount = root.querySelector<HTMLInputElement>('[data-testid="rollback-count"]');
    if (oldCount) rollbackCount.value = oldCount.value;
    replaceChildren(
      root,
      h(
        'div',
        { class: 'title-row' },
        titleRow,
        open.archived ? h('span', { class: 'badge status-archived', 'data-testid': 'archived-badge' }, 'archived') : null,
        state.busy ? h('span', { class: 'muted', 'data-testid': 'busy' }, state.busy) : null,
      ),
      h('div', { class: 'facts', 'data-testid': 'thread-facts' }, facts.join(' · ')),
      h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Thread actions' }, ...actions),
    );
    if (focusedId) root.querySelector<HTMLElement>(`[data-testid="${focusedId}"]`)?.focus();
  };

  const renameForm = (current: string): HTMLElement => {
    const field = h('input', { type: 'text', value: current, 'data-testid': 'rename-input', 'aria-label': 'Thread name' });
    const finish = (): void => {
      renaming = false;
      if (last) render(last, lastNames);
    };
    const form = h(
      'form',
      {
        class: 'rename-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const name = field.value.trim();
          finish();
          if (name) void app.rename(name);
        },
        onkeydown: (event: Event) => {
          if ((event as KeyboardEvent).key === 'Escape') finish();
        },
      },
      field,
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'rename-save' }, 'Save'),
      h('button', { type: 'button', 'data-testid': 'rename-cancel', onclick: finish }, 'Cancel'),
    );
    queueMicrotask(() => {
      field.focus();
      field.select();
    });
    return form;
  };

  const startRename = (): void => {
    renaming = true;
    if (last) render(last, lastNames);
  };

  combineLatest([app.state$, app.names$]).subscribe(([state, names]) => {
    // Re-render only when what the header shows changed (not on every streamed delta).
    const prev = last;
    last = state;
    lastNames = names;
    if (renaming && prev?.open?.thread.id === state.open?.thread.id) return;
    renaming = false;
    if (
      prev &&
      names === lastRenderedNames &&
      prev.busy === state.busy &&
      prev.open?.thread === state.open?.thread &&
      prev.open?.archived === state.open?.archived &&
      prev.open?.model === state.open?.model &&
      headerTurnKey(prev) === headerTurnKey(state) &&
      rendered
    )
      return;
    rendered = true;
    lastRenderedNames = names;
    render(state, names);
  });
}

/** What of the turns the header depends on: whether one runs, and whether there are any. */
const headerTurnKey = (state: AppState): string => `${activeTurn(state.open?.view ?? null)?.id ?? ''}|${state.open?.view?.turns.length ?? -1}`;
