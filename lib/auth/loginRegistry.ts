import { randomUUID } from 'node:crypto';
import { startChatgptLogin, type ChatgptLogin, type ChatgptLoginOptions } from './chatgptLogin.js';

/** How a browser login ended: `null` on success, else the reason. */
export type LoginOutcomeListener = (loginId: string, error: string | null) => void;

interface Entry {
  readonly id: string;
  readonly login: ChatgptLogin;
  readonly onOutcome: LoginOutcomeListener;
  /** A request stopped this login and reports its failure itself, after its own response. */
  stoppedByRequest: boolean;
}

/**
 * The one browser login a server runs at a time (SPEC §9.3–9.4): a new login, an API-key or
 * external-token login, and logout all stop the active one. A login stopped by a request gets its
 * failed `account/login/completed` after that request's response, so the response always comes
 * first (SPEC §I.1); the stopping call returns that publication for the caller to schedule.
 *
 * @example
 * const publish = logins.stopActive();
 * if (publish) ctx.afterResponse(publish);
 */
export class LoginRegistry {
  private active: Entry | undefined;

  /**
   * Starts a login (callers stop the previous one first). `onOutcome` runs once it ends by itself
   * (tokens stored, failure, timeout, `/cancel`); call `watch` after the start response is out.
   */
  async start(options: ChatgptLoginOptions, onOutcome: LoginOutcomeListener): Promise<{ loginId: string; authUrl: string; watch: () => void }> {
    const login = await startChatgptLogin(options);
    const entry: Entry = { id: randomUUID(), login, onOutcome, stoppedByRequest: false };
    this.active = entry;
    const forget = (): void => {
      if (this.active === entry) this.active = undefined;
    };
    login.done.then(forget, forget);
    const watch = (): void =>
      void login.done.then(
        () => onOutcome(entry.id, null),
        (err: Error) => {
          if (!entry.stoppedByRequest) onOutcome(entry.id, err.message);
        },
      );
    return { loginId: entry.id, authUrl: login.authUrl, watch };
  }

  /** Stops the login `loginId` if it is the active one; returns its failure publication, else `undefined`. */
  stop(loginId: string): (() => void) | undefined {
    return this.active?.id === loginId ? this.stopActive() : undefined;
  }

  /** Stops the active login, if any; returns its failure publication (which runs once at most), else `undefined`. */
  stopActive(): (() => void) | undefined {
    const entry = this.active;
    this.active = undefined;
    if (!entry || !entry.login.cancel()) return undefined;
    entry.stoppedByRequest = true;
    let published = false;
    return () => {
      if (published) return;
      published = true;
      entry.onOutcome(entry.id, 'Login was not completed');
    };
  }
}
