import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { ToolCallItem, ToolContext, ToolResult } from '../toolRouter.js';
import { callIdOf, parseArguments, toolOutput } from './toolOutput.js';

/** The `view_image` function the model is offered (rxagent's own description). */
export const VIEW_IMAGE_SPEC = {
  type: 'function',
  name: 'view_image',
  description: 'Look at an image file from the workspace, such as a screenshot the user mentioned. Give its path.',
  strict: false,
  parameters: {
    type: 'object',
    properties: { path: { type: 'string', description: 'Path of the image file (absolute, or relative to the working directory)' } },
    required: ['path'],
    additionalProperties: false,
  },
};

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/**
 * `view_image`: reads the image and gives it to the model, reporting an `imageView` item
 * (started and completed back to back, SPEC §4.17). Refused for text-only models.
 */
export const runViewImage = async (call: ToolCallItem, ctx: ToolContext): Promise<ToolResult> => {
  const info = ctx.thread.catalog.lookup(ctx.thread.settings.model);
  if (!info.input_modalities.includes('image')) {
    return { output: toolOutput(call, 'view_image is not allowed because you do not support image inputs', false) };
  }
  const parsed = parseArguments(call);
  if (!parsed.ok) return { output: toolOutput(call, parsed.message, false) };
  if (typeof parsed.args.path !== 'string') return { output: toolOutput(call, 'failed to parse function arguments: `path` must be a string', false) };
  const path = resolve(ctx.thread.settings.cwd, parsed.args.path);
  const mime = MIME[extname(path).toLowerCase()];
  if (!mime) return { output: toolOutput(call, `unable to view ${path}: not a supported image type (png, jpeg, gif, webp)`, false) };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    return { output: toolOutput(call, `unable to read image at ${path}: ${(err as Error).message}`, false) };
  }
  const item = { type: 'imageView', id: callIdOf(call), path };
  ctx.notifyItem('item/started', item);
  ctx.notifyItem('item/completed', item);
  return { output: toolOutput(call, [{ type: 'input_image', image_url: `data:${mime};base64,${bytes.toString('base64')}` }], true) };
};
