import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, parse as parsePath } from 'node:path';
import { ConfigLoadError } from './configError.js';
import { configLayer, type ConfigLayerEntry } from './configLayer.js';
import { CONFIG_TOML } from './configPaths.js';
import { isTable, type JsonTable } from './configValue.js';
import { resolveLayerPaths } from './resolvePaths.js';
import { readTomlFile, type TomlFile } from './tomlFile.js';

/** Project root markers when the config names none (SPEC §10.1). */
export const DEFAULT_PROJECT_ROOT_MARKERS: readonly string[] = ['.git'];

/** What project discovery needs besides the cwd. */
export interface ProjectLayerOptions {
  /** Absolute folder the thread (or `config/read`) works in. */
  readonly cwd: string;
  readonly codexHome: string;
  /** System, user and session-flag layers merged: `projects` trust and `project_root_markers` come from here. */
  readonly mergedBelow: JsonTable;
  /** Named in the `disabledReason` texts. */
  readonly userConfigFile: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The project layers for `cwd` (SPEC §10.1), lowest precedence first: every folder from the
 * project root down to `cwd` that has a `.codex/` folder (other than `CODEX_HOME` itself) gives a
 * layer from its `.codex/config.toml` (empty when the file is missing). A layer whose file exists
 * is disabled, with a `disabledReason`, unless its folder, the project root or the git repository
 * root is marked `trust_level = "trusted"`. A syntax error is fatal in a trusted folder and an
 * empty disabled layer in an untrusted one.
 *
 * @example
 * await projectLayers({ cwd: '/repo/pkg/sub', codexHome, mergedBelow, userConfigFile, env });
 * // [ { name: { type: 'project', dotCodexFolder: '/repo/.codex' }, disabledReason: 'To load config.toml, add /repo as a trusted project in …' } ]
 */
export const projectLayers = async (options: ProjectLayerOptions): Promise<ConfigLayerEntry[]> => {
  const { cwd, codexHome, mergedBelow, userConfigFile, env } = options;
  const root = await findProjectRoot(cwd, projectRootMarkers(mergedBelow));
  const trust = trustResolver(mergedBelow, root, await gitRepoRoot(cwd), userConfigFile);
  const codexHomeReal = await realpathOr(codexHome);
  const layers: ConfigLayerEntry[] = [];
  for (const dir of foldersFromRootTo(root, cwd)) {
    const dotCodex = join(dir, '.codex');
    if (!(await isDirectory(dotCodex)) || (await realpathOr(dotCodex)) === codexHomeReal) continue;
    const name = { type: 'project' as const, dotCodexFolder: dotCodex };
    const reason = trust(dir);
    let file: TomlFile | undefined;
    try {
      file = await readTomlFile(join(dotCodex, CONFIG_TOML));
    } catch (err) {
      if (reason === undefined || !(err instanceof ConfigLoadError)) throw err;
      layers.push(configLayer(name, {}, reason));
      continue;
    }
    if (file === undefined) layers.push(configLayer(name, {}));
    else layers.push(configLayer(name, resolveLayerPaths(file.table, dotCodex, env), reason));
  }
  return layers;
};

/**
 * `project_root_markers` of the config, or the default; an empty list means "cwd is the root".
 * Anything but an array of strings is a configuration error.
 */
const projectRootMarkers = (config: JsonTable): readonly string[] => {
  const markers = config.project_root_markers;
  if (markers === undefined) return DEFAULT_PROJECT_ROOT_MARKERS;
  if (!Array.isArray(markers) || !markers.every((m) => typeof m === 'string')) {
    throw new ConfigLoadError('project_root_markers must be an array of strings');
  }
  return markers as string[];
};

/** The nearest folder at or above `cwd` containing one of `markers`; `cwd` when none does. */
const findProjectRoot = async (cwd: string, markers: readonly string[]): Promise<string> => {
  if (markers.length === 0) return cwd;
  for (const dir of ancestors(cwd)) {
    for (const marker of markers) if (await exists(join(dir, marker))) return dir;
  }
  return cwd;
};

/**
 * The root of the git repository holding `cwd`; for a worktree (a `.git` file pointing into
 * `<main>/.git/worktrees/<name>`) the main checkout's root, so trusting a repository covers its
 * worktrees.
 */
const gitRepoRoot = async (cwd: string): Promise<string | undefined> => {
  for (const dir of ancestors(cwd)) {
    const dotGit = join(dir, '.git');
    const info = await stat(dotGit).catch(() => undefined);
    if (info?.isDirectory()) return dir;
    if (info?.isFile()) {
      const gitdir = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8').catch(() => ''))?.[1];
      const main = gitdir === undefined ? undefined : /^(.*)[\\/]\.git[\\/]worktrees[\\/][^\\/]+$/.exec(gitdir)?.[1];
      return main || dir;
    }
  }
  return undefined;
};

/**
 * For a folder, why its project config is disabled (`undefined` when trusted). The folder's own
 * `projects` entry wins, then the project root's, then the repository root's, as in the reference.
 */
const trustResolver = (config: JsonTable, root: string, repoRoot: string | undefined, userConfigFile: string) => {
  const projects = isTable(config.projects) ? config.projects : {};
  const levelOf = (key: string): string | undefined => {
    const entry = Object.hasOwn(projects, key) ? projects[key] : undefined;
    return isTable(entry) && typeof entry.trust_level === 'string' ? entry.trust_level : undefined;
  };
  return (dir: string): string | undefined => {
    const key = [dir, root, repoRoot].find((k): k is string => k !== undefined && levelOf(k) !== undefined);
    const level = key === undefined ? undefined : levelOf(key);
    if (level === 'trusted') return undefined;
    if (level === 'untrusted') return `${key} is marked as untrusted in ${userConfigFile}. To load config.toml, mark it trusted.`;
    return `To load config.toml, add ${repoRoot ?? root} as a trusted project in ${userConfigFile}.`;
  };
};

/** `dir`, its parent, …, up to the filesystem root. */
const ancestors = (dir: string): string[] => {
  const out = [dir];
  while (out[out.length - 1] !== parsePath(dir).root) out.push(dirname(out[out.length - 1]!));
  return out;
};

/** The folders from `root` down to `cwd`, both included (just `cwd` if `root` is not above it). */
const foldersFromRootTo = (root: string, cwd: string): string[] => {
  const chain = ancestors(cwd);
  const at = chain.indexOf(root);
  return (at < 0 ? [cwd] : chain.slice(0, at + 1)).reverse();
};

const exists = async (path: string): Promise<boolean> => (await stat(path).catch(() => undefined)) !== undefined;
const isDirectory = async (path: string): Promise<boolean> => (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
const realpathOr = async (path: string): Promise<string> => realpath(path).catch(() => path);
