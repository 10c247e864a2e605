// The message box: Enter (or Ctrl/Cmd+Enter) sends, Shift+Enter is a new line. With no turn
// running it starts one (`turn/start`, in plan mode when "Plan mode" is on); while a turn runs it
// steers it (`turn/steer`) and offers Interrupt (`turn/interrupt`).

import { combineLatest, map, distinctUntilChanged, type Observable } from 'rxjs';
import type { App } from './app.js';
import { h, replaceChildren } from './dom.js';
import { activeTurn } from './threadState.js';

interface ComposerState {
  readonly enabled: boolean;
  readonly running: boolean;
}

export function mountComposer(root: HTMLElement, app: App, connected$: Observable<boolean>): void {
  const input = h('textarea', {
    'data-testid': 'composer-input',
    'aria-label': 'Message to the agent',
    rows: 3,
    placeholder: 'Ask the agent…  (Enter to send · Shift+Enter for a new line)',
  });
  const plan = h('input', { type: 'checkbox', 'data-testid': 'plan-mode' });
  const send = h('button', { type: 'submit', class: 'primary', 'data-testid': 'send' }, 'Send');
  const interrupt = h('button', { type: 'button', class: 'danger', 'data-testid': 'interrupt', hidden: true, onclick: () => void app.interrupt() }, 'Interrupt');
  const hint = h('span', { class: 'muted composer-hint', 'data-testid': 'composer-hint' });
  let state: ComposerState = { enabled: false, running: false };
  let sending = false;

  const submit = async (): Promise<void> => {
    const text = input.value.trim();
    if (!text || !state.enabled || sending) return;
    sending = true;
    send.disabled = true;
    const ok = state.running ? await app.steer(text) : await app.sendTurn(text, { plan: plan.checked });
    sending = false;
    send.disabled = !state.enabled;
    if (ok) input.value = '';
    input.focus();
  };

  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.isComposing) return;
    if (event.shiftKey && !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    void submit();
  });
  const form = h(
    'form',
    {
      class: 'composer',
      'data-testid': 'composer',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void submit();
      },
    },
    input,
    h(
      'div',
      { class: 'composer-bar' },
      h('label', { class: 'toggle', title: 'The next turn asks the agent for a plan instead of changes' }, plan, ' Plan mode'),
      hint,
      h('span', { class: 'spacer' }),
      interrupt,
      send,
    ),
  );
  replaceChildren(root, form);

  combineLatest([app.state$, connected$])
    .pipe(
      map(([s, connected]): ComposerState & { archived: boolean; open: boolean } => ({
        open: s.open !== null,
        archived: s.open?.archived ?? false,
        enabled: connected && s.open !== null && !s.open.archived && s.open.view !== null,
        running: activeTurn(s.open?.view ?? null) !== undefined,
      })),
      distinctUntilChanged((a, b) => a.enabled === b.enabled && a.running === b.running && a.archived === b.archived && a.open === b.open),
    )
    .subscribe((next) => {
      state = next;
      root.hidden = !next.open;
      input.disabled = !next.enabled;
      send.disabled = !next.enabled || sending;
      send.textContent = next.running ? 'Steer' : 'Send';
      interrupt.hidden = !next.running;
      hint.textContent = next.archived ? 'This thread is archived: unarchive it to continue.' : next.running ? 'A turn is running: Send steers it.' : '';
    });
}
