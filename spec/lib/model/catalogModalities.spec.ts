import { expect } from 'chai';
import { rejectUnsupportedImages, unsupportedImagesError } from '../../../lib/model/catalogModalities.js';
import { ModelCatalog, modelInfo } from '../../../lib/model/modelCatalog.js';
import type { UserInput } from '../../../lib/protocol/v2/userInput.js';

const catalog = ModelCatalog.withConfig({ 'text-only': { input_modalities: ['text'] } });
const text: UserInput = { type: 'text', text: 'describe this', text_elements: [] };
const image: UserInput = { type: 'image', url: 'https://example.com/a.png' };
const localImage: UserInput = { type: 'localImage', path: '/tmp/a.png' };

describe('rejectUnsupportedImages', () => {
  it('rejects image inputs for a text-only model with -32602 unsupportedInputModality naming the model', () => {
    const error = unsupportedImagesError(catalog.lookup('text-only'), [text, image, localImage]);
    expect(error?.toObject()).to.deep.equal({
      code: -32602,
      message:
        'model "text-only" does not accept image input (it takes: text); remove the 2 image items or choose a model whose inputModalities include "image"',
      data: { kind: 'unsupportedInputModality', model: 'text-only' },
    });
    expect(() => rejectUnsupportedImages(catalog.lookup('text-only'), [localImage])).to.throw('model "text-only" does not accept image input');
  });

  it('accepts text-only input for a text-only model', () => {
    expect(unsupportedImagesError(catalog.lookup('text-only'), [text])).to.equal(undefined);
    expect(() => rejectUnsupportedImages(catalog.lookup('text-only'), [])).not.to.throw();
  });

  it('accepts images for models that take them, including unknown models (text and image by default)', () => {
    expect(unsupportedImagesError(modelInfo('gpt-5.2-codex'), [image, localImage])).to.equal(undefined);
    expect(unsupportedImagesError('some-future-model', [image])).to.equal(undefined);
  });

  it('looks a model name up in the bundled catalog', () => {
    expect(() => rejectUnsupportedImages('gpt-5.1-codex-mini', [image])).not.to.throw();
  });
});
