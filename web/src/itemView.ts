// One ThreadItem (SPEC §4.17) as an element. Pure: the same item always gives the same DOM, so
// the thread view can rebuild an item's element whenever the item object changes.

import { renderContent, renderDiff } from './diffView.js';
import { h } from './dom.js';
import { renderMarkdownish } from './markdown.js';
import { renderPlan } from './planText.js';
import type { ItemOf, ThreadItem } from './protocol.js';

const statusBadge = (status: string, testid: string): HTMLElement => h('span', { class: `badge status-${status}`, 'data-testid': testid }, status);

const userMessage = (item: ItemOf<'userMessage'>): HTMLElement => {
  const parts = item.content.map((input) => {
    switch (input.type) {
      case 'text':
        return input.text;
      case 'image':
        return `[image ${input.url.startsWith('data:') ? '(inline)' : input.url}]`;
      case 'localImage':
        return `[image ${input.path}]`;
      default:
        return `[${input.type} ${'name' in input ? String(input.name) : ''}]`;
    }
  });
  return h('div', { class: 'item user-message', 'data-testid': 'user-message' }, h('div', { class: 'item-label' }, 'You'), h('div', { class: 'message-text' }, parts.join('\n')));
};

const agentMessage = (item: ItemOf<'agentMessage'>): HTMLElement =>
  h('div', { class: 'item agent-message', 'data-testid': 'agent-message' }, h('div', { class: 'item-label' }, 'Agent'), renderMarkdownish(item.text, 'message-text'));

const reasoning = (item: ItemOf<'reasoning'>): HTMLElement => {
  const details = h(
    'details',
    { class: 'item reasoning', 'data-testid': 'reasoning', open: true },
    h('summary', { class: 'item-label' }, 'Reasoning'),
    ...(item.summary ?? []).map((part) => renderMarkdownish(part.trim(), 'reasoning-summary')),
    ...(item.content ?? []).map((part) => renderMarkdownish(part.trim(), 'reasoning-content')),
  );
  return details;
};

const commandExecution = (item: ItemOf<'commandExecution'>): HTMLElement => {
  const facts = [item.cwd ? `in ${item.cwd}` : '', item.exitCode !== null && item.exitCode !== undefined ? `exit ${item.exitCode}` : '', item.durationMs != null ? `${item.durationMs} ms` : '']
    .filter(Boolean)
    .join(' · ');
  return h(
    'div',
    { class: 'item command', 'data-testid': 'command', 'data-item-id': item.id, 'data-status': item.status },
    h('div', { class: 'item-head' }, h('span', { class: 'item-label' }, 'Command'), statusBadge(item.status, 'command-status'), h('span', { class: 'facts' }, facts)),
    h('pre', { class: 'command-line', 'data-testid': 'command-line' }, `$ ${item.command}`),
    item.aggregatedOutput ? h('pre', { class: 'output', 'data-testid': 'command-output' }, item.aggregatedOutput) : null,
  );
};

const fileChange = (item: ItemOf<'fileChange'>): HTMLElement =>
  h(
    'div',
    { class: 'item file-change', 'data-testid': 'file-change', 'data-item-id': item.id, 'data-status': item.status },
    h('div', { class: 'item-head' }, h('span', { class: 'item-label' }, 'File change'), statusBadge(item.status, 'file-change-status')),
    ...item.changes.map((change) => {
      const kind = change.kind.type === 'update' && change.kind.move_path ? `moved to ${change.kind.move_path}` : change.kind.type;
      const body =
        change.kind.type === 'add' ? renderContent(change.diff, '+', 'file-diff') : change.kind.type === 'delete' ? renderContent(change.diff, '-', 'file-diff') : renderDiff(change.diff, 'file-diff');
      return h('div', { class: 'file' }, h('div', { class: 'file-path' }, h('code', {}, change.path), ' ', h('span', { class: 'badge' }, kind)), body);
    }),
  );

const plan = (item: ItemOf<'plan'>): HTMLElement =>
  h('div', { class: 'item plan', 'data-testid': 'plan', 'data-item-id': item.id }, h('div', { class: 'item-label' }, 'Plan'), renderPlan(item.text));

const json = (value: unknown): string => (value === null || value === undefined ? '' : JSON.stringify(value, null, 2));

/** The element for `item`. */
export function renderItem(item: ThreadItem): HTMLElement {
  switch (item.type) {
    case 'userMessage':
      return userMessage(item);
    case 'agentMessage':
      return agentMessage(item);
    case 'reasoning':
      return reasoning(item);
    case 'commandExecution':
      return commandExecution(item);
    case 'fileChange':
      return fileChange(item);
    case 'plan':
      return plan(item);
    case 'mcpToolCall':
      return h(
        'div',
        { class: 'item tool', 'data-testid': 'mcp-tool-call' },
        h('div', { class: 'item-head' }, h('span', { class: 'item-label' }, `Tool ${item.server}.${item.tool}`), statusBadge(item.status, 'tool-status')),
        h('pre', { class: 'output' }, json(item.arguments)),
        item.error ? h('pre', { class: 'output error-text' }, item.error.message) : item.result ? h('pre', { class: 'output' }, json(item.result.content)) : null,
      );
    case 'collabAgentToolCall':
      return h('div', { class: 'item tool', 'data-testid': 'collab-tool-call' }, h('span', { class: 'item-label' }, `Agent ${item.tool}`), ' ', statusBadge(item.status, 'tool-status'));
    case 'webSearch':
      return h('div', { class: 'item tool', 'data-testid': 'web-search' }, h('span', { class: 'item-label' }, 'Web search'), ' ', item.query);
    case 'imageView':
      return h('div', { class: 'item tool', 'data-testid': 'image-view' }, h('span', { class: 'item-label' }, 'Viewed image'), ' ', h('code', {}, item.path));
    case 'enteredReviewMode':
    case 'exitedReviewMode':
      return h('div', { class: 'item note', 'data-testid': 'review' }, h('span', { class: 'item-label' }, 'Review'), ' ', item.review);
    case 'contextCompaction':
      return h('div', { class: 'item note', 'data-testid': 'context-compaction' }, 'Context compacted');
    default:
      return h('div', { class: 'item note' }, `(${(item as { type: string }).type})`);
  }
}
