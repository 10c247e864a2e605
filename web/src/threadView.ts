// The transcript of the open thread: its turns, each with its items, the turn's diff, checklist
// and error. Rendering is keyed: a turn or item whose object did not change keeps its element, so
// a streamed delta rebuilds one item, and focus and text selection elsewhere survive.

import { renderDiff } from './diffView.js';
import { h, replaceChildren } from './dom.js';
import { renderItem } from './itemView.js';
import type { ThreadItem } from './protocol.js';
import type { ThreadView, TurnView } from './threadState.js';

interface RenderedItem {
  item: ThreadItem;
  element: HTMLElement;
}

interface RenderedTurn {
  turn: TurnView;
  element: HTMLElement;
  head: HTMLElement;
  body: HTMLElement;
  extra: HTMLElement;
  items: Map<string, RenderedItem>;
}

const STATUS_TEXT: Record<string, string> = { inProgress: 'running', completed: 'completed', interrupted: 'interrupted', failed: 'failed' };

/**
 * @example
 * const transcript = new TranscriptView(element);
 * app.state$.subscribe((s) => transcript.render(s.open?.view ?? null));
 */
export class TranscriptView {
  private turns = new Map<string, RenderedTurn>();
  private threadId: string | null = null;

  constructor(private readonly root: HTMLElement) {}

  render(view: ThreadView | null, placeholder?: string): void {
    if (!view) {
      this.turns.clear();
      this.threadId = null;
      replaceChildren(this.root, placeholder ? h('div', { class: 'placeholder', 'data-testid': 'transcript-placeholder' }, placeholder) : null);
      return;
    }
    if (view.threadId !== this.threadId) {
      this.turns.clear();
      this.threadId = view.threadId;
      replaceChildren(this.root);
    }
    const stick = this.root.scrollHeight - this.root.scrollTop - this.root.clientHeight < 60;
    const seen = new Set<string>();
    view.turns.forEach((turn, index) => {
      seen.add(turn.id);
      let rendered = this.turns.get(turn.id);
      if (!rendered) {
        rendered = createTurn(turn);
        this.turns.set(turn.id, rendered);
        updateTurn(rendered, turn, index);
      } else if (rendered.turn !== turn || rendered.element.dataset.index !== String(index)) {
        updateTurn(rendered, turn, index);
      }
      // Appending an element that is already in place is skipped; a moved one is moved.
      if (this.root.children[index] !== rendered.element) this.root.insertBefore(rendered.element, this.root.children[index] ?? null);
    });
    for (const [id, rendered] of this.turns) {
      if (!seen.has(id)) {
        rendered.element.remove();
        this.turns.delete(id);
      }
    }
    const placeholder_ = this.root.querySelector('.placeholder');
    if (view.turns.length === 0 && !placeholder_) this.root.append(h('div', { class: 'placeholder', 'data-testid': 'transcript-placeholder' }, placeholder ?? 'No turns yet: send a message to start.'));
    else if (view.turns.length > 0) placeholder_?.remove();
    if (stick) this.root.scrollTop = this.root.scrollHeight;
  }
}

const createTurn = (turn: TurnView): RenderedTurn => {
  const head = h('div', { class: 'turn-head' });
  const body = h('div', { class: 'turn-items' });
  const extra = h('div', { class: 'turn-extra' });
  const element = h('article', { class: 'turn', 'data-testid': 'turn', 'data-turn-id': turn.id }, head, body, extra);
  return { turn, element, head, body, extra, items: new Map() };
};

const updateTurn = (rendered: RenderedTurn, turn: TurnView, index: number): void => {
  const previous = rendered.turn;
  rendered.turn = turn;
  rendered.element.dataset.status = turn.status;
  rendered.element.dataset.index = String(index);
  replaceChildren(
    rendered.head,
    h('span', { class: 'turn-number' }, `Turn ${index + 1}`),
    h('span', { class: `badge status-${turn.status}`, 'data-testid': 'turn-status' }, STATUS_TEXT[turn.status] ?? turn.status),
  );

  // Items, keyed by id.
  const seen = new Set<string>();
  turn.items.forEach((item, i) => {
    seen.add(item.id);
    let entry = rendered.items.get(item.id);
    if (!entry) {
      entry = { item, element: renderItem(item) };
      rendered.items.set(item.id, entry);
    } else if (entry.item !== item) {
      const element = renderItem(item);
      // Keep a reasoning block closed if the user closed it.
      if (entry.element instanceof HTMLDetailsElement && element instanceof HTMLDetailsElement) element.open = entry.element.open;
      entry.element.replaceWith(element);
      entry = { item, element };
      rendered.items.set(item.id, entry);
    }
    if (rendered.body.children[i] !== entry.element) rendered.body.insertBefore(entry.element, rendered.body.children[i] ?? null);
  });
  for (const [id, entry] of rendered.items) {
    if (!seen.has(id)) {
      entry.element.remove();
      rendered.items.delete(id);
    }
  }

  if (previous !== turn || rendered.extra.childElementCount === 0) {
    const checklist = turn.checklist
      ? h(
          'div',
          { class: 'checklist', 'data-testid': 'turn-checklist' },
          turn.checklist.explanation ? h('div', { class: 'muted' }, turn.checklist.explanation) : null,
          h(
            'ul',
            {},
            ...turn.checklist.plan.map((step) =>
              h('li', { class: `step step-${step.status}` }, step.status === 'completed' ? '☑ ' : step.status === 'inProgress' ? '▶ ' : '☐ ', step.step),
            ),
          ),
        )
      : null;
    const diff = turn.diff
      ? h('details', { class: 'turn-diff', 'data-testid': 'turn-diff-block' }, h('summary', {}, 'Turn diff'), renderDiff(turn.diff, 'turn-diff'))
      : null;
    const notices = turn.notices.length ? h('div', { class: 'muted', 'data-testid': 'turn-notice' }, turn.notices[turn.notices.length - 1] as string) : null;
    const error = turn.error ? h('div', { class: 'turn-error', 'data-testid': 'turn-error', role: 'alert' }, turn.error.message) : null;
    const wasOpen = rendered.extra.querySelector('details')?.open ?? false;
    replaceChildren(rendered.extra, checklist, diff, turn.status === 'inProgress' ? notices : null, error);
    const details = rendered.extra.querySelector('details');
    if (details && wasOpen) details.open = true;
  }
};
