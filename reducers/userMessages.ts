import type { ResponseItem } from '../lib/protocol/index.js';

// Wrappers the reference stores as user-role messages that are context, not user intent
// (0.101.0 `parse_user_message`: user instructions, skills, environment context, the interrupt
// marker, user shell commands, sub-agent notifications). They never start a user turn.
const CONTEXTUAL_PREFIXES = [
  '# agents.md instructions for ',
  '<user_instructions>',
  '<skill>',
  '<environment_context>',
  '<turn_aborted>',
  '<user_shell_command>',
  '<subagent_notification>',
];

const isContextualText = (text: string): boolean => {
  const head = text.trimStart().slice(0, 32).toLowerCase();
  return CONTEXTUAL_PREFIXES.some((prefix) => head.startsWith(prefix));
};

/**
 * The text of a real user message (a user turn boundary, SPEC §4.13), or `undefined` for any other
 * item: assistant and developer messages, tool calls, and user-role context wrappers. The text is
 * the message's `input_text` parts joined, as the reference's `UserMessageItem::message()`.
 *
 * @example
 * realUserMessageText({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Fix it' }] }); // 'Fix it'
 * realUserMessageText({ type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>…' }] }); // undefined
 */
export const realUserMessageText = (item: ResponseItem): string | undefined => {
  if (item.type !== 'message' || item.role !== 'user') return undefined;
  const texts = item.content.flatMap((part) => (part.type === 'input_text' ? [part.text] : []));
  return texts.some(isContextualText) ? undefined : texts.join('');
};
