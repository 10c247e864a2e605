import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ContentItem, ResponseItem, ThreadItem, UserInput } from '../protocol/index.js';
import type { KnownEventMsg } from '../rollout/eventMsg.js';

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/** A local image as a `data:` URL the model can read, or a note when it cannot be read. */
const localImageContent = async (path: string): Promise<ContentItem> => {
  const mime = IMAGE_TYPES[extname(path).toLowerCase()];
  if (!mime) return { type: 'input_text', text: `[image ${path} skipped: unsupported image type]` };
  try {
    const bytes = await readFile(path);
    return { type: 'input_image', image_url: `data:${mime};base64,${bytes.toString('base64')}` };
  } catch (err) {
    return { type: 'input_text', text: `[image ${path} could not be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}]` };
  }
};

/**
 * The user message the model sees for a turn's input: text as `input_text`, images as
 * `input_image` (local files inlined as data URLs). Skills and mentions carry no content here.
 *
 * @example
 * await modelUserMessage([{ type: 'text', text: 'Fix it' }]); // { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Fix it' }] }
 */
export const modelUserMessage = async (input: readonly UserInput[]): Promise<ResponseItem> => {
  const content: ContentItem[] = [];
  for (const part of input) {
    if (part.type === 'text') content.push({ type: 'input_text', text: part.text });
    else if (part.type === 'image') content.push({ type: 'input_image', image_url: part.url });
    else if (part.type === 'localImage') content.push(await localImageContent(part.path));
  }
  return { type: 'message', role: 'user', content };
};

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * The persisted `user_message` event (SPEC §11.2): text inputs concatenated, each text element's
 * byte range shifted by the bytes of the text before it, a missing placeholder filled from the
 * text it covers.
 *
 * @example
 * userMessageEvent([{ type: 'text', text: 'a' }, { type: 'image', url: 'u' }]);
 * // { type: 'user_message', message: 'a', images: ['u'], local_images: [], text_elements: [] }
 */
export const userMessageEvent = (input: readonly UserInput[]): Extract<KnownEventMsg, { type: 'user_message' }> => {
  let message = '';
  const elements: Array<{ byte_range: { start: number; end: number }; placeholder: string | null }> = [];
  for (const part of input) {
    if (part.type !== 'text') continue;
    const offset = utf8Length(message);
    const bytes = Buffer.from(part.text, 'utf8');
    for (const el of part.text_elements ?? []) {
      const placeholder = el.placeholder ?? bytes.subarray(el.byteRange.start, el.byteRange.end).toString('utf8');
      elements.push({ byte_range: { start: el.byteRange.start + offset, end: el.byteRange.end + offset }, placeholder });
    }
    message += part.text;
  }
  return {
    type: 'user_message',
    message,
    images: input.flatMap((p) => (p.type === 'image' ? [p.url] : [])),
    local_images: input.flatMap((p) => (p.type === 'localImage' ? [p.path] : [])),
    text_elements: elements,
  };
};

/** The live `userMessage` item: the input as the client sent it, `text_elements` defaulted to `[]`. */
export const userMessageItem = (id: string, input: readonly UserInput[]): ThreadItem => ({
  type: 'userMessage',
  id,
  content: input.map((part) => (part.type === 'text' ? { ...part, text_elements: part.text_elements ?? [] } : part)),
});
