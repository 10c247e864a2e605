import { readFile, rm } from 'node:fs/promises';
import { bufferCount, first, lastValueFrom, map, mergeMap } from 'rxjs';
import type { ConfigOverride } from '../config/cliOverrides.js';
import { ConfigLoadError } from '../config/configError.js';
import { configSettings, type ConfigSettings } from '../config/configSettings.js';
import { effectiveConfig } from '../config/effectiveConfig.js';
import { agentsInstructions, initialContext } from '../instructions/initialContext.js';
import { modelInstructions } from '../instructions/baseInstructions.js';
import { ModelCatalog } from '../model/modelCatalog.js';
import { defaultProviderWhenUnconfigured } from '../model/replay/offlineDefault.js';
import type { DynamicToolSpec, ResponseItem } from '../protocol/index.js';
import { lines } from '../rollout/lines.js';
import { readRollout, readRolloutAt } from '../rollout/rolloutReader.js';
import { RolloutWriter, type RolloutWritten } from '../rollout/rolloutWriter.js';
import type { SessionMeta } from '../rollout/sessionMeta.js';
import { rpcError } from '../server/rpcError.js';
import { VERSION } from '../version.js';
import { initialHistory } from '../../reducers/historyReducer.js';
import { initialRolloutState } from '../../reducers/rolloutReducer.js';
import { loadRollout } from '../../streams/replay.js';
import { collectGitInfo } from './gitInfo.js';
import { LiveThread } from './liveThread.js';
import { newRolloutPath } from './rolloutLocation.js';
import { resolveSessionSettings, typedConfigOverrides, type SessionSettings, type TypedOverrides } from './sessionSettings.js';
import type { World } from './world.js';

/** What creating, resuming or forking a thread needs from the server. */
export interface ThreadFactoryDeps {
  readonly codexHome: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cliOverrides: readonly ConfigOverride[];
  readonly originator: string;
  readonly world: World;
  readonly onRolloutWritten?: RolloutWritten;
}

/** What a thread/start, resume or fork request asks for, beyond where the history comes from. */
export interface SessionRequest {
  readonly cwd?: string | null;
  readonly config?: Readonly<Record<string, unknown>> | null;
  readonly overrides: TypedOverrides;
}

/** A resolved session: its settings, the typed config and the model catalog it was resolved with. */
export interface ResolvedSession {
  readonly settings: SessionSettings;
  readonly config: ConfigSettings;
  readonly catalog: ModelCatalog;
}

const modelEntries = (config: Record<string, unknown>): Record<string, unknown> =>
  typeof config.models === 'object' && config.models !== null && !Array.isArray(config.models) ? (config.models as Record<string, unknown>) : {};

/**
 * The effective config for a session (SPEC §10.1: layers for `cwd`, then `-c` flags, the request's
 * `config` map and its typed fields) turned into settings. A bad config is the request's fault:
 * `-32600 error deriving config: …`.
 */
export const resolveSession = async (deps: ThreadFactoryDeps, request: SessionRequest, fallbackCwd: string): Promise<ResolvedSession> => {
  const cwd = request.cwd ?? fallbackCwd;
  try {
    const effective = await effectiveConfig({
      codexHome: deps.codexHome,
      cwd,
      cliOverrides: deps.cliOverrides,
      env: deps.env,
      ...(request.config ? { requestConfig: request.config } : {}),
      typedOverrides: typedConfigOverrides(request.overrides),
    });
    const catalog = ModelCatalog.withConfig(modelEntries(effective.config));
    const config = defaultProviderWhenUnconfigured(configSettings(effective), { effective, catalog, codexHome: deps.codexHome, env: deps.env });
    const defaultModel = catalog.pickerModels(null).find((m) => m.isDefault)?.model ?? catalog.entries[0]!.slug;
    const resolved = resolveSessionSettings(config, cwd, request.overrides.baseInstructions ?? null, {
      defaultModel,
      defaultReasoningEffort: (model) => catalog.lookup(model).default_reasoning_level,
    });
    // AGENTS.md is read once, here: the initial context and every turn_context use this text.
    const userInstructions = (await agentsInstructions(deps.codexHome, cwd)) ?? null;
    return { settings: { ...resolved, userInstructions }, config, catalog };
  } catch (err) {
    if (err instanceof ConfigLoadError) throw rpcError.invalidRequest(`error deriving config: ${err.message}`, 'invalidConfig');
    throw err;
  }
};

/** Base instructions for a new session (SPEC §10.6): the request's, the configured file, else the model's. */
const baseInstructionsFor = async (session: ResolvedSession): Promise<string> => {
  if (session.settings.baseInstructions) return session.settings.baseInstructions;
  if (session.config.modelInstructionsFile) {
    try {
      return await readFile(session.config.modelInstructionsFile, 'utf8');
    } catch (err) {
      throw rpcError.invalidRequest(`error deriving config: cannot read model_instructions_file: ${(err as Error).message}`, 'invalidConfig');
    }
  }
  return modelInstructions(session.catalog.lookup(session.settings.model), session.settings.personality);
};

/** The initial context items of a session (SPEC §6.4). */
export const sessionInitialContext = (deps: ThreadFactoryDeps, settings: SessionSettings): ResponseItem[] =>
  initialContext({
    cwd: settings.cwd,
    sandbox: settings.sandboxPolicy,
    approval: settings.approvalPolicy,
    developerInstructions: settings.developerInstructions,
    userInstructions: settings.userInstructions ?? undefined,
    shell: (deps.env.SHELL ?? '/bin/bash').split('/').pop() || 'bash',
  });

const metaPayload = async (
  deps: ThreadFactoryDeps,
  id: string,
  at: Date,
  settings: SessionSettings,
  baseInstructions: string,
  dynamicTools: readonly DynamicToolSpec[],
  forkedFrom?: string,
): Promise<SessionMeta> => {
  const git = await collectGitInfo(settings.cwd);
  return {
    id,
    ...(forkedFrom ? { forked_from_id: forkedFrom } : {}),
    timestamp: at.toISOString(),
    cwd: settings.cwd,
    originator: deps.originator,
    cli_version: VERSION,
    source: 'vscode',
    model_provider: settings.modelProvider,
    base_instructions: { text: baseInstructions },
    ...(dynamicTools.length > 0 ? { dynamic_tools: dynamicTools.map((t) => ({ ...t })) } : {}),
    ...(git ? { git } : {}),
  };
};

/**
 * A new thread (thread/start): settings resolved, `session_meta` and the initial context buffered
 * in a rollout that is created at the first user message (SPEC §6.2), or no rollout at all when
 * ephemeral.
 */
export const startThread = async (
  deps: ThreadFactoryDeps,
  session: ResolvedSession,
  options: { readonly ephemeral: boolean; readonly dynamicTools: readonly DynamicToolSpec[] },
): Promise<LiveThread> => {
  const id = deps.world.newId();
  const now = deps.world.now();
  const settings = { ...session.settings, baseInstructions: await baseInstructionsFor(session) };
  const writer = options.ephemeral ? null : RolloutWriter.create(newRolloutPath(deps.codexHome, id, now), deps.onRolloutWritten);
  const context = sessionInitialContext(deps, settings);
  const meta = await metaPayload(deps, id, now, settings, settings.baseInstructions, options.dynamicTools);
  const thread = new LiveThread({
    id,
    createdAt: now,
    writer,
    state: initialRolloutState(initialHistory(context)),
    settings,
    config: session.config,
    catalog: session.catalog,
    dynamicTools: options.dynamicTools,
  });
  await thread.persist([lines.sessionMeta(meta, now), ...context.map((item) => lines.responseItem(item, now))]);
  return thread;
};

/** The first `session_meta` of a rollout; reading stops there. Quiet: the copy that follows reports bad lines. */
const firstSessionMeta = (path: string): Promise<SessionMeta | undefined> =>
  lastValueFrom(
    readRollout(path, { warn: () => undefined }).pipe(
      first((line) => line.type === 'session_meta', undefined),
      map((line) => line?.payload as SessionMeta | undefined),
    ),
  );

/**
 * Appends every readable line of `source` to `writer` as it is in the file (the reference copies
 * what it can parse and skips the rest, as this does), a batch at a time as the file is read.
 * Writing costs less than parsing, so the writer's group commit keeps up and a long source is not
 * held whole (a 117 MB copy peaks at ~200 MB RSS, bench/README.md).
 */
const copyLines = (source: string, writer: RolloutWriter): Promise<void> =>
  lastValueFrom(readRolloutAt(source).pipe(bufferCount(512), mergeMap((batch) => writer.appendVerbatim(batch))), { defaultValue: undefined });

/**
 * A thread resumed from its rollout (thread/resume): same id, the file reopened for appends, the
 * state folded from it. Base instructions and dynamic tools come from the stored `session_meta`
 * unless overridden; the cwd falls back to the meta's (SPEC §4.3).
 */
export const resumeThread = async (deps: ThreadFactoryDeps, path: string, request: SessionRequest): Promise<LiveThread> => {
  const state = await lastValueFrom(loadRollout(path)).catch((err: unknown) => {
    throw rpcError.invalidRequest(`failed to load rollout \`${path}\`: ${(err as Error).message}`, 'rolloutLoadFailed');
  });
  const meta = state.thread.sessionMeta!;
  const session = await resolveSession(deps, request, meta.cwd);
  const settings: SessionSettings = {
    ...session.settings,
    baseInstructions: session.settings.baseInstructions ?? meta.base_instructions?.text ?? (await baseInstructionsFor(session)),
  };
  const context = sessionInitialContext(deps, settings);
  const thread = new LiveThread({
    id: meta.id,
    createdAt: new Date(meta.timestamp),
    writer: RolloutWriter.resume(path, deps.onRolloutWritten),
    state: { ...state, history: { ...state.history, initialContext: context } },
    settings,
    config: session.config,
    catalog: session.catalog,
    dynamicTools: (meta.dynamic_tools ?? []) as DynamicToolSpec[],
  });
  thread.pendingInitialContext = context;
  return thread;
};

/**
 * A fork (thread/fork): a new id whose rollout starts with its own `session_meta`
 * (`forked_from_id` = the source's first meta id), then every line of the source verbatim, then
 * the new session's initial context; written at once (SPEC §4.4). The source is streamed into
 * the new file, and the fork's state is then loaded from that file as a resume would load it,
 * so forking a long thread costs what resuming it costs, not a copy of it in memory.
 */
export const forkThread = async (deps: ThreadFactoryDeps, sourcePath: string, request: SessionRequest): Promise<LiveThread> => {
  const loadFailed = (err: unknown) => rpcError.invalidRequest(`failed to load rollout \`${sourcePath}\`: ${(err as Error).message}`, 'rolloutLoadFailed');
  const sourceMeta = await firstSessionMeta(sourcePath).catch((err: unknown) => {
    throw loadFailed(err);
  });
  if (!sourceMeta) {
    throw rpcError.invalidRequest(`failed to load rollout \`${sourcePath}\`: failed to parse thread ID from rollout file`, 'rolloutLoadFailed');
  }
  const session = await resolveSession(deps, request, sourceMeta.cwd);
  const settings: SessionSettings = {
    ...session.settings,
    baseInstructions: session.settings.baseInstructions ?? sourceMeta.base_instructions?.text ?? (await baseInstructionsFor(session)),
  };
  const dynamicTools = (sourceMeta.dynamic_tools ?? []) as DynamicToolSpec[];
  const id = deps.world.newId();
  const now = deps.world.now();
  const context = sessionInitialContext(deps, settings);
  const meta = await metaPayload(deps, id, now, settings, settings.baseInstructions!, dynamicTools, sourceMeta.id);
  return writeNewThread(deps, { id, now, meta, context, settings, session, dynamicTools, fill: (writer) => copyLines(sourcePath, writer) }).catch((err: unknown) => {
    throw loadFailed(err);
  });
};

/**
 * A thread from a history given as items (`thread/resume` with `history`, SPEC §4.3): like a fork
 * of those items — a new id, a `session_meta` of its own (no `forked_from_id`), the items, then the
 * session's initial context, written at once. The cwd falls back to the server's.
 */
export const historyThread = async (deps: ThreadFactoryDeps, history: readonly ResponseItem[], request: SessionRequest): Promise<LiveThread> => {
  const session = await resolveSession(deps, request, process.cwd());
  const settings = { ...session.settings, baseInstructions: await baseInstructionsFor(session) };
  const id = deps.world.newId();
  const now = deps.world.now();
  const context = sessionInitialContext(deps, settings);
  const meta = await metaPayload(deps, id, now, settings, settings.baseInstructions, []);
  const fill = (writer: RolloutWriter) => writer.append(history.map((item) => lines.responseItem(item, now)));
  return writeNewThread(deps, { id, now, meta, context, settings, session, dynamicTools: [], fill }).catch((err: unknown) => {
    throw rpcError.internal(`error resuming thread: ${(err as Error).message}`);
  });
};

interface NewThreadParts {
  readonly id: string;
  readonly now: Date;
  readonly meta: SessionMeta;
  readonly context: ResponseItem[];
  readonly settings: SessionSettings;
  readonly session: ResolvedSession;
  readonly dynamicTools: readonly DynamicToolSpec[];
  /** Appends what follows the `session_meta` and precedes the initial context. */
  readonly fill: (writer: RolloutWriter) => Promise<void>;
}

/**
 * Writes a new thread's rollout at once — its `session_meta`, what `fill` appends, the initial
 * context — and loads the thread's state back from the file, as a resume would. If anything
 * fails, the file is removed and the error is passed on.
 */
const writeNewThread = async (deps: ThreadFactoryDeps, parts: NewThreadParts): Promise<LiveThread> => {
  const { id, now, context } = parts;
  const writer = RolloutWriter.create(newRolloutPath(deps.codexHome, id, now), deps.onRolloutWritten);
  const state = await (async () => {
    await writer.append([lines.sessionMeta(parts.meta, now)]);
    await writer.materialize();
    await parts.fill(writer);
    await writer.append(context.map((item) => lines.responseItem(item, now)));
    return lastValueFrom(loadRollout(writer.path, { initialContext: context, warn: () => undefined }));
  })().catch(async (err: unknown) => {
    await writer.close().catch(() => undefined);
    await rm(writer.path, { force: true });
    deps.onRolloutWritten?.(writer.path, []); // the index stats the path and drops it
    throw err;
  });
  const { settings, session, dynamicTools } = parts;
  return new LiveThread({ id, createdAt: now, writer, state, settings, config: session.config, catalog: session.catalog, dynamicTools });
};
