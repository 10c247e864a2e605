import { expect } from 'chai';
import { RpcError } from '../../../lib/server/rpcError.js';
import {
  autoCompactTokenLimit,
  bundledCatalog,
  ModelCatalog,
  modelInfo,
  pageModels,
  supportsPersonality,
} from '../../../lib/model/modelCatalog.js';
import type { Model } from '../../../lib/protocol/v2/model.js';
import { referenceValidator } from '../../support/schemaValidator.js';

const ids = (models: readonly Model[]): string[] => models.map((m) => m.id);

describe('model catalog', () => {
  describe('pickerModels', () => {
    it('lists the bundled picker models in priority order, the first one as default', () => {
      const models = bundledCatalog.pickerModels('apikey');
      expect(ids(models)).to.deep.equal(['gpt-5.2-codex', 'gpt-5.1-codex-max', 'gpt-5.2', 'gpt-5.1-codex-mini']);
      expect(models.map((m) => m.isDefault)).to.deep.equal([true, false, false, false]);
    });

    it('produces wire models that validate against the reference schema', () => {
      const validate = referenceValidator('Model');
      for (const model of bundledCatalog.pickerModels(null)) expect(validate(model), JSON.stringify(validate.errors)).to.equal(true);
    });

    it('carries upgrade, efforts, modalities and personality support', () => {
      const [codex] = bundledCatalog.pickerModels(null);
      expect(codex).to.include({ id: 'gpt-5.2-codex', model: 'gpt-5.2-codex', upgrade: 'gpt-5.3-codex', defaultReasoningEffort: 'medium', supportsPersonality: true });
      expect(codex!.inputModalities).to.deep.equal(['text', 'image']);
      expect(codex!.supportedReasoningEfforts.map((e) => e.reasoningEffort)).to.deep.equal(['low', 'medium', 'high', 'xhigh']);
    });

    it('keeps models not supported in the API only in ChatGPT auth modes', () => {
      const catalog = ModelCatalog.withConfig({ 'gpt-5.2-codex': { supported_in_api: false } });
      expect(ids(catalog.pickerModels('apikey'))[0]).to.equal('gpt-5.1-codex-max');
      expect(catalog.pickerModels('apikey')[0]!.isDefault).to.equal(true);
      expect(ids(catalog.pickerModels('chatgpt'))[0]).to.equal('gpt-5.2-codex');
      expect(ids(catalog.pickerModels('chatgptAuthTokens'))[0]).to.equal('gpt-5.2-codex');
    });
  });

  describe('withConfig', () => {
    it('overlays the fields a [models] table sets on a bundled entry', () => {
      const catalog = ModelCatalog.withConfig({ 'gpt-5.2': { description: 'Mine', context_window: 128000 } });
      const info = catalog.lookup('gpt-5.2');
      expect(info).to.include({ description: 'Mine', context_window: 128000, priority: 4, visibility: 'list' });
    });

    it('adds a model of its own, listed after the bundled ones, with defaults for what it leaves out', () => {
      const catalog = ModelCatalog.withConfig({ 'local-coder': { display_name: 'Local coder', input_modalities: ['text'] } });
      const models = catalog.pickerModels('apikey');
      expect(ids(models).at(-1)).to.equal('local-coder');
      expect(models.at(-1)).to.deep.include({ displayName: 'Local coder', inputModalities: ['text'], defaultReasoningEffort: 'none', supportsPersonality: false, upgrade: null });
    });

    it('skips a table that does not decode and keeps the rest', () => {
      const level = process.env.RXAGENT_LOG;
      process.env.RXAGENT_LOG = 'off'; // the expected warning would only clutter the test output
      const catalog = ModelCatalog.withConfig({ broken: { context_window: 'big' }, fine: { description: 'ok' } });
      if (level === undefined) delete process.env.RXAGENT_LOG;
      else process.env.RXAGENT_LOG = level;
      expect(ids(catalog.pickerModels(null))).to.include('fine').and.not.include('broken');
    });
  });

  describe('lookup / modelInfo', () => {
    it('uses the entry with the longest slug that prefixes the name, renamed to it', () => {
      const info = modelInfo('gpt-5.2-codex-preview');
      expect(info.slug).to.equal('gpt-5.2-codex-preview');
      expect(info.supported_reasoning_levels.map((l) => l.effort)).to.deep.equal(['low', 'medium', 'high', 'xhigh']);
      expect(supportsPersonality(info)).to.equal(true);
      expect(modelInfo('gpt-5.2-mini').truncation_policy).to.deep.equal({ mode: 'bytes', limit: 10000 });
    });

    it('gives fallback metadata for an unknown model (text and image, not listed, no websockets)', () => {
      const info = modelInfo('mock-model');
      expect(info).to.include({ slug: 'mock-model', visibility: 'none', context_window: 272000, prefer_websockets: false, supports_parallel_tool_calls: false });
      expect(info.input_modalities).to.deep.equal(['text', 'image']);
      expect(info.default_reasoning_level).to.equal(null);
    });
  });

  describe('derived values', () => {
    it('auto-compacts at the smaller of the configured limit and 90% of the context window', () => {
      expect(autoCompactTokenLimit(modelInfo('gpt-5.2-codex'))).to.equal(244800);
      const catalog = ModelCatalog.withConfig({ small: { context_window: 100000, auto_compact_token_limit: 50000 }, big: { auto_compact_token_limit: 900000 } });
      expect(autoCompactTokenLimit(catalog.lookup('small'))).to.equal(50000);
      expect(autoCompactTokenLimit(catalog.lookup('big'))).to.equal(244800);
      expect(autoCompactTokenLimit(ModelCatalog.withConfig({ x: { context_window: null } }).lookup('x'))).to.equal(null);
    });

    it('supports personality only with the placeholder and all three personality texts', () => {
      const template = { instructions_template: 'A {{ personality }} B', instructions_variables: { personality_default: 'd', personality_friendly: 'f', personality_pragmatic: 'p' } };
      const catalog = ModelCatalog.withConfig({
        full: { model_messages: template },
        partial: { model_messages: { ...template, instructions_variables: { personality_default: 'd' } } },
        noPlaceholder: { model_messages: { ...template, instructions_template: 'no placeholder' } },
      });
      expect(supportsPersonality(catalog.lookup('full'))).to.equal(true);
      expect(supportsPersonality(catalog.lookup('partial'))).to.equal(false);
      expect(supportsPersonality(catalog.lookup('noPlaceholder'))).to.equal(false);
    });
  });

  describe('pageModels', () => {
    const models = bundledCatalog.pickerModels(null);

    it('returns everything without a limit', () => {
      expect(pageModels(models, {})).to.deep.equal({ data: models, nextCursor: null });
    });

    it('walks the list with limit and cursor', () => {
      const first = pageModels(models, { limit: 3 });
      expect(ids(first.data)).to.deep.equal(ids(models.slice(0, 3)));
      expect(first.nextCursor).to.equal('3');
      const second = pageModels(models, { limit: 3, cursor: first.nextCursor });
      expect(ids(second.data)).to.deep.equal(ids(models.slice(3)));
      expect(second.nextCursor).to.equal(null);
    });

    it('treats limit 0 as 1 and a cursor at the end as an empty page', () => {
      expect(pageModels(models, { limit: 0 }).data).to.have.length(1);
      expect(pageModels(models, { cursor: String(models.length) })).to.deep.equal({ data: [], nextCursor: null });
    });

    it('rejects a cursor that is not a start index, or past the end', () => {
      const fail = (cursor: string): RpcError => {
        try {
          pageModels(models, { cursor });
        } catch (err) {
          return err as RpcError;
        }
        throw new Error('expected an error');
      };
      expect(fail('abc').toObject()).to.deep.equal({ code: -32600, message: 'invalid cursor: abc', data: { kind: 'invalidCursor' } });
      expect(fail('-1').message).to.equal('invalid cursor: -1');
      expect(fail('9').toObject()).to.deep.equal({ code: -32600, message: 'cursor 9 exceeds total models 4', data: { kind: 'invalidCursor' } });
    });
  });
});
