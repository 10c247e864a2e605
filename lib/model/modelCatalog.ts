import * as t from 'io-ts';
import { int32, uint } from '../protocol/codec.js';
import { decodeAt } from '../protocol/decode.js';
import { log } from '../log.js';
import { InputModality, ReasoningEffort, type AuthMode } from '../protocol/v2/common.js';
import type { Model, ModelListParams, ModelListResponse } from '../protocol/v2/model.js';
import { indexPage } from '../server/indexPage.js';
import { BUNDLED_MODELS, FALLBACK_BASE_INSTRUCTIONS } from './catalogData.js';

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

const ReasoningLevel = t.type({ effort: ReasoningEffort, description: t.string }, 'ReasoningLevel');
const Verbosity = t.keyof({ low: null, medium: null, high: null }, 'Verbosity');

/**
 * The fields of a catalog entry (SPEC §8.2), snake_case as in the reference's `models.json`,
 * `models_cache.json` and the remote catalog. All optional: a `[models.<slug>]` config table
 * overlays only what it sets.
 */
export const ModelInfoFields = t.partial(
  {
    display_name: t.string,
    description: t.string,
    default_reasoning_level: nullable(ReasoningEffort),
    supported_reasoning_levels: t.array(ReasoningLevel),
    shell_type: t.keyof({ default: null, local: null, unified_exec: null, disabled: null, shell_command: null }),
    visibility: t.keyof({ list: null, hide: null, none: null }),
    supported_in_api: t.boolean,
    priority: int32,
    upgrade: nullable(t.type({ model: t.string, migration_markdown: nullable(t.string) })),
    base_instructions: t.string,
    model_messages: nullable(
      t.type({
        instructions_template: t.string,
        instructions_variables: t.partial({
          personality_default: nullable(t.string),
          personality_friendly: nullable(t.string),
          personality_pragmatic: nullable(t.string),
        }),
      }),
    ),
    supports_reasoning_summaries: t.boolean,
    support_verbosity: t.boolean,
    default_verbosity: nullable(Verbosity),
    apply_patch_tool_type: nullable(t.keyof({ freeform: null, function: null })),
    truncation_policy: t.type({ mode: t.keyof({ bytes: null, tokens: null }), limit: uint }),
    supports_parallel_tool_calls: t.boolean,
    context_window: nullable(uint),
    auto_compact_token_limit: nullable(uint),
    effective_context_window_percent: uint,
    experimental_supported_tools: t.array(t.string),
    input_modalities: t.array(InputModality),
    prefer_websockets: t.boolean,
  },
  'ModelInfoFields',
);
export type ModelInfoFields = t.TypeOf<typeof ModelInfoFields>;

/** A complete catalog entry (SPEC §8.2): every field present, defaults applied. */
export type ModelInfo = { readonly slug: string } & Required<ModelInfoFields>;

/** Metadata for a model the catalog does not know (the reference's fallback, SPEC §8.2). */
const fallbackInfo = (slug: string): ModelInfo => ({
  slug,
  display_name: slug,
  description: '',
  default_reasoning_level: null,
  supported_reasoning_levels: [],
  shell_type: 'default',
  visibility: 'none',
  supported_in_api: true,
  priority: 99,
  upgrade: null,
  base_instructions: FALLBACK_BASE_INSTRUCTIONS,
  model_messages: null,
  supports_reasoning_summaries: false,
  support_verbosity: false,
  default_verbosity: null,
  apply_patch_tool_type: null,
  truncation_policy: { mode: 'bytes', limit: 10_000 },
  supports_parallel_tool_calls: false,
  context_window: 272_000,
  auto_compact_token_limit: null,
  effective_context_window_percent: 95,
  experimental_supported_tools: [],
  input_modalities: ['text', 'image'],
  prefer_websockets: false,
});

/** Where a model added only through config sorts: after the bundled ones. */
const CONFIG_MODEL_PRIORITY = 100;

/**
 * Whether a model supports personalities: its instructions template has the `{{ personality }}`
 * placeholder and all three personality texts are set (SPEC §8.2).
 */
export const supportsPersonality = (info: ModelInfo): boolean => {
  const messages = info.model_messages;
  if (!messages || !messages.instructions_template.includes('{{ personality }}')) return false;
  const vars = messages.instructions_variables;
  return [vars.personality_default, vars.personality_friendly, vars.personality_pragmatic].every((v) => typeof v === 'string');
};

/**
 * The token count at which a thread is compacted automatically: the smaller of the configured
 * limit and 90 % of the context window, whichever exist (SPEC §8.2).
 *
 * @example
 * autoCompactTokenLimit(modelInfo('gpt-5.2-codex')); // 244800
 */
export const autoCompactTokenLimit = (info: ModelInfo): number | null => {
  const fromWindow = info.context_window === null ? null : Math.floor((info.context_window * 9) / 10);
  const limits = [info.auto_compact_token_limit, fromWindow].filter((n): n is number => n !== null);
  return limits.length === 0 ? null : Math.min(...limits);
};

/** Whether a model takes image inputs (a missing `input_modalities` means text and image). */
export const acceptsImages = (info: ModelInfo): boolean => info.input_modalities.includes('image');

/** The wire `Model` of a catalog entry (SPEC §8.1). */
export const toWireModel = (info: ModelInfo, isDefault: boolean): Model => ({
  id: info.slug,
  model: info.slug,
  upgrade: info.upgrade?.model ?? null,
  displayName: info.display_name,
  description: info.description,
  supportedReasoningEfforts: info.supported_reasoning_levels.map((level) => ({ reasoningEffort: level.effort, description: level.description })),
  defaultReasoningEffort: info.default_reasoning_level ?? 'none',
  inputModalities: [...info.input_modalities],
  supportsPersonality: supportsPersonality(info),
  isDefault,
});

const isChatgptMode = (mode: AuthMode | null): boolean => mode === 'chatgpt' || mode === 'chatgptAuthTokens';

/**
 * The models rxagent knows: the bundled catalog overlaid by `[models.<slug>]` config tables,
 * sorted by priority.
 *
 * @example
 * const catalog = ModelCatalog.withConfig(modelEntries(config));
 * catalog.lookup('gpt-5.2-codex-preview').context_window; // 272000 (from gpt-5.2-codex)
 * catalog.pickerModels('apikey').map((m) => m.id);        // ['gpt-5.2-codex', …]
 */
export class ModelCatalog {
  readonly entries: readonly ModelInfo[];

  constructor(entries: readonly ModelInfo[]) {
    this.entries = [...entries].sort((a, b) => a.priority - b.priority);
  }

  /**
   * The bundled catalog with config entries applied: a table for a known slug overrides the fields
   * it sets; one for a new slug adds a model (listed, after the bundled ones, fallback metadata for
   * what it leaves out). A table that does not decode is skipped with a warning naming the field.
   */
  static withConfig(tables: Readonly<Record<string, unknown>>): ModelCatalog {
    const bySlug = new Map(BUNDLED_MODELS.map((info) => [info.slug, info]));
    for (const [slug, value] of Object.entries(tables)) {
      const decoded = decodeAt(ModelInfoFields, value, `models.${slug}`);
      if (decoded._tag === 'Left') {
        log.warn('ignoring a [models] entry of config.toml', { reason: decoded.left });
        continue;
      }
      const base = bySlug.get(slug) ?? { ...fallbackInfo(slug), visibility: 'list' as const, priority: CONFIG_MODEL_PRIORITY };
      bySlug.set(slug, { ...base, ...stripUndefined(decoded.right), slug });
    }
    return new ModelCatalog([...bySlug.values()]);
  }

  /**
   * The entry for any model name: the entry with the longest slug that prefixes it (renamed to
   * the requested name), else fallback metadata (SPEC §8.2).
   */
  lookup(model: string): ModelInfo {
    let best: ModelInfo | undefined;
    for (const info of this.entries) {
      if (model.startsWith(info.slug) && (!best || info.slug.length > best.slug.length)) best = info;
    }
    return best ? { ...best, slug: model } : fallbackInfo(model);
  }

  /**
   * What `model/list` offers (SPEC §8.1): outside ChatGPT auth only models supported in the API;
   * the first listed model is the default (else the first one); hidden models are left out.
   */
  pickerModels(authMode: AuthMode | null): Model[] {
    const usable = this.entries.filter((info) => isChatgptMode(authMode) || info.supported_in_api);
    const defaultIndex = Math.max(0, usable.findIndex((info) => info.visibility === 'list'));
    return usable.flatMap((info, i) => (info.visibility === 'list' ? [toWireModel(info, i === defaultIndex)] : []));
  }
}

const stripUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The catalog rxagent ships, without config entries. */
export const bundledCatalog = new ModelCatalog(BUNDLED_MODELS);

/**
 * Catalog metadata for a model name (see `ModelCatalog.lookup`), from the bundled catalog unless
 * another catalog is given.
 *
 * @example
 * modelInfo('gpt-5.1-codex-mini').supported_reasoning_levels.map((l) => l.effort); // ['medium', 'high']
 */
export const modelInfo = (model: string, catalog: ModelCatalog = bundledCatalog): ModelInfo => catalog.lookup(model);

/**
 * One page of `model/list` (SPEC §8.1): `cursor` is a start index (see {@link indexPage}).
 *
 * @example
 * pageModels(models, { limit: 2 });              // { data: [m0, m1], nextCursor: '2' }
 * pageModels(models, { cursor: '2', limit: 2 }); // { data: [m2, m3], nextCursor: null }
 */
export const pageModels = (models: readonly Model[], params: ModelListParams): ModelListResponse => indexPage(models, params, 'models');
