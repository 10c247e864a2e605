import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';

/** An unsigned three-part JWT with `claims` as its payload (rxagent never checks signatures). */
export const fakeJwt = (claims: Record<string, unknown>): string =>
  [{ alg: 'none', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2lnbmF0dXJl';

/** A ChatGPT-style token for `email` in workspace `accountId`; `unique` makes every token a distinct secret. */
export const chatgptJwt = (options: { email?: string | null; plan?: string | null; accountId?: string | null; unique?: string }): string => {
  const auth: Record<string, unknown> = { chatgpt_user_id: 'user-1' };
  if (options.plan !== null) auth.chatgpt_plan_type = options.plan ?? 'pro';
  if (options.accountId !== null) auth.chatgpt_account_id = options.accountId ?? 'ws-1';
  const claims: Record<string, unknown> = { 'https://api.openai.com/auth': auth, jti: options.unique ?? Math.random().toString(36).slice(2) };
  if (options.email !== null) claims.email = options.email ?? 'dev@example.com';
  return fakeJwt(claims);
};

/** The S256 PKCE challenge of a verifier, to check what the server sent against its authorize URL. */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/** One request the stand-in token endpoint received. */
export interface TokenRequest {
  readonly contentType: string;
  /** Form fields, or the JSON body's fields. */
  readonly fields: Record<string, string>;
}

/** How the stand-in answers: tokens for codes and refreshes; `null` fields make it fail that grant. */
export interface TokenEndpointScript {
  code?: { id_token: string; access_token: string; refresh_token: string } | { status: number; body: unknown };
  apiKey?: string | null;
  refresh?: { id_token?: string; access_token?: string; refresh_token?: string } | { status: number; body: unknown };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

/**
 * A local stand-in for the OAuth issuer's token endpoint on 127.0.0.1: answers
 * `POST /oauth/token` for the authorization-code grant, the API-key token exchange and the
 * refresh-token grant from a script, and records every request.
 */
export class TokenEndpoint {
  readonly requests: TokenRequest[] = [];

  private constructor(
    private readonly server: Server,
    readonly script: TokenEndpointScript,
  ) {}

  static async start(script: TokenEndpointScript): Promise<TokenEndpoint> {
    const server = createServer();
    const endpoint = new TokenEndpoint(server, script);
    server.on('request', (req, res) => {
      void readBody(req).then((body) => {
        const contentType = req.headers['content-type'] ?? '';
        const fields: Record<string, string> = contentType.startsWith('application/json')
          ? (JSON.parse(body) as Record<string, string>)
          : Object.fromEntries(new URLSearchParams(body));
        endpoint.requests.push({ contentType, fields });
        const answer = req.method === 'POST' && req.url === '/oauth/token' ? endpoint.answer(fields) : { status: 404, body: { error: 'not_found' } };
        res.writeHead(answer.status, { 'Content-Type': 'application/json', Connection: 'close' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  /** The issuer URL to give the server (`RXAGENT_AUTH_ISSUER`). */
  get issuer(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The recorded requests of one grant type. */
  grants(type: string): TokenRequest[] {
    return this.requests.filter((r) => r.fields.grant_type === type);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(fields: Record<string, string>): { status: number; body: unknown } {
    const fail = { status: 400, body: { error: 'invalid_grant', error_description: 'not scripted' } };
    const pick = (entry: unknown): { status: number; body: unknown } =>
      entry === undefined ? fail : typeof entry === 'object' && entry !== null && 'status' in entry ? (entry as { status: number; body: unknown }) : { status: 200, body: entry };
    switch (fields.grant_type) {
      case 'authorization_code':
        return pick(this.script.code);
      case 'urn:ietf:params:oauth:grant-type:token-exchange':
        return this.script.apiKey ? { status: 200, body: { access_token: this.script.apiKey } } : fail;
      case 'refresh_token':
        return pick(this.script.refresh);
      default:
        return fail;
    }
  }
}

/** One request the stand-in usage endpoint received. */
export interface UsageRequestSeen {
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * A local stand-in for the ChatGPT backend's usage endpoint on 127.0.0.1 (give the server
 * `chatgpt_base_url = endpoint.baseUrl`): answers every GET with `answer`, which a test may change,
 * and records the requests.
 */
export class UsageEndpoint {
  readonly requests: UsageRequestSeen[] = [];
  answer: { status: number; body: string };

  private constructor(
    private readonly server: Server,
    answer: { status: number; body: string },
  ) {
    this.answer = answer;
  }

  static async start(answer: { status: number; body: string }): Promise<UsageEndpoint> {
    const server = createServer();
    const endpoint = new UsageEndpoint(server, answer);
    server.on('request', (req, res) => {
      endpoint.requests.push({ path: req.url ?? '', headers: req.headers });
      res.writeHead(endpoint.answer.status, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(endpoint.answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  /** The `chatgpt_base_url` that points at this endpoint. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/backend-api/`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A port that was free a moment ago (for tests that need a fixed, known port). */
export const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

/** Occupies a port on 127.0.0.1 until released. */
export const occupyPort = async (): Promise<{ port: number; release: () => Promise<void> }> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, release: () => new Promise((resolve) => server.close(() => resolve())) };
};

/**
 * The files under `root` (relative paths) whose content contains one of `secrets`, leaving out
 * `except` (relative paths, e.g. auth.json), plus `'<text>'` when `text` contains one.
 */
export const filesLeakingSecrets = (root: string, secrets: readonly string[], except: readonly string[] = [], text = ''): string[] => {
  const leaks: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!except.includes(relative(root, path))) {
        const content = readFileSync(path, 'utf8');
        if (secrets.some((secret) => content.includes(secret))) leaks.push(relative(root, path));
      }
    }
  };
  walk(root);
  if (secrets.some((secret) => text.includes(secret))) leaks.push('<text>');
  return leaks;
};
