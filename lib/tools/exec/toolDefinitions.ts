/** A Responses API function tool, as sent in the request's `tools` array. */
export interface FunctionToolDefinition {
  readonly type: 'function';
  readonly name: string;
  readonly description: string;
  readonly strict: false;
  readonly parameters: {
    readonly type: 'object';
    readonly properties: Readonly<Record<string, unknown>>;
    readonly required: readonly string[];
    readonly additionalProperties: false;
  };
}

const escalationProperties = {
  sandbox_permissions: {
    type: 'string',
    enum: ['use_default', 'require_escalated'],
    description:
      'Leave unset (or "use_default") to run inside the sandbox. Set "require_escalated" only when the command cannot work sandboxed (it must write outside the workspace or reach the network); the user is asked first.',
  },
  justification: {
    type: 'string',
    description:
      'With "require_escalated" only: one short question the user can answer yes or no, saying why the command needs to leave the sandbox, e.g. "Allow npm install to download the project\'s dependencies?"',
  },
  prefix_rule: {
    type: 'array',
    items: { type: 'string' },
    description:
      'With "require_escalated" only: a command prefix the user could approve once for all similar commands, e.g. ["npm", "install"] or ["cargo", "test"]. Keep it narrow.',
  },
} as const;

const outputBudget = {
  type: 'number',
  description: 'Most tokens of output to return; the middle of longer output is cut.',
} as const;

/**
 * `exec_command`: run a shell command line, get its output or a session to keep talking to.
 *
 * @example
 * request.tools.push(EXEC_COMMAND_TOOL, WRITE_STDIN_TOOL);
 */
export const EXEC_COMMAND_TOOL: FunctionToolDefinition = {
  type: 'function',
  name: 'exec_command',
  description:
    'Run a command line through the shell and return what it printed. If it is still running when yield_time_ms runs out, the result gives a session ID: use write_stdin to read more output or to type into it.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      cmd: { type: 'string', description: 'The command line, as typed at a shell prompt.' },
      workdir: { type: 'string', description: 'Directory to run in, absolute or relative to the turn\'s working directory (the default).' },
      shell: { type: 'string', description: 'Shell executable to run the command with; the user\'s login shell by default.' },
      login: { type: 'boolean', description: 'Run the shell as a login shell (-lc), so profile files are read. Default true.' },
      tty: {
        type: 'boolean',
        description: 'Give the command a terminal (needed for interactive programs and to send input later with write_stdin). Default false: plain pipes, no input.',
      },
      yield_time_ms: { type: 'number', description: 'How long to wait for the command before returning, in milliseconds (250 to 30000; default 10000). A command that finishes sooner returns at once.' },
      max_output_tokens: outputBudget,
      ...escalationProperties,
    },
    required: ['cmd'],
    additionalProperties: false,
  },
};

/**
 * `write_stdin`: type into, or just poll, a session `exec_command` left running.
 *
 * @example
 * request.tools.push(WRITE_STDIN_TOOL);
 */
export const WRITE_STDIN_TOOL: FunctionToolDefinition = {
  type: 'function',
  name: 'write_stdin',
  description:
    'Send keystrokes to a command started by exec_command that is still running, then return the output it printed since the last read. Send empty chars to just wait for more output.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      session_id: { type: 'number', description: 'The session ID an earlier exec_command or write_stdin result reported.' },
      chars: { type: 'string', description: 'Text to type, with "\\n" for Enter and control characters as escapes (e.g. "\\u0003" for Ctrl-C). Empty to only read.' },
      yield_time_ms: { type: 'number', description: 'How long to wait for output before returning, in milliseconds (default 250; at least 5000 when chars is empty).' },
      max_output_tokens: outputBudget,
    },
    required: ['session_id'],
    additionalProperties: false,
  },
};

/**
 * `shell`: run an argv directly (no shell unless you name one) and wait for it to finish.
 *
 * @example
 * request.tools.push(SHELL_TOOL);
 */
export const SHELL_TOOL: FunctionToolDefinition = {
  type: 'function',
  name: 'shell',
  description:
    'Run a program with the given argument vector and return its exit code and output once it ends. Arguments are passed as is, without a shell: wrap shell syntax as ["bash", "-lc", "<command line>"]. Prefer workdir over cd.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      command: { type: 'array', items: { type: 'string' }, description: 'Program and arguments, e.g. ["rg", "-n", "TODO", "src"].' },
      workdir: { type: 'string', description: 'Directory to run in, absolute or relative to the turn\'s working directory (the default).' },
      timeout_ms: { type: 'number', description: 'Kill the command after this many milliseconds (default 10000).' },
      ...escalationProperties,
    },
    required: ['command'],
    additionalProperties: false,
  },
};
