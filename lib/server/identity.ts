import * as os from 'node:os';
import { VERSION } from '../version.js';

const DEFAULT_ORIGINATOR = 'codex_cli_rs';
const ORIGINATOR_ENV = 'CODEX_INTERNAL_ORIGINATOR_OVERRIDE';

/** What an HTTP header value may hold (visible ASCII, space, tab): the reference's rule for originators. */
export const isHeaderValue = (value: string): boolean => /^[\t\x20-\x7e]*$/.test(value);

const ARCH: Record<string, string> = { x64: 'x86_64', arm64: process.platform === 'darwin' ? 'arm64' : 'aarch64', ia32: 'x86' };

/**
 * The process-wide identity the server presents to the model backend (SPEC §2.3): an originator
 * that is written once (env override > first `initialize`'s client name > default) and a
 * user-agent suffix that follows the latest `initialize`.
 *
 * @example
 * const id = new ProcessIdentity(process.env);
 * id.adoptClient({ name: 'my_ide', version: '1.0' });
 * id.userAgent(); // "my_ide/0.1.0 (Linux 6.1.0; x86_64) xterm (my_ide; 1.0)"
 */
export class ProcessIdentity {
  private originatorValue: string | undefined;
  private suffix = '';

  constructor(private readonly env: NodeJS.ProcessEnv) {
    const override = env[ORIGINATOR_ENV];
    if (override !== undefined) this.originatorValue = isHeaderValue(override) ? override : DEFAULT_ORIGINATOR;
  }

  /** Records a client's `clientInfo`; only the first one on the process sets the originator. */
  adoptClient(client: { name: string; version: string }): void {
    this.originatorValue ??= client.name;
    this.suffix = `${client.name}; ${client.version}`;
  }

  get originator(): string {
    return this.originatorValue ?? DEFAULT_ORIGINATOR;
  }

  userAgent(): string {
    const platform = `${os.type()} ${os.release()}; ${ARCH[process.arch] ?? process.arch}`;
    const base = `${this.originator}/${VERSION} (${platform}) ${this.terminal()}`;
    const full = this.suffix ? `${base} (${this.suffix})` : base;
    if (isHeaderValue(full)) return full;
    const sanitized = full.replace(/[^\t\x20-\x7e]/g, '_');
    return isHeaderValue(sanitized) ? sanitized : this.originator;
  }

  private terminal(): string {
    const program = this.env.TERM_PROGRAM;
    if (program) return this.env.TERM_PROGRAM_VERSION ? `${program}/${this.env.TERM_PROGRAM_VERSION}` : program;
    return this.env.TERM || 'unknown';
  }
}
