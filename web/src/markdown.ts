// Just enough Markdown for agent messages and reasoning summaries: fenced code blocks, inline
// `code` and **bold**. Line breaks are kept as written (the text is shown pre-wrapped); nothing
// is ever interpreted as HTML.

import { h } from './dom.js';

/** Inline `**bold**` and `` `code` `` as elements; everything else as text. */
export function inline(text: string): (Node | string)[] {
  const parts: (Node | string)[] = [];
  const pattern = /\*\*([^*\n]+)\*\*|`([^`\n]+)`/g;
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(match[1] !== undefined ? h('strong', {}, match[1]) : h('code', {}, match[2] as string));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * @example
 * renderMarkdownish('Run `ls`:\n```\nls -la\n```', 'message-text')
 */
export function renderMarkdownish(text: string, className: string): HTMLElement {
  const root = h('div', { class: className });
  let prose: string[] = [];
  let code: string[] | null = null;
  const flush = (): void => {
    if (prose.length > 0) root.append(...inline(prose.join('\n')));
    prose = [];
  };
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      if (code === null) {
        flush();
        code = [];
      } else {
        root.append(h('pre', { class: 'code-block' }, code.join('\n')));
        code = null;
      }
    } else if (code !== null) code.push(line);
    else prose.push(line);
  }
  // A block still open (the message is streaming) shows what has arrived.
  if (code !== null) root.append(h('pre', { class: 'code-block' }, code.join('\n')));
  flush();
  return root;
}
