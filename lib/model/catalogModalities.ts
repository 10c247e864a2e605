import type { UserInput } from '../protocol/v2/userInput.js';
import { RpcError, ErrorCode } from '../server/rpcError.js';
import { acceptsImages, modelInfo, type ModelInfo } from './modelCatalog.js';

/**
 * The error for image inputs sent to a model that takes only text (SPEC §I.2: rxagent rejects
 * them before the turn starts, where the reference silently swaps them for a placeholder):
 * `-32602`, kind `unsupportedInputModality`, naming the model; `undefined` when the input is fine.
 *
 * @example
 * unsupportedImagesError(modelInfo('text-only'), [{ type: 'localImage', path: '/tmp/a.png' }])?.message;
 * // 'model "text-only" does not accept image input (it takes: text); remove the 1 image item …'
 */
export const unsupportedImagesError = (model: ModelInfo | string, input: readonly UserInput[]): RpcError | undefined => {
  const info = typeof model === 'string' ? modelInfo(model) : model;
  if (acceptsImages(info)) return undefined;
  const images = input.filter((item) => item.type === 'image' || item.type === 'localImage').length;
  if (images === 0) return undefined;
  return new RpcError(
    ErrorCode.invalidParams,
    `model ${JSON.stringify(info.slug)} does not accept image input (it takes: ${info.input_modalities.join(', ') || 'nothing'}); ` +
      `remove the ${images} image item${images === 1 ? '' : 's'} or choose a model whose inputModalities include "image"`,
    'unsupportedInputModality',
    { model: info.slug },
  );
};

/**
 * Throws `unsupportedImagesError`'s error, if any; the turn engine calls it before starting a turn.
 *
 * @example
 * rejectUnsupportedImages(catalog.lookup(turnModel), params.input);
 */
export const rejectUnsupportedImages = (model: ModelInfo | string, input: readonly UserInput[]): void => {
  const error = unsupportedImagesError(model, input);
  if (error) throw error;
};
