import { expect } from 'chai';
import { LoginFailed, startChatgptLogin, type ChatgptLogin, type ChatgptLoginOptions, type LoginTokens } from '../../../lib/auth/chatgptLogin.js';
import { CLIENT_ID } from '../../../lib/auth/oauth.js';
import { chatgptJwt, occupyPort, s256, TokenEndpoint } from './authStandIns.js';

const failureOf = async (login: ChatgptLogin): Promise<string> => {
  try {
    await login.done;
  } catch (err) {
    expect(err).to.be.instanceOf(LoginFailed);
    return (err as Error).message;
  }
  throw new Error('the login succeeded');
};

/** GETs the callback the way a browser coming back from the issuer would. */
const callback = (login: ChatgptLogin, query: Record<string, string>): Promise<Response> =>
  fetch(`http://127.0.0.1:${login.port}/auth/callback?${new URLSearchParams(query)}`);

describe('startChatgptLogin (browser login)', () => {
  let endpoint: TokenEndpoint;
  let login: ChatgptLogin | undefined;
  const idToken = chatgptJwt({ email: 'dev@example.com', accountId: 'ws-1', unique: 'id' });
  const tokens = { id_token: idToken, access_token: 'access-1', refresh_token: 'refresh-1' };

  const start = async (overrides: Partial<ChatgptLoginOptions> = {}): Promise<{ login: ChatgptLogin; persisted: LoginTokens[] }> => {
    const persisted: LoginTokens[] = [];
    login = await startChatgptLogin({
      issuer: endpoint.issuer,
      originator: 'spec_client',
      port: 0,
      forcedWorkspaceId: null,
      persist: async (t) => void persisted.push(t),
      ...overrides,
    });
    return { login, persisted };
  };

  beforeEach(async () => (endpoint = await TokenEndpoint.start({ code: tokens, apiKey: 'sk-exchanged' })));
  afterEach(async () => {
    login?.cancel();
    login = undefined;
    await endpoint.close();
  });

  it('exchanges the code with its PKCE verifier, persists the tokens and completes', async () => {
    const { login, persisted } = await start();
    const url = new URL(login.authUrl);
    expect(url.origin + url.pathname).to.equal(`${endpoint.issuer}/oauth/authorize`);
    expect(url.searchParams.get('originator')).to.equal('spec_client');
    expect(url.searchParams.get('redirect_uri')).to.equal(`http://localhost:${login.port}/auth/callback`);

    const page = await callback(login, { code: 'the-code', state: url.searchParams.get('state')! });
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include('Signed in');
    await login.done;

    const [exchange] = endpoint.grants('authorization_code');
    expect(exchange!.contentType).to.equal('application/x-www-form-urlencoded');
    expect(exchange!.fields).to.include({ code: 'the-code', client_id: CLIENT_ID, redirect_uri: url.searchParams.get('redirect_uri') });
    expect(s256(exchange!.fields.code_verifier!)).to.equal(url.searchParams.get('code_challenge'));
    expect(endpoint.grants('urn:ietf:params:oauth:grant-type:token-exchange')[0]!.fields).to.include({ subject_token: idToken, requested_token: 'openai-api-key' });
    expect(persisted).to.deep.equal([{ idToken, accessToken: 'access-1', refreshToken: 'refresh-1', apiKey: 'sk-exchanged' }]);
    await fetch(`http://127.0.0.1:${login.port}/`).then(
      () => expect.fail('the callback server should be closed'),
      () => undefined,
    );
  });

  it('completes without an API key when the token exchange is refused', async () => {
    endpoint.script.apiKey = null;
    const { login, persisted } = await start();
    await callback(login, { code: 'c', state: new URL(login.authUrl).searchParams.get('state')! });
    await login.done;
    expect(persisted[0]!.apiKey).to.equal(null);
  });

  it('refuses a callback with the wrong state and keeps waiting', async () => {
    const { login, persisted } = await start();
    const page = await callback(login, { code: 'c', state: 'forged' });
    expect(page.status).to.equal(400);
    expect(await page.text()).to.equal('State mismatch');
    expect(endpoint.requests).to.deep.equal([]);
    expect(login.cancel()).to.equal(true);
    expect(login.cancel()).to.equal(false);
    expect(await failureOf(login)).to.equal('Login was not completed');
    expect(persisted).to.deep.equal([]);
  });

  it('ends when another login asks it to through /cancel', async () => {
    const { login } = await start();
    const page = await fetch(`http://127.0.0.1:${login.port}/cancel`);
    expect(await page.text()).to.equal('Login cancelled');
    expect(await failureOf(login)).to.equal('Login cancelled');
  });

  it('restricts the login to the forced workspace: in the authorize URL and on the tokens', async () => {
    const { login, persisted } = await start({ forcedWorkspaceId: 'ws-other' });
    const url = new URL(login.authUrl);
    expect(url.searchParams.get('allowed_workspace_id')).to.equal('ws-other');
    const page = await callback(login, { code: 'c', state: url.searchParams.get('state')! });
    expect(await page.text()).to.include('Login is restricted to workspace id ws-other.');
    expect(await failureOf(login)).to.equal('Login is restricted to workspace id ws-other.');
    expect(persisted).to.deep.equal([]);
  });

  it('fails with the token endpoint error, which never carries the code', async () => {
    endpoint.script.code = { status: 400, body: { error: 'invalid_grant', error_description: 'code expired' } };
    const { login } = await start();
    await callback(login, { code: 'secret-code', state: new URL(login.authUrl).searchParams.get('state')! });
    const message = await failureOf(login);
    expect(message).to.equal('Token exchange failed: token endpoint returned status 400: invalid_grant: code expired');
  });

  it('fails when the issuer reports an error in the callback', async () => {
    const { login } = await start();
    await callback(login, { error: 'access_denied', state: new URL(login.authUrl).searchParams.get('state')! });
    expect(await failureOf(login)).to.equal('Sign-in failed: access_denied');
  });

  it('fails when saving the tokens fails', async () => {
    const { login } = await start({ persist: () => Promise.reject(new Error('disk full')) });
    await callback(login, { code: 'c', state: new URL(login.authUrl).searchParams.get('state')! });
    expect(await failureOf(login)).to.equal('Sign-in completed but credentials could not be saved locally: disk full');
  });

  it('lets a cancel that comes while the tokens wait to be saved win', async () => {
    let saved = false;
    const { login } = await start({
      persist: async (_tokens, isCurrent) => {
        login.cancel();
        if (!isCurrent()) throw new Error('the login was canceled');
        saved = true;
      },
    });
    const page = await callback(login, { code: 'c', state: new URL(login.authUrl).searchParams.get('state')! });
    expect(page.status).to.equal(410);
    expect(await failureOf(login)).to.equal('Login was not completed');
    expect(saved).to.equal(false);
  });

  it('times out', async () => {
    const { login } = await start({ timeoutMs: 1 });
    expect(await failureOf(login)).to.equal('Login timed out');
  });

  it('moves to a free port when the preferred one is taken', async () => {
    const busy = await occupyPort();
    try {
      const { login } = await start({ port: busy.port });
      expect(login.port).not.to.equal(busy.port);
      expect(new URL(login.authUrl).searchParams.get('redirect_uri')).to.equal(`http://localhost:${login.port}/auth/callback`);
    } finally {
      await busy.release();
    }
  });
});
