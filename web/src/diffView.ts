// Unified diffs (fileChange `changes[].diff`, `turn/diff/updated`) as preformatted text with
// added, removed, hunk and header lines told apart by class.

import { h } from './dom.js';

const lineClass = (line: string): string => {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) return 'diff-meta';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return 'diff-ctx';
};

/**
 * @example
 * renderDiff('@@ -1 +1 @@\n-old\n+new\n', 'file-diff')
 */
export function renderDiff(diff: string, testid: string): HTMLElement {
  const pre = h('pre', { class: 'diff', 'data-testid': testid });
  const lines = diff.replace(/\n$/, '').split('\n');
  for (const line of lines) pre.append(h('span', { class: lineClass(line) }, line === '' ? ' ' : line), '\n');
  return pre;
}

/** A file change's full content (kind add/delete) shown with every line marked. */
export function renderContent(content: string, sign: '+' | '-', testid: string): HTMLElement {
  const marked = content
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => sign + line)
    .join('\n');
  return renderDiff(marked, testid);
}
