import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { AskForApproval, ResponseItem, SandboxPolicy } from '../protocol/index.js';

// The wrappers below (`<permissions instructions>`, `# AGENTS.md instructions for `,
// `<environment_context>`) are markers both servers use to tell context apart from what the user
// typed (a rollout's preview and user turns skip them), so they are kept as the reference spells
// them; the texts inside are rxagent's own.

const developer = (text: string): ResponseItem => ({ type: 'message', role: 'developer', content: [{ type: 'input_text', text }] });
const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });

const SANDBOX_TEXT: Record<SandboxPolicy['type'], string> = {
  dangerFullAccess: 'Commands run without a sandbox: you can read and write any file and use the network.',
  readOnly: 'Commands run in a read-only sandbox: you can read files but not write them, and the network is off.',
  workspaceWrite: 'Commands run in a sandbox that lets you write inside the workspace (and the listed writable roots) and read everywhere else.',
  externalSandbox: 'Commands run inside a sandbox managed outside rxagent.',
};

const APPROVAL_TEXT: Record<AskForApproval, string> = {
  untrusted: 'Commands other than well-known read-only ones need the user\'s approval before they run.',
  'on-failure': 'Commands run in the sandbox first; if one fails because of the sandbox, the user is asked whether to run it without.',
  'on-request': 'You may ask to run a command outside the sandbox (set `sandbox_permissions` and give a one-line `justification`); the user decides.',
  never: 'The user will never be asked for approval: do not request `sandbox_permissions`, such requests are refused.',
};

/**
 * The developer message describing the sandbox and the approval policy, sent first in every
 * new thread's history and again whenever a turn changes them.
 *
 * @example
 * permissionsMessage({ type: 'readOnly' }, 'never');
 */
export const permissionsMessage = (sandbox: SandboxPolicy, approval: AskForApproval): ResponseItem => {
  const network = sandbox.type === 'workspaceWrite' ? (sandbox.networkAccess ? ' Network access is allowed.' : ' Network access is off.') : '';
  const roots = sandbox.type === 'workspaceWrite' && (sandbox.writableRoots?.length ?? 0) > 0 ? ` Writable roots: ${sandbox.writableRoots!.join(', ')}.` : '';
  return developer(`<permissions instructions>\n${SANDBOX_TEXT[sandbox.type]}${roots}${network}\n${APPROVAL_TEXT[approval]}\n</permissions instructions>`);
};

/** The `<environment_context>` user message: where the agent works and with which shell. */
export const environmentContext = (cwd: string, shell: string): ResponseItem =>
  user(`<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>${shell}</shell>\n</environment_context>`);

const readIfPresent = (path: string): Promise<string | undefined> => readFile(path, 'utf8').then((t) => t.trim() || undefined, () => undefined);

/**
 * `AGENTS.md` instructions: the user's (`CODEX_HOME/AGENTS.md`) then every `AGENTS.md` from the
 * repository root (the nearest folder with `.git`) down to `cwd`, joined; `undefined` when none.
 */
export const agentsInstructions = async (codexHome: string, cwd: string): Promise<string | undefined> => {
  const folders: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    folders.unshift(dir);
    const isRoot = await readFile(join(dir, '.git', 'HEAD'), 'utf8').then(() => true, () => false);
    if (isRoot || dirname(dir) === dir) break;
  }
  const texts = await Promise.all([join(codexHome, 'AGENTS.md'), ...folders.map((f) => join(f, 'AGENTS.md'))].map(readIfPresent));
  const present = texts.filter((t): t is string => t !== undefined);
  return present.length > 0 ? present.join('\n\n') : undefined;
};

export interface InitialContextOptions {
  readonly cwd: string;
  readonly sandbox: SandboxPolicy;
  readonly approval: AskForApproval;
  readonly developerInstructions: string | null;
  readonly userInstructions: string | undefined;
  readonly shell: string;
}

/**
 * The items a new session puts before the first user message (SPEC §6.4): permissions, developer
 * instructions, AGENTS.md instructions, environment context.
 *
 * @example
 * initialContext({ cwd, sandbox, approval, developerInstructions: null, userInstructions, shell: 'bash' });
 */
export const initialContext = (options: InitialContextOptions): ResponseItem[] => [
  permissionsMessage(options.sandbox, options.approval),
  ...(options.developerInstructions ? [developer(options.developerInstructions)] : []),
  ...(options.userInstructions
    ? [user(`# AGENTS.md instructions for ${options.cwd}\n\n<INSTRUCTIONS>\n${options.userInstructions}\n</INSTRUCTIONS>`)]
    : []),
  environmentContext(options.cwd, options.shell),
];
