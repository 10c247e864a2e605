// `model/list`, `collaborationMode/list`, `experimentalFeature/list` and the test-only
// `mock/experimentalMethod` (SPEC §8, §3).

import * as t from 'io-ts';
import { uint32 } from '../codec.js';
import { InputModality, ModeKind, ReasoningEffort } from './common.js';

/**
 * Params of `collaborationMode/list`.
 *
 * EXPERIMENTAL - list collaboration mode presets.
 */
export const CollaborationModeListParams = t.type({}, 'CollaborationModeListParams');
export type CollaborationModeListParams = t.TypeOf<typeof CollaborationModeListParams>;

/** A mask for collaboration mode settings, allowing partial updates. All fields except `name` are optional, enabling selective updates. */
export const CollaborationModeMask = t.intersection([
  t.type({
    name: t.string,
  }),
  t.partial({
    developer_instructions: t.union([t.string, t.null]),
    mode: t.union([ModeKind, t.null]),
    model: t.union([t.string, t.null]),
    reasoning_effort: t.union([t.union([ReasoningEffort, t.null]), t.null]),
  }),
], 'CollaborationModeMask');
export type CollaborationModeMask = t.TypeOf<typeof CollaborationModeMask>;

/**
 * Result of `collaborationMode/list`.
 *
 * EXPERIMENTAL - collaboration mode presets response.
 */
export const CollaborationModeListResponse = t.type({
  data: t.array(CollaborationModeMask),
}, 'CollaborationModeListResponse');
export type CollaborationModeListResponse = t.TypeOf<typeof CollaborationModeListResponse>;

/** Lifecycle stage of a feature flag. */
export const ExperimentalFeatureStage = t.union([
  /** Feature is available for user testing and feedback. */
  t.literal('beta'),
  /** Feature is still being built and not ready for broad use. */
  t.literal('underDevelopment'),
  /** Feature is production-ready. */
  t.literal('stable'),
  /** Feature is deprecated and should be avoided. */
  t.literal('deprecated'),
  /** Feature flag is retained only for backwards compatibility. */
  t.literal('removed'),
], 'ExperimentalFeatureStage');
export type ExperimentalFeatureStage = t.TypeOf<typeof ExperimentalFeatureStage>;

/** A feature flag as listed by `experimentalFeature/list`. */
export const ExperimentalFeature = t.intersection([
  t.type({
    /** Whether this feature is enabled by default. */
    defaultEnabled: t.boolean,
    /** Whether this feature is currently enabled in the loaded config. */
    enabled: t.boolean,
    /** Stable key used in config.toml and CLI flag toggles. */
    name: t.string,
    /** Lifecycle stage of this feature flag. */
    stage: ExperimentalFeatureStage,
  }),
  t.partial({
    /** Announcement copy shown to users when the feature is introduced. Null when this feature is not in beta. */
    announcement: t.union([t.string, t.null]),
    /** Short summary describing what the feature does. Null when this feature is not in beta. */
    description: t.union([t.string, t.null]),
    /** User-facing display name shown in the experimental features UI. Null when this feature is not in beta. */
    displayName: t.union([t.string, t.null]),
  }),
], 'ExperimentalFeature');
export type ExperimentalFeature = t.TypeOf<typeof ExperimentalFeature>;

/** Params of `experimentalFeature/list`. */
export const ExperimentalFeatureListParams = t.partial({
  /** Opaque pagination cursor returned by a previous call. */
  cursor: t.union([t.string, t.null]),
  /** Optional page size; defaults to a reasonable server-side value. */
  limit: t.union([uint32, t.null]),
}, 'ExperimentalFeatureListParams');
export type ExperimentalFeatureListParams = t.TypeOf<typeof ExperimentalFeatureListParams>;

/** Result of `experimentalFeature/list`. */
export const ExperimentalFeatureListResponse = t.intersection([
  t.type({
    data: t.array(ExperimentalFeature),
  }),
  t.partial({
    /** Opaque cursor to pass to the next call to continue after the last item. If None, there are no more items to return. */
    nextCursor: t.union([t.string, t.null]),
  }),
], 'ExperimentalFeatureListResponse');
export type ExperimentalFeatureListResponse = t.TypeOf<typeof ExperimentalFeatureListResponse>;

/** Params of `mock/experimentalMethod`. */
export const MockExperimentalMethodParams = t.partial({
  /** Test-only payload field. */
  value: t.union([t.string, t.null]),
}, 'MockExperimentalMethodParams');
export type MockExperimentalMethodParams = t.TypeOf<typeof MockExperimentalMethodParams>;

/** Result of `mock/experimentalMethod`. */
export const MockExperimentalMethodResponse = t.partial({
  /** Echoes the input `value`. */
  echoed: t.union([t.string, t.null]),
}, 'MockExperimentalMethodResponse');
export type MockExperimentalMethodResponse = t.TypeOf<typeof MockExperimentalMethodResponse>;

/** A reasoning effort a model supports, with its description. */
export const ReasoningEffortOption = t.type({
  description: t.string,
  reasoningEffort: ReasoningEffort,
}, 'ReasoningEffortOption');
export type ReasoningEffortOption = t.TypeOf<typeof ReasoningEffortOption>;

/** A model as listed by `model/list` (SPEC §8.1). */
export const Model = t.intersection([
  t.type({
    defaultReasoningEffort: ReasoningEffort,
    description: t.string,
    displayName: t.string,
    id: t.string,
    isDefault: t.boolean,
    model: t.string,
    supportedReasoningEfforts: t.array(ReasoningEffortOption),
  }),
  t.partial({
    inputModalities: t.array(InputModality),
    supportsPersonality: t.boolean,
    upgrade: t.union([t.string, t.null]),
  }),
], 'Model');
export type Model = t.TypeOf<typeof Model>;

/** Params of `model/list`. */
export const ModelListParams = t.partial({
  /** Opaque pagination cursor returned by a previous call. */
  cursor: t.union([t.string, t.null]),
  /** Optional page size; defaults to a reasonable server-side value. */
  limit: t.union([uint32, t.null]),
}, 'ModelListParams');
export type ModelListParams = t.TypeOf<typeof ModelListParams>;

/** Result of `model/list`. */
export const ModelListResponse = t.intersection([
  t.type({
    data: t.array(Model),
  }),
  t.partial({
    /** Opaque cursor to pass to the next call to continue after the last item. If None, there are no more items to return. */
    nextCursor: t.union([t.string, t.null]),
  }),
], 'ModelListResponse');
export type ModelListResponse = t.TypeOf<typeof ModelListResponse>;
