// Skills: listing, remote skills, enabling and disabling.

import * as t from 'io-ts';

/** A public remote skill, as listed by `skills/remote/read`. */
export const RemoteSkillSummary = t.type({
  description: t.string,
  id: t.string,
  name: t.string,
}, 'RemoteSkillSummary');
export type RemoteSkillSummary = t.TypeOf<typeof RemoteSkillSummary>;

/** A tool a skill depends on. */
export const SkillToolDependency = t.intersection([
  t.type({
    type: t.string,
    value: t.string,
  }),
  t.partial({
    command: t.union([t.string, t.null]),
    description: t.union([t.string, t.null]),
    transport: t.union([t.string, t.null]),
    url: t.union([t.string, t.null]),
  }),
], 'SkillToolDependency');
export type SkillToolDependency = t.TypeOf<typeof SkillToolDependency>;

/** What a skill needs to run. */
export const SkillDependencies = t.type({
  tools: t.array(SkillToolDependency),
}, 'SkillDependencies');
export type SkillDependencies = t.TypeOf<typeof SkillDependencies>;

/** A skill that failed to load, with the reason. */
export const SkillErrorInfo = t.type({
  message: t.string,
  path: t.string,
}, 'SkillErrorInfo');
export type SkillErrorInfo = t.TypeOf<typeof SkillErrorInfo>;

/** How a skill presents itself in a UI. */
export const SkillInterface = t.partial({
  brandColor: t.union([t.string, t.null]),
  defaultPrompt: t.union([t.string, t.null]),
  displayName: t.union([t.string, t.null]),
  iconLarge: t.union([t.string, t.null]),
  iconSmall: t.union([t.string, t.null]),
  shortDescription: t.union([t.string, t.null]),
}, 'SkillInterface');
export type SkillInterface = t.TypeOf<typeof SkillInterface>;

/** Where a skill was found. */
export const SkillScope = t.keyof({ user: null, repo: null, system: null, admin: null }, 'SkillScope');
export type SkillScope = t.TypeOf<typeof SkillScope>;

/** A skill as listed by `skills/list`. */
export const SkillMetadata = t.intersection([
  t.type({
    description: t.string,
    enabled: t.boolean,
    name: t.string,
    path: t.string,
    scope: SkillScope,
  }),
  t.partial({
    dependencies: t.union([SkillDependencies, t.null]),
    interface: t.union([SkillInterface, t.null]),
    /** Legacy short_description from SKILL.md. Prefer SKILL.json interface.short_description. */
    shortDescription: t.union([t.string, t.null]),
  }),
], 'SkillMetadata');
export type SkillMetadata = t.TypeOf<typeof SkillMetadata>;

/** Params of `skills/config/write`. */
export const SkillsConfigWriteParams = t.type({
  enabled: t.boolean,
  path: t.string,
}, 'SkillsConfigWriteParams');
export type SkillsConfigWriteParams = t.TypeOf<typeof SkillsConfigWriteParams>;

/** Result of `skills/config/write`. */
export const SkillsConfigWriteResponse = t.type({
  effectiveEnabled: t.boolean,
}, 'SkillsConfigWriteResponse');
export type SkillsConfigWriteResponse = t.TypeOf<typeof SkillsConfigWriteResponse>;

/** The skills and load errors of one working directory. */
export const SkillsListEntry = t.type({
  cwd: t.string,
  errors: t.array(SkillErrorInfo),
  skills: t.array(SkillMetadata),
}, 'SkillsListEntry');
export type SkillsListEntry = t.TypeOf<typeof SkillsListEntry>;

/** Extra user skill roots for one working directory. */
export const SkillsListExtraRootsForCwd = t.type({
  cwd: t.string,
  extraUserRoots: t.array(t.string),
}, 'SkillsListExtraRootsForCwd');
export type SkillsListExtraRootsForCwd = t.TypeOf<typeof SkillsListExtraRootsForCwd>;

/** Params of `skills/list`. */
export const SkillsListParams = t.partial({
  /** When empty, defaults to the current session working directory. */
  cwds: t.array(t.string),
  /** When true, bypass the skills cache and re-scan skills from disk. */
  forceReload: t.boolean,
  /** Optional per-cwd extra roots to scan as user-scoped skills. */
  perCwdExtraUserRoots: t.union([t.array(SkillsListExtraRootsForCwd), t.null]),
}, 'SkillsListParams');
export type SkillsListParams = t.TypeOf<typeof SkillsListParams>;

/** Result of `skills/list`. */
export const SkillsListResponse = t.type({
  data: t.array(SkillsListEntry),
}, 'SkillsListResponse');
export type SkillsListResponse = t.TypeOf<typeof SkillsListResponse>;

/** Params of `skills/remote/read`. */
export const SkillsRemoteReadParams = t.type({}, 'SkillsRemoteReadParams');
export type SkillsRemoteReadParams = t.TypeOf<typeof SkillsRemoteReadParams>;

/** Result of `skills/remote/read`. */
export const SkillsRemoteReadResponse = t.type({
  data: t.array(RemoteSkillSummary),
}, 'SkillsRemoteReadResponse');
export type SkillsRemoteReadResponse = t.TypeOf<typeof SkillsRemoteReadResponse>;

/** Params of `skills/remote/write`. */
export const SkillsRemoteWriteParams = t.type({
  hazelnutId: t.string,
  isPreload: t.boolean,
}, 'SkillsRemoteWriteParams');
export type SkillsRemoteWriteParams = t.TypeOf<typeof SkillsRemoteWriteParams>;

/** Result of `skills/remote/write`. */
export const SkillsRemoteWriteResponse = t.type({
  id: t.string,
  name: t.string,
  path: t.string,
}, 'SkillsRemoteWriteResponse');
export type SkillsRemoteWriteResponse = t.TypeOf<typeof SkillsRemoteWriteResponse>;
