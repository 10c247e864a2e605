import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '../support/rpcClient.js';
import { RpcClient } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';
import { chatgptJwt, filesLeakingSecrets, freePort, TokenEndpoint } from '../lib/auth/authStandIns.js';

interface Harness {
  readonly server: ServerProcess;
  readonly client: RpcClient;
  readonly codexHome: string;
}

const start = async (options: { config?: string; env?: NodeJS.ProcessEnv; experimental?: boolean } = {}): Promise<Harness> => {
  const codexHome = mkdtempSync(join(tmpdir(), 'rxagent-spec-'));
  if (options.config !== undefined) writeFileSync(join(codexHome, 'config.toml'), options.config);
  const server = ServerProcess.start(['app-server'], { codexHome, env: { RXAGENT_LOGIN_PORT: '0', ...options.env } });
  const client = RpcClient.stdio(server);
  await client.initialize(options.experimental ? { experimentalApi: true } : null, 'spec_ide');
  return { server, client, codexHome };
};

const authJsonPath = (h: Harness): string => join(h.codexHome, 'auth.json');
const readAuthJson = (h: Harness): Record<string, unknown> => JSON.parse(readFileSync(authJsonPath(h), 'utf8')) as Record<string, unknown>;

/** The notifications of `method` received after `after` (a response), in order. */
const notificationsAfter = (client: RpcClient, after: Message, method: string): Message[] =>
  client.received.slice(client.received.indexOf(after) + 1).filter((m) => m.method === method);

const waitForNotification = (client: RpcClient, method: string, match: (params: Record<string, unknown>) => boolean = () => true): Promise<Message> =>
  client.waitFor((m) => m.method === method && match(m.params as Record<string, unknown>));

/** Asserts no secret appears anywhere under CODEX_HOME but auth.json, nor in the server's stderr. */
const expectNoLeaks = (h: Harness, secrets: readonly string[]): void => {
  expect(filesLeakingSecrets(h.codexHome, secrets, ['auth.json'], h.server.stderr)).to.deep.equal([]);
};

describe('account/read', () => {
  it('reports no account, with OpenAI auth required by the default provider', async () => {
    const h = await start();
    expect((await h.client.request('account/read', {})).result).to.deep.equal({ account: null, requiresOpenaiAuth: true });
  });

  it('never reports an account for a provider that does not need OpenAI auth', async () => {
    const h = await start({ config: 'model_provider = "mock"\n[model_providers.mock]\nname = "m"\nbase_url = "http://127.0.0.1:9/v1"\nrequires_openai_auth = false\n' });
    await h.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-unused' });
    expect((await h.client.request('account/read', {})).result).to.deep.equal({ account: null, requiresOpenaiAuth: false });
  });
});

describe('account/login/start (apiKey)', () => {
  it('stores the key in auth.json (reference format, mode 0600) and announces the login after the response', async () => {
    const h = await start();
    const response = await h.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-spec-key-1' });
    expect(response.result).to.deep.equal({ type: 'apiKey' });
    await waitForNotification(h.client, 'account/updated');
    expect(notificationsAfter(h.client, response, 'account/login/completed').map((m) => m.params)).to.deep.equal([{ loginId: null, success: true, error: null }]);
    expect(notificationsAfter(h.client, response, 'account/updated').map((m) => m.params)).to.deep.equal([{ authMode: 'apikey' }]);
    expect(readFileSync(authJsonPath(h), 'utf8')).to.equal('{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-spec-key-1"\n}');
    expect(statSync(authJsonPath(h)).mode & 0o777).to.equal(0o600);
    expect((await h.client.request('account/read', {})).result).to.deep.equal({ account: { type: 'apiKey' }, requiresOpenaiAuth: true });
    expectNoLeaks(h, ['sk-spec-key-1']);
  });

  it('refuses an empty key with -32602 and changes nothing', async () => {
    const h = await start();
    for (const apiKey of ['', '   ']) {
      const answer = await h.client.request('account/login/start', { type: 'apiKey', apiKey });
      expect(answer.error).to.deep.include({ code: -32602, message: 'Invalid params: params.apiKey: must not be empty' });
    }
    expect(existsSync(authJsonPath(h))).to.equal(false);
    expect(h.client.received.some((m) => m.method === 'account/login/completed' || m.method === 'account/updated')).to.equal(false);
  });

  it('answers pipelined account requests in order, each seeing the one before', async () => {
    const h = await start();
    const [login, read, logout, readAgain] = await Promise.all([
      h.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-spec-key-2' }),
      h.client.request('account/read', {}),
      h.client.request('account/logout'),
      h.client.request('account/read', {}),
    ]);
    const order = [login, read, logout, readAgain].map((m) => h.client.received.indexOf(m));
    expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    expect(read.result).to.deep.equal({ account: { type: 'apiKey' }, requiresOpenaiAuth: true });
    expect(readAgain.result).to.deep.equal({ account: null, requiresOpenaiAuth: true });
    expect(existsSync(authJsonPath(h))).to.equal(false);
  });

  it('is refused when config forces ChatGPT login', async () => {
    const h = await start({ config: 'forced_login_method = "chatgpt"\n' });
    const answer = await h.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-refused' });
    expect(answer.error).to.deep.equal({ code: -32600, message: 'API key login is disabled. Use ChatGPT login instead.', data: { kind: 'loginMethodDisabled' } });
    expect(existsSync(authJsonPath(h))).to.equal(false);
  });
});

describe('account/login/start (chatgptAuthTokens)', () => {
  const token = chatgptJwt({ email: 'ext@example.com', plan: 'business', accountId: 'ws-ext', unique: 'external-token-1' });
  const params = { type: 'chatgptAuthTokens', accessToken: token, chatgptAccountId: 'ws-ext', chatgptPlanType: null };

  it('requires the experimental API', async () => {
    const h = await start();
    const answer = await h.client.request('account/login/start', params);
    expect(answer.error).to.deep.equal({
      code: -32600,
      message: 'account/login/start.chatgptAuthTokens requires experimentalApi capability',
      data: { kind: 'experimentalApiRequired' },
    });
  });

  it('keeps the tokens in memory only, announces the login, and reports the ChatGPT account', async () => {
    const h = await start({ experimental: true });
    const response = await h.client.request('account/login/start', params);
    expect(response.result).to.deep.equal({ type: 'chatgptAuthTokens' });
    await waitForNotification(h.client, 'account/updated');
    expect(notificationsAfter(h.client, response, 'account/login/completed').map((m) => m.params)).to.deep.equal([{ loginId: null, success: true, error: null }]);
    expect(notificationsAfter(h.client, response, 'account/updated').map((m) => m.params)).to.deep.equal([{ authMode: 'chatgptAuthTokens' }]);
    expect((await h.client.request('account/read', { refreshToken: true })).result).to.deep.equal({
      account: { type: 'chatgpt', email: 'ext@example.com', planType: 'business' },
      requiresOpenaiAuth: true,
    });
    expect(h.client.received.filter((m) => m.method === 'account/chatgptAuthTokens/refresh')).to.deep.equal([]);
    expect(existsSync(authJsonPath(h))).to.equal(false);
    expectNoLeaks(h, [token]);
  });

  it('blocks API-key and ChatGPT logins while active; logout clears it', async () => {
    const h = await start({ experimental: true });
    await h.client.request('account/login/start', params);
    const refusal = {
      code: -32600,
      message: 'External auth is active. Use account/login/start (chatgptAuthTokens) to update it or account/logout to clear it.',
      data: { kind: 'externalAuthActive' },
    };
    expect((await h.client.request('account/login/start', { type: 'chatgpt' })).error).to.deep.equal(refusal);
    expect((await h.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-x' })).error).to.deep.equal(refusal);

    const logout = await h.client.request('account/logout');
    expect(logout.result).to.deep.equal({});
    await h.client.waitFor((m) => m.method === 'account/updated' && h.client.received.indexOf(m) > h.client.received.indexOf(logout));
    expect(notificationsAfter(h.client, logout, 'account/updated').map((m) => m.params)).to.deep.equal([{ authMode: null }]);
    expect((await h.client.request('account/read', {})).result).to.deep.equal({ account: null, requiresOpenaiAuth: true });
    expect((await h.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-after' })).result).to.deep.equal({ type: 'apiKey' });
  });

  it('refuses a workspace other than the forced one', async () => {
    const h = await start({ experimental: true, config: 'forced_chatgpt_workspace_id = "ws-required"\n' });
    const answer = await h.client.request('account/login/start', params);
    expect(answer.error).to.deep.equal({
      code: -32600,
      message: 'External auth must use workspace ws-required, but received "ws-ext".',
      data: { kind: 'workspaceMismatch' },
    });
    expect((await h.client.request('account/read', {})).result).to.deep.equal({ account: null, requiresOpenaiAuth: true });
  });

  it('refuses an access token that is not a JWT, without echoing it', async () => {
    const h = await start({ experimental: true });
    const answer = await h.client.request('account/login/start', { ...params, accessToken: 'opaque-secret-token' });
    expect(answer.error).to.deep.equal({
      code: -32603,
      message: 'failed to set external auth: the access token is not a JWT with a readable payload',
      data: { kind: 'invalidExternalAuth' },
    });
    expectNoLeaks(h, ['opaque-secret-token']);
  });

  it('is refused when config forces API-key login', async () => {
    const h = await start({ experimental: true, config: 'forced_login_method = "api"\n' });
    expect((await h.client.request('account/login/start', params)).error).to.deep.equal({
      code: -32600,
      message: 'External ChatGPT auth is disabled. Use API key login instead.',
      data: { kind: 'loginMethodDisabled' },
    });
    expect((await h.client.request('account/login/start', { type: 'chatgpt' })).error).to.deep.equal({
      code: -32600,
      message: 'ChatGPT login is disabled. Use API key login instead.',
      data: { kind: 'loginMethodDisabled' },
    });
  });
});

describe('account/login/start (chatgpt browser login)', () => {
  let endpoint: TokenEndpoint;
  const idToken = chatgptJwt({ email: 'dev@example.com', plan: 'plus', accountId: 'ws-1', unique: 'browser-id-token' });
  const tokens = { id_token: idToken, access_token: 'browser-access-token', refresh_token: 'browser-refresh-token' };

  beforeEach(async () => (endpoint = await TokenEndpoint.start({ code: tokens, apiKey: 'sk-exchanged-key' })));
  afterEach(() => endpoint.close());

  const startLogin = async (h: Harness): Promise<{ response: Message; loginId: string; authUrl: URL }> => {
    const response = await h.client.request('account/login/start', { type: 'chatgpt' });
    const result = response.result as { type: string; loginId: string; authUrl: string };
    expect(result.type).to.equal('chatgpt');
    return { response, loginId: result.loginId, authUrl: new URL(result.authUrl) };
  };

  /** Comes back from the issuer the way a browser would: GET the redirect URI with code and state. */
  const browserReturns = (authUrl: URL, query: Record<string, string>): Promise<Response> => {
    const redirect = new URL(authUrl.searchParams.get('redirect_uri')!);
    return fetch(`http://127.0.0.1:${redirect.port}${redirect.pathname}?${new URLSearchParams(query)}`);
  };

  it('logs in through the local callback and the token endpoint, storing the tokens in auth.json', async () => {
    const h = await start({ env: { RXAGENT_AUTH_ISSUER: endpoint.issuer } });
    const { loginId, authUrl } = await startLogin(h);
    expect(loginId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(authUrl.origin + authUrl.pathname).to.equal(`${endpoint.issuer}/oauth/authorize`);
    expect(authUrl.searchParams.get('originator')).to.equal('spec_ide');
    expect(authUrl.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(authUrl.searchParams.get('redirect_uri')).to.match(/^http:\/\/localhost:\d+\/auth\/callback$/);

    const page = await browserReturns(authUrl, { code: 'browser-code', state: authUrl.searchParams.get('state')! });
    expect(page.status).to.equal(200);
    const completed = await waitForNotification(h.client, 'account/login/completed');
    expect(completed.params).to.deep.equal({ loginId, success: true, error: null });
    const updated = await waitForNotification(h.client, 'account/updated');
    expect(updated.params).to.deep.equal({ authMode: 'chatgpt' });
    expect(h.client.received.indexOf(updated)).to.be.greaterThan(h.client.received.indexOf(completed));

    const file = readAuthJson(h);
    expect(Object.keys(file)).to.deep.equal(['auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh']);
    expect(file).to.deep.include({
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: 'sk-exchanged-key',
      tokens: { id_token: idToken, access_token: 'browser-access-token', refresh_token: 'browser-refresh-token', account_id: 'ws-1' },
    });
    expect(statSync(authJsonPath(h)).mode & 0o777).to.equal(0o600);
    expect((await h.client.request('account/read', {})).result).to.deep.equal({
      account: { type: 'chatgpt', email: 'dev@example.com', planType: 'plus' },
      requiresOpenaiAuth: true,
    });
    expectNoLeaks(h, [idToken, 'browser-access-token', 'browser-refresh-token', 'sk-exchanged-key', 'browser-code']);
  });

  it('refreshes the managed tokens on account/read with refreshToken: true', async () => {
    const refreshedId = chatgptJwt({ email: 'dev@example.com', plan: 'pro', accountId: 'ws-1', unique: 'refreshed-id' });
    endpoint.script.refresh = { id_token: refreshedId, access_token: 'refreshed-access-token' };
    const h = await start({ env: { RXAGENT_AUTH_ISSUER: endpoint.issuer } });
    const { authUrl } = await startLogin(h);
    await browserReturns(authUrl, { code: 'c', state: authUrl.searchParams.get('state')! });
    await waitForNotification(h.client, 'account/updated');
    const read = await h.client.request('account/read', { refreshToken: true });
    expect(read.result).to.deep.equal({ account: { type: 'chatgpt', email: 'dev@example.com', planType: 'pro' }, requiresOpenaiAuth: true });
    expect(endpoint.grants('refresh_token')[0]!.fields.refresh_token).to.equal('browser-refresh-token');
    expect(readAuthJson(h).tokens).to.deep.include({ access_token: 'refreshed-access-token', refresh_token: 'browser-refresh-token' });
    expectNoLeaks(h, [refreshedId, 'refreshed-access-token', 'browser-refresh-token']);
  });

  it('is canceled by login id: the response first, then a failed account/login/completed', async () => {
    const h = await start({ env: { RXAGENT_AUTH_ISSUER: endpoint.issuer } });
    const { loginId, authUrl } = await startLogin(h);
    const cancel = await h.client.request('account/login/cancel', { loginId });
    expect(cancel.result).to.deep.equal({ status: 'canceled' });
    const completed = await waitForNotification(h.client, 'account/login/completed');
    expect(completed.params).to.deep.equal({ loginId, success: false, error: 'Login server error: Login was not completed' });
    expect(h.client.received.indexOf(completed)).to.be.greaterThan(h.client.received.indexOf(cancel));
    await browserReturns(authUrl, { code: 'c', state: authUrl.searchParams.get('state')! }).then(
      () => expect.fail('the callback server should be gone'),
      () => undefined,
    );
    expect((await h.client.request('account/login/cancel', { loginId })).result).to.deep.equal({ status: 'notFound' });
    expect((await h.client.request('account/login/cancel', { loginId: 'not-a-uuid' })).error).to.deep.equal({
      code: -32600,
      message: 'invalid login id: not-a-uuid',
      data: { kind: 'invalidLoginId' },
    });
    expect(h.client.received.filter((m) => m.method === 'account/updated')).to.deep.equal([]);
    expect(existsSync(authJsonPath(h))).to.equal(false);
  });

  it('replaces a running login with a new one on the same port', async () => {
    const port = await freePort();
    const h = await start({ env: { RXAGENT_AUTH_ISSUER: endpoint.issuer, RXAGENT_LOGIN_PORT: String(port) } });
    const first = await startLogin(h);
    const second = await startLogin(h);
    const failed = await waitForNotification(h.client, 'account/login/completed');
    expect(failed.params).to.deep.equal({ loginId: first.loginId, success: false, error: 'Login server error: Login was not completed' });
    expect(h.client.received.indexOf(failed)).to.be.greaterThan(h.client.received.indexOf(second.response));
    expect(second.authUrl.searchParams.get('redirect_uri')).to.equal(`http://localhost:${port}/auth/callback`);
    await browserReturns(second.authUrl, { code: 'c', state: second.authUrl.searchParams.get('state')! });
    const done = await waitForNotification(h.client, 'account/login/completed', (p) => p.loginId === second.loginId);
    expect(done.params).to.deep.include({ success: true });
  });

  it('refuses tokens for another workspace than the forced one, and asks the issuer for that workspace only', async () => {
    const h = await start({ env: { RXAGENT_AUTH_ISSUER: endpoint.issuer }, config: 'forced_chatgpt_workspace_id = "ws-required"\n' });
    const { loginId, authUrl } = await startLogin(h);
    expect(authUrl.searchParams.get('allowed_workspace_id')).to.equal('ws-required');
    await browserReturns(authUrl, { code: 'c', state: authUrl.searchParams.get('state')! });
    const completed = await waitForNotification(h.client, 'account/login/completed');
    expect(completed.params).to.deep.equal({ loginId, success: false, error: 'Login server error: Login is restricted to workspace id ws-required.' });
    expect(existsSync(authJsonPath(h))).to.equal(false);
  });

  it('reports the stopped login after the error of a refused request that stopped it', async () => {
    const h = await start({ experimental: true, env: { RXAGENT_AUTH_ISSUER: endpoint.issuer }, config: 'forced_chatgpt_workspace_id = "ws-required"\n' });
    const { loginId } = await startLogin(h);
    const refused = await h.client.request('account/login/start', { type: 'chatgptAuthTokens', accessToken: chatgptJwt({}), chatgptAccountId: 'ws-other' });
    expect(refused.error).to.deep.include({ code: -32600 });
    const completed = await waitForNotification(h.client, 'account/login/completed');
    expect(completed.params).to.deep.equal({ loginId, success: false, error: 'Login server error: Login was not completed' });
    expect(h.client.received.indexOf(completed)).to.be.greaterThan(h.client.received.indexOf(refused));
  });

  it('reports a failed token exchange', async () => {
    endpoint.script.code = { status: 400, body: { error: 'invalid_grant', error_description: 'code expired' } };
    const h = await start({ env: { RXAGENT_AUTH_ISSUER: endpoint.issuer } });
    const { loginId, authUrl } = await startLogin(h);
    await browserReturns(authUrl, { code: 'expired-code', state: authUrl.searchParams.get('state')! });
    const completed = await waitForNotification(h.client, 'account/login/completed');
    expect(completed.params).to.deep.equal({
      loginId,
      success: false,
      error: 'Login server error: Token exchange failed: token endpoint returned status 400: invalid_grant: code expired',
    });
  });

  it('logout deletes auth.json and stops a running login', async () => {
    const h = await start({ env: { RXAGENT_AUTH_ISSUER: endpoint.issuer } });
    await h.client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-before-logout' });
    const { loginId } = await startLogin(h);
    const logout = await h.client.request('account/logout');
    expect(logout.result).to.deep.equal({});
    const updated = await h.client.waitFor((m) => m.method === 'account/updated' && h.client.received.indexOf(m) > h.client.received.indexOf(logout));
    expect(updated.params).to.deep.equal({ authMode: null });
    expect(notificationsAfter(h.client, logout, 'account/login/completed').map((m) => m.params)).to.deep.equal([
      { loginId, success: false, error: 'Login server error: Login was not completed' },
    ]);
    expect(existsSync(authJsonPath(h))).to.equal(false);
  });
});

describe('secrets', () => {
  it('appear nowhere under CODEX_HOME but auth.json, nor in the server log, after every kind of login', async () => {
    const endpoint = await TokenEndpoint.start({
      code: { id_token: chatgptJwt({ unique: 'scan-id' }), access_token: 'scan-access-token', refresh_token: 'scan-refresh-token' },
      apiKey: 'sk-scan-exchanged',
      refresh: { access_token: 'scan-refreshed-access-token' },
    });
    try {
      const external = chatgptJwt({ unique: 'scan-external' });
      const secrets = ['sk-scan-api-key', 'scan-access-token', 'scan-refresh-token', 'sk-scan-exchanged', 'scan-refreshed-access-token', 'scan-code', external, 'not-a-jwt-secret'];
      const h = await start({ experimental: true, env: { RXAGENT_AUTH_ISSUER: endpoint.issuer, RXAGENT_LOG: 'debug' } });
      const { client } = h;
      await client.request('account/login/start', { type: 'apiKey', apiKey: 'sk-scan-api-key' });
      const started = (await client.request('account/login/start', { type: 'chatgpt' })).result as { authUrl: string; loginId: string };
      const authUrl = new URL(started.authUrl);
      const redirect = new URL(authUrl.searchParams.get('redirect_uri')!);
      await fetch(`http://127.0.0.1:${redirect.port}/auth/callback?code=scan-code&state=forged`);
      await fetch(`http://127.0.0.1:${redirect.port}/auth/callback?code=scan-code&state=${authUrl.searchParams.get('state')}`);
      await waitForNotification(client, 'account/login/completed', (p) => p.loginId === started.loginId);
      await client.request('account/read', { refreshToken: true });
      await client.request('account/login/start', { type: 'chatgptAuthTokens', accessToken: 'not-a-jwt-secret', chatgptAccountId: 'ws-1' });
      await client.request('account/login/start', { type: 'chatgptAuthTokens', accessToken: external, chatgptAccountId: 'ws-1' });
      await client.request('account/read', {});
      expect(readFileSync(authJsonPath(h), 'utf8')).to.include('scan-refreshed-access-token');
      client.close();
      await h.server.exited;
      expect(h.server.stderr).to.include('DEBUG');
      expectNoLeaks(h, secrets);
    } finally {
      await endpoint.close();
    }
  });
});
