import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from '../log.js';
import { chatgptClaims } from './jwt.js';
import { authorizeUrl, exchangeCode, generatePkce, generateState, obtainApiKey, type ExchangedTokens } from './oauth.js';

/** The reference's callback port and the fallback its issuer also accepts. */
export const DEFAULT_LOGIN_PORT = 1455;
const FALLBACK_LOGIN_PORT = 1457;
/** Overrides the callback port (`0`: any free port), e.g. in tests. */
export const LOGIN_PORT_ENV = 'RXAGENT_LOGIN_PORT';
/**
 * The callback port to ask for: `RXAGENT_LOGIN_PORT` when it is a port number (0 = any free port),
 * else the reference's 1455.
 */
export const loginPortOf = (env: NodeJS.ProcessEnv): number => {
  const raw = env[LOGIN_PORT_ENV]?.trim();
  const port = raw ? Number(raw) : NaN;
  return Number.isInteger(port) && port >= 0 && port <= 65_535 ? port : DEFAULT_LOGIN_PORT;
};

/** How long a browser login may take (SPEC §9.3). */
export const LOGIN_TIMEOUT_MS = 10 * 60_000;

/** Why a login ended without credentials; the message becomes `account/login/completed.error`. */
export class LoginFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginFailed';
  }
}

/** What a browser login hands over to be stored once the issuer has answered. */
export interface LoginTokens extends ExchangedTokens {
  /** An API key obtained by token exchange, when the issuer granted one. */
  readonly apiKey: string | null;
}

/** How to run a browser login. */
export interface ChatgptLoginOptions {
  readonly issuer: string;
  readonly originator: string;
  /** Preferred callback port; when busy: 1457 (for the default port), then any free port. */
  readonly port: number;
  readonly forcedWorkspaceId: string | null;
  /**
   * Persists the tokens; a failure fails the login. `isCurrent` tells whether the login is still
   * running, for a persist that first waits its turn (a cancel meanwhile must win).
   */
  readonly persist: (tokens: LoginTokens, isCurrent: () => boolean) => Promise<void>;
  readonly timeoutMs?: number;
}

/** A running browser login: its URL, and a promise of its outcome. */
export interface ChatgptLogin {
  readonly authUrl: string;
  /** The callback server's port. */
  readonly port: number;
  /** Resolves once the tokens are stored; rejects with `LoginFailed` otherwise. */
  readonly done: Promise<void>;
  /** Stops the login: the callback server closes and `done` rejects. False when it had already ended. */
  cancel(): boolean;
}

const listen = (server: Server, port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });

/** Binds the callback server on 127.0.0.1, moving to the next candidate port only when one is in use. */
const bind = async (server: Server, preferred: number): Promise<void> => {
  const candidates = preferred === DEFAULT_LOGIN_PORT ? [preferred, FALLBACK_LOGIN_PORT, 0] : preferred === 0 ? [0] : [preferred, 0];
  for (const port of candidates) {
    try {
      await listen(server, port);
      if (port !== preferred) log.warn('login callback port in use; using another one (the issuer may refuse its redirect URI)', { preferred, port: (server.address() as AddressInfo).port });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
    }
  }
};

const page = (title: string, text: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family: system-ui, sans-serif; margin: 4em auto; max-width: 32em"><h1>${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Starts a browser login (SPEC §9.3): a callback server on 127.0.0.1, an authorize URL with PKCE
 * (S256), a random `state` and the originator. The browser comes back to `/auth/callback` with a
 * code, which is exchanged at the issuer's token endpoint; the tokens are checked against the
 * forced workspace and persisted, and the login completes. `/cancel` ends it (as the reference's
 * does, so a newer login can take the port over). A callback with the wrong `state` is refused
 * and the login keeps waiting. Nothing here logs a code or a token.
 *
 * @example
 * const login = await startChatgptLogin({ issuer, originator, port: 1455, forcedWorkspaceId: null, persist });
 * client.open(login.authUrl);
 * await login.done;
 */
export const startChatgptLogin = async (options: ChatgptLoginOptions): Promise<ChatgptLogin> => {
  const pkce = generatePkce();
  const state = generateState();
  const server = createServer();
  await bind(server, options.port);
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://localhost:${port}/auth/callback`;

  let settle!: { resolve: () => void; reject: (err: LoginFailed) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // A rejection nobody awaited yet must not crash the process; the caller observes `done` later.
  done.catch(() => undefined);
  let finished = false;
  let exchanging = false;
  const finish = (error?: string): boolean => {
    if (finished) return false;
    finished = true;
    clearTimeout(timer);
    server.close();
    server.closeIdleConnections();
    if (error === undefined) settle.resolve();
    else settle.reject(new LoginFailed(error));
    return true;
  };
  const timer = setTimeout(() => finish('Login timed out'), options.timeoutMs ?? LOGIN_TIMEOUT_MS);
  timer.unref();

  const respond = (res: ServerResponse, status: number, body: string, html = false): void => {
    res.writeHead(status, { 'Content-Type': html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', Connection: 'close' });
    res.end(body);
  };

  const callback = async (url: URL, res: ServerResponse): Promise<void> => {
    const params = url.searchParams;
    log.debug('login callback received', { hasCode: params.has('code'), stateValid: params.get('state') === state, hasError: params.has('error') });
    if (params.get('state') !== state) return respond(res, 400, 'State mismatch');
    if (exchanging) return respond(res, 409, 'This login is already being completed.');
    const fail = (message: string): void => {
      respond(res, 200, page('Sign-in failed', escapeHtml(message)), true);
      finish(message);
    };
    const oauthError = params.get('error');
    // The issuer's text is outside input: capped, and escaped where it goes into the page.
    if (oauthError) return fail(`Sign-in failed: ${(params.get('error_description') || oauthError).slice(0, 200)}`);
    const code = params.get('code');
    if (!code) return fail('Missing authorization code. Sign-in could not be completed.');
    exchanging = true;
    let tokens: ExchangedTokens;
    try {
      tokens = await exchangeCode({ issuer: options.issuer, code, redirectUri, verifier: pkce.verifier });
    } catch (err) {
      return fail(`Token exchange failed: ${(err as Error).message}`);
    }
    const workspaceError = checkWorkspace(tokens.idToken, options.forcedWorkspaceId);
    if (workspaceError) return fail(workspaceError);
    const apiKey = await obtainApiKey(options.issuer, tokens.idToken).catch((err: Error) => {
      log.debug('no API key from token exchange; continuing with ChatGPT tokens only', { reason: err.message });
      return null;
    });
    const canceled = (): void => respond(res, 410, 'This login was canceled.');
    if (finished) return canceled();
    try {
      await options.persist({ ...tokens, apiKey }, () => !finished);
    } catch (err) {
      if (finished) return canceled();
      return fail(`Sign-in completed but credentials could not be saved locally: ${(err as Error).message}`);
    }
    respond(res, 200, page('Signed in to rxagent', 'You can close this window and return to your editor.'), true);
    finish();
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (finished) return respond(res, 410, 'This login has ended.');
    if (url.pathname === '/auth/callback') {
      callback(url, res).catch((err: unknown) => {
        log.error('login callback failed', { error: (err as Error).message });
        if (!res.headersSent) respond(res, 500, 'Internal error');
        finish(`Sign-in failed: ${(err as Error).message}`);
      });
    } else if (url.pathname === '/cancel') {
      respond(res, 200, 'Login cancelled');
      finish('Login cancelled');
    } else {
      respond(res, 404, 'Not Found');
    }
  });

  return {
    authUrl: authorizeUrl({ issuer: options.issuer, redirectUri, pkce, state, originator: options.originator, allowedWorkspaceId: options.forcedWorkspaceId }),
    port,
    done,
    cancel: () => finish('Login was not completed'),
  };
};

/** The reference's workspace rule for browser logins: the ID token must be for the forced workspace. */
const checkWorkspace = (idToken: string, forced: string | null): string | undefined => {
  if (forced === null) return undefined;
  let accountId: string | null;
  try {
    accountId = chatgptClaims(idToken, 'ID token').accountId;
  } catch (err) {
    return `Sign-in failed: ${(err as Error).message}`;
  }
  return accountId === forced ? undefined : `Login is restricted to workspace id ${forced}.`;
};
