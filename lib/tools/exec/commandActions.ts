import { basename, resolve } from 'node:path';
import type { CommandAction } from '../../protocol/v2/items.js';
import { shellJoin, splitScript, type SimpleCommand } from './shellWords.js';

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);

/**
 * The script of a `<shell> -c|-lc <script>` argv, or null for a plain argv.
 *
 * @example
 * shellScriptOf(['/bin/bash', '-lc', 'ls']); // 'ls'
 */
export function shellScriptOf(argv: readonly string[]): string | null {
  const [shell, flag, script] = argv;
  if (argv.length !== 3 || shell === undefined || script === undefined) return null;
  return SHELLS.has(basename(shell)) && (flag === '-c' || flag === '-lc') ? script : null;
}

/**
 * A best-effort reading of what a command does, for `commandExecution.commandActions` and the
 * approval request: `read` (cat, head/tail/sed -n/nl of a file), `listFiles` (ls, tree,
 * `rg --files`, find without a name test), `search` (rg, grep, git grep, find -name, fd), else
 * `unknown`. A `<shell> -lc` script is split on `&&`, `||`, `;` and `|` and each command read
 * in order; `cd` moves the directory later reads resolve against; pipeline helpers (`| head`,
 * `| wc -l`, …), a leading `echo`, a `cd` followed by something, and `|| true` are left out, as
 * the reference does. A script with expansions, redirections or compound commands is one
 * `unknown` action.
 *
 * @example
 * commandActions(['/bin/bash', '-lc', "cd src && rg -n 'todo' lib | head"], '/proj');
 * // [{ type: 'search', command: 'rg -n todo lib', query: 'todo', path: 'lib' }]
 * commandActions(['/bin/bash', '-lc', 'cat README.md'], '/proj');
 * // [{ type: 'read', command: 'cat README.md', name: 'README.md', path: '/proj/README.md' }]
 */
export function commandActions(argv: readonly string[], cwd: string): CommandAction[] {
  const script = shellScriptOf(argv);
  const commands = script === null ? [{ words: argv, next: null }] : splitScript(script);
  if (commands === null || commands.length === 0) return [{ type: 'unknown', command: script ?? shellJoin(argv) }];

  let dir = cwd;
  const actions: CommandAction[] = [];
  for (const words of withoutPipelineHelpers(commands)) {
    if (words[0] === 'cd') dir = cdTarget(dir, words) ?? dir;
    actions.push(summarize(words, dir));
  }
  return dedupe(simplify(actions));
}

function cdTarget(dir: string, words: readonly string[]): string | null {
  const target = operands(words.slice(1), new Set())[0];
  // `cd`, `cd -` and `cd ~…` depend on state we do not have; keep the last known directory.
  if (target === undefined || target === '-' || target.startsWith('~')) return null;
  return resolve(dir, target);
}

// Pipeline stages that only reshape another command's output.
const FORMATTERS = new Set(['wc', 'tr', 'cut', 'sort', 'uniq', 'xargs', 'tee', 'column', 'awk', 'yes', 'no', 'printf']);

const isFormatter = (words: readonly string[]): boolean => {
  const [name] = words;
  if (FORMATTERS.has(name!)) return true;
  if (name === 'head' || name === 'tail') return operands(words.slice(1), HEAD_TAIL_VALUE_FLAGS).length === 0;
  if (name === 'sed') return readRange(words) === null;
  return false;
};

/** The commands in order, with formatting stages dropped from pipelines that have something else. */
function withoutPipelineHelpers(commands: readonly SimpleCommand[]): (readonly string[])[] {
  const result: (readonly string[])[] = [];
  let pipeline: (readonly string[])[] = [];
  for (const command of commands) {
    pipeline.push(command.words);
    if (command.next === '|') continue;
    const kept = pipeline.length > 1 ? pipeline.filter((words) => !isFormatter(words)) : pipeline;
    result.push(...(kept.length > 0 ? kept : pipeline));
    pipeline = [];
  }
  return result;
}

const HEAD_TAIL_VALUE_FLAGS = new Set(['-n', '-c', '--lines', '--bytes']);
const LS_VALUE_FLAGS = new Set(['-I', '-w', '--block-size', '--format', '--time-style', '--color', '--quoting-style', '--ignore', '--hide']);
const TREE_VALUE_FLAGS = new Set(['-L', '-I', '-P', '--filelimit']);
const SEARCH_VALUE_FLAGS = new Set([
  '-A', '-B', '-C', '-e', '-f', '-g', '-m', '-t', '-T', '-j', '-M', '-E', '-d', '-D',
  '--glob', '--iglob', '--type', '--type-not', '--max-count', '--context', '--after-context', '--before-context',
  '--regexp', '--file', '--max-depth', '--threads', '--sort', '--sortr', '--encoding', '--max-columns', '--include', '--exclude',
]);
const FD_VALUE_FLAGS = new Set(['-t', '--type', '-e', '--extension', '-E', '--exclude', '-d', '--max-depth', '--search-path']);
const FIND_NAME_TESTS = new Set(['-name', '-iname', '-path', '-ipath', '-regex', '-iregex']);

/**
 * The operands of an argument list: words that are not flags nor a flag's value. `--` ends
 * the flags; `--flag=value` and `-n40` carry their value inside.
 */
function operands(args: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...found, ...args.slice(i + 1)];
    if (arg.startsWith('-') && arg !== '-') {
      if (valueFlags.has(arg)) i++;
      continue;
    }
    found.push(arg);
  }
  return found;
}

/** The value of the first of `flags` (`-e x`, `--regexp=x`), if any. */
function flagValue(args: readonly string[], flags: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    if (flags.includes(arg)) return args[i + 1];
    const long = flags.find((flag) => flag.startsWith('--') && arg.startsWith(`${flag}=`));
    if (long !== undefined) return arg.slice(long.length + 1);
  }
  return undefined;
}

/** The file of `sed -n <N>p|<N,M>p <file>`, else null. */
function readRange(words: readonly string[]): string | null {
  const [, flag, range, file] = words;
  return words.length === 4 && flag === '-n' && /^\d+(,\d+)?p$/.test(range!) ? file! : null;
}

function summarize(words: readonly string[], dir: string): CommandAction {
  const command = shellJoin(words);
  const args = words.slice(1);
  const read = (file: string | undefined): CommandAction =>
    file === undefined ? { type: 'unknown', command } : { type: 'read', command, name: basename(file), path: resolve(dir, file) };
  const single = (files: string[]) => (files.length === 1 ? files[0] : undefined);

  switch (words[0]) {
    case 'cat':
    case 'bat':
    case 'batcat':
    case 'less':
    case 'more':
    case 'nl':
      return read(single(operands(args, new Set())));
    case 'head':
    case 'tail':
      return read(single(operands(args, HEAD_TAIL_VALUE_FLAGS)));
    case 'sed':
      return read(readRange(words) ?? undefined);
    case 'ls':
    case 'eza':
    case 'exa':
      return { type: 'listFiles', command, path: operands(args, LS_VALUE_FLAGS)[0] ?? null };
    case 'tree':
      return { type: 'listFiles', command, path: operands(args, TREE_VALUE_FLAGS)[0] ?? null };
    case 'rg':
    case 'grep':
    case 'egrep':
    case 'fgrep':
    case 'ag':
    case 'ack':
      return search(command, args);
    case 'git':
      if (words[1] === 'grep') return search(command, words.slice(2));
      if (words[1] === 'ls-files') return { type: 'listFiles', command, path: operands(words.slice(2), new Set())[0] ?? null };
      return { type: 'unknown', command };
    case 'fd':
    case 'fdfind': {
      const [query, path] = operands(args, FD_VALUE_FLAGS);
      return { type: 'search', command, query: query ?? null, path: path ?? null };
    }
    case 'find': {
      const path = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : null;
      const query = flagValue(args, [...FIND_NAME_TESTS]);
      return query === undefined ? { type: 'listFiles', command, path } : { type: 'search', command, query, path };
    }
    default:
      return { type: 'unknown', command };
  }
}

function search(command: string, args: readonly string[]): CommandAction {
  if (args.includes('--files')) return { type: 'listFiles', command, path: operands(args, SEARCH_VALUE_FLAGS)[0] ?? null };
  const pattern = flagValue(args, ['-e', '--regexp']);
  const rest = operands(args, SEARCH_VALUE_FLAGS);
  const [query, path] = pattern === undefined ? rest : [pattern, rest[0]];
  return { type: 'search', command, query: query ?? null, path: path ?? null };
}

const firstWord = (action: CommandAction) => (action.type === 'unknown' ? action.command.split(' ')[0] : undefined);

/** The reference's clean-ups, applied until none fits; they only ever remove `unknown` actions. */
function simplify(actions: CommandAction[]): CommandAction[] {
  let current = actions;
  for (;;) {
    if (current.length <= 1) return current;
    let drop = -1;
    if (firstWord(current[0]!) === 'echo') drop = 0;
    else {
      const cd = current.findIndex((action) => firstWord(action) === 'cd');
      if (cd >= 0 && cd < current.length - 1) drop = cd;
      else drop = current.findIndex((action) => action.type === 'unknown' && (action.command === 'true' || /^nl( -\S+)*$/.test(action.command)));
    }
    if (drop < 0) return current;
    current = current.filter((_, i) => i !== drop);
  }
}

function dedupe(actions: CommandAction[]): CommandAction[] {
  return actions.filter((action, i) => i === 0 || JSON.stringify(action) !== JSON.stringify(actions[i - 1]));
}
