import type { AuthMode } from '../protocol/v2/common.js';

const REDACTED = '<redacted>';

/**
 * What to send to the model backend: `Authorization: Bearer …` and, in ChatGPT modes, the
 * `ChatGPT-Account-ID` workspace header (SPEC §12.1). The token is held in a private field and
 * redacted from `JSON.stringify` and `util.inspect`, so logging a credentials object by mistake
 * leaks nothing; only `headers()` reveals it.
 *
 * @example
 * const creds = auth.current();
 * if (creds) fetch(url, { headers: { ...creds.headers(), originator } });
 */
export class ModelCredentials {
  readonly #token: string;

  constructor(
    readonly mode: AuthMode,
    token: string,
    /** The ChatGPT workspace the token is for; `null` for API keys. */
    readonly accountId: string | null,
  ) {
    this.#token = token;
  }

  /** The HTTP headers that authenticate a backend request. */
  headers(): Record<string, string> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#token}` };
    if (this.accountId !== null) headers['ChatGPT-Account-ID'] = this.accountId;
    return headers;
  }

  toJSON(): object {
    return { mode: this.mode, accountId: this.accountId, token: REDACTED };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ModelCredentials ${JSON.stringify(this.toJSON())}`;
  }
}
