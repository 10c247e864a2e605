// Characters that never need quoting in a POSIX shell word.
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one argument for a POSIX shell: bare when safe, else single quotes (a `'` inside
 * becomes `'"'"'`).
 *
 * @example
 * shellQuote('print(1)'); // "'print(1)'"
 * shellQuote("it's");     // `'it'"'"'s'`
 */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

/**
 * An argv as one shell command line; what `commandExecution.command` shows.
 *
 * @example
 * shellJoin(['/bin/bash', '-lc', 'echo one; echo two']); // "/bin/bash -lc 'echo one; echo two'"
 */
export const shellJoin = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');

/** How one simple command is joined to the next: `&&`, `||`, `;` (or a newline), or `|`. */
export type Connector = '&&' | '||' | ';' | '|';

/** A simple command (words after quote removal) and the connector that follows it, if any. */
export interface SimpleCommand {
  readonly words: readonly string[];
  readonly next: Connector | null;
}

/**
 * Splits a script of simple commands joined by `&&`, `||`, `;`, `|` and newlines into words,
 * honouring quotes and backslashes. Anything richer — expansions (`$`, backticks), redirections,
 * subshells and groups, background `&`, comments, assignments, compound keywords — returns null:
 * such a script is shown as one opaque command rather than guessed at.
 *
 * @example
 * splitScript("rg -n 'a b' src | head -5"); // [{ words: ['rg', '-n', 'a b', 'src'], next: '|' }, { words: ['head', '-5'], next: null }]
 * splitScript('echo $HOME');               // null
 */
export function splitScript(script: string): SimpleCommand[] | null {
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (next: Connector): boolean => {
    endWord();
    // An empty command is fine before `;` or a newline (blank lines, `a &&<newline>b`); before
    // `&&`, `||` or `|` it is a syntax error, and not a script we claim to understand.
    if (words.length === 0) return next === ';';
    commands.push({ words, next });
    words = [];
    return true;
  };

  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) return null;
      word += script.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < script.length && script[j] !== '"'; j++) {
        const d = script[j]!;
        if (d === '$' || d === '`') return null;
        if (d === '\\' && j + 1 < script.length && '"\\$`\n'.includes(script[j + 1]!)) j++;
        word += script[j];
      }
      if (j >= script.length) return null;
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= script.length) return null;
      if (script[i + 1] !== '\n') {
        word += script[i + 1];
        inWord = true;
      }
      i++;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '\n' || c === ';') {
      if (c === ';' && script[i + 1] === ';') return null;
      if (!endCommand(';')) return null;
    } else if (c === '&' || c === '|') {
      const doubled = script[i + 1] === c;
      if (c === '&' && !doubled) return null;
      if (!endCommand(doubled ? (c === '&' ? '&&' : '||') : '|')) return null;
      if (doubled) i++;
    } else if ('$`<>(){}'.includes(c) || (c === '#' && !inWord)) {
      return null;
    } else {
      word += c;
      inWord = true;
    }
  }
  endWord();
  if (words.length > 0) commands.push({ words, next: null });
  else if (commands.length > 0) {
    const last = commands[commands.length - 1]!;
    if (last.next !== ';') return null; // dangling `&&`, `||` or `|`
    commands[commands.length - 1] = { words: last.words, next: null };
  }
  return commands.every(isPlainCommand) ? commands : null;
}

const COMPOUND_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', '!', '[[', ']]']);

// `FOO=1 cmd` changes the command's environment and `if …` spans several commands; neither is a
// simple command whose first word says what it does.
const isPlainCommand = (command: SimpleCommand) =>
  !COMPOUND_KEYWORDS.has(command.words[0]!) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(command.words[0]!);
