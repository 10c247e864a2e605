// A plan (the `plan` item of plan mode, SPEC §7) is Markdown written by the model. It is shown as
// a preformatted, Markdown-ish list: headings, bullets, numbered steps and checkboxes keep their
// line structure and get a little emphasis; nothing is interpreted as HTML.

import { h } from './dom.js';
import { inline } from './markdown.js';

/** One line of a plan with its role. */
export type PlanLine =
  | { readonly kind: 'heading'; readonly level: number; readonly text: string }
  | { readonly kind: 'bullet'; readonly indent: number; readonly marker: string; readonly text: string }
  | { readonly kind: 'text'; readonly text: string };

/**
 * Classifies each line of `text`.
 *
 * @example
 * planLines('# Plan\n- first\n1. second') // heading, bullet '•', bullet '1.'
 */
export function planLines(text: string): PlanLine[] {
  const lines = text.replace(/\n+$/, '').split('\n');
  return lines.map((line): PlanLine => {
    const heading = /^\s*(#{1,6})\s+(.*)$/.exec(line);
    if (heading) return { kind: 'heading', level: (heading[1] as string).length, text: heading[2] as string };
    const bullet = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (bullet) {
      const raw = bullet[2] as string;
      let rest = bullet[3] as string;
      let marker = /^\d/.test(raw) ? raw : '•';
      const box = /^\[([ xX])\]\s+(.*)$/.exec(rest);
      if (box) {
        marker = box[1] === ' ' ? '☐' : '☑';
        rest = box[2] as string;
      }
      return { kind: 'bullet', indent: Math.floor((bullet[1] as string).length / 2), marker, text: rest };
    }
    return { kind: 'text', text: line };
  });
}

/** The plan as a preformatted list element. */
export function renderPlan(text: string): HTMLElement {
  const list = h('div', { class: 'plan-text', 'data-testid': 'plan-text' });
  for (const line of planLines(text)) {
    if (line.kind === 'heading') list.append(h('div', { class: `plan-heading plan-h${line.level}` }, ...inline(line.text)));
    else if (line.kind === 'bullet')
      list.append(
        h('div', { class: 'plan-step', style: `padding-left:${1.5 + line.indent * 1.5}ch` }, h('span', { class: 'plan-marker' }, line.marker), ' ', ...inline(line.text)),
      );
    else list.append(h('div', { class: 'plan-line' }, line.text === '' ? '\u00a0' : line.text));
  }
  return list;
}
