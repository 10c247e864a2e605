import { NEVER } from 'rxjs';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { VirtualTimeScheduler } from 'rxjs';
import { AuthManager, AuthRefreshError, IncompleteAccountError, type AuthManagerDeps } from '../../../lib/auth/authManager.js';
import { authFile } from '../../../lib/auth/authStore.js';
import type { AuthSettings } from '../../../lib/auth/userConfig.js';
import { ConnectionSession } from '../../../lib/server/connectionSession.js';
import { ServerRequests } from '../../../lib/server/serverRequests.js';
import type { Connection } from '../../../lib/transport/connection.js';
import { assertValidServerMessage } from '../../support/schemaValidator.js';
import { chatgptJwt, TokenEndpoint } from './authStandIns.js';

const SETTINGS: AuthSettings = { forcedLoginMethod: null, forcedChatgptWorkspaceId: null, requiresOpenaiAuth: true, chatgptBaseUrl: 'http://unused/' };

/** A connection that records what the server sends it. */
const fakeSession = (id: number, initialized: boolean): ConnectionSession & { frames: Array<Record<string, unknown>> } => {
  const frames: Array<Record<string, unknown>> = [];
  // Never closes: the server request waits for its answer (or the timeout) as with a live client.
  const connection = { id, kind: 'websocket', closed$: NEVER, send: (frame: string) => frames.push(JSON.parse(frame) as Record<string, unknown>) } as unknown as Connection;
  const session = Object.assign(new ConnectionSession(connection), { frames });
  session.initialized = initialized;
  return session;
};

describe('AuthManager', () => {
  let home: string;
  let settings: AuthSettings;
  let requests: ServerRequests;
  let sessions: Array<ReturnType<typeof fakeSession>>;

  const manager = (deps: Partial<AuthManagerDeps> = {}): AuthManager =>
    new AuthManager({
      codexHome: home,
      env: {},
      settings: () => settings,
      // what serverAuth wires up: a broadcast to the initialized connections
      requestRefresh: (params) => requests.request(sessions.filter((s) => s.initialized), 'account/chatgptAuthTokens/refresh', params),
      ...deps,
    });

  /** The refresh request frames the clients got, checked against the reference schema. */
  const refreshFrames = (session: ReturnType<typeof fakeSession>): Array<Record<string, unknown>> =>
    session.frames.filter((frame) => {
      assertValidServerMessage(frame, new Map());
      return frame.method === 'account/chatgptAuthTokens/refresh';
    });

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'rxagent-authmanager-'));
    settings = SETTINGS;
    requests = new ServerRequests();
    sessions = [fakeSession(1, true), fakeSession(2, true), fakeSession(3, false)];
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  describe('modes and credentials', () => {
    it('is signed out without auth.json or external tokens', () => {
      const auth = manager();
      expect(auth.mode()).to.equal(null);
      expect(auth.current()).to.equal(undefined);
      expect(auth.account()).to.equal(null);
    });

    it('uses a stored API key', async () => {
      const auth = manager();
      await auth.saveApiKey('sk-stored');
      expect(auth.mode()).to.equal('apikey');
      expect(auth.current()!.headers()).to.deep.equal({ Authorization: 'Bearer sk-stored' });
      expect(auth.account()).to.deep.equal({ type: 'apiKey' });
    });

    it('uses stored ChatGPT tokens with their workspace header', async () => {
      const auth = manager();
      await auth.saveChatgptTokens({ idToken: chatgptJwt({ email: 'a@b.c', plan: 'team', accountId: 'ws-7' }), accessToken: 'at', refreshToken: 'rt', apiKey: null });
      expect(auth.mode()).to.equal('chatgpt');
      expect(auth.current()!.headers()).to.deep.equal({ Authorization: 'Bearer at', 'ChatGPT-Account-ID': 'ws-7' });
      expect(auth.account()).to.deep.equal({ type: 'chatgpt', email: 'a@b.c', planType: 'team' });
      const file = JSON.parse(readFileSync(authFile(home), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(file)).to.deep.equal(['auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh']);
      expect(file.tokens).to.deep.include({ access_token: 'at', refresh_token: 'rt', account_id: 'ws-7' });
    });

    it('prefers external tokens over stored credentials, and logout clears both', async () => {
      const auth = manager();
      await auth.saveApiKey('sk-stored');
      auth.setExternal(chatgptJwt({ email: 'x@y.z', plan: 'free', unique: 'ext' }), 'ws-ext', null);
      expect(auth.mode()).to.equal('chatgptAuthTokens');
      expect(auth.current()!.accountId).to.equal('ws-ext');
      expect(auth.account()).to.deep.equal({ type: 'chatgpt', email: 'x@y.z', planType: 'free' });
      expect(await auth.logout()).to.equal(null);
      expect(auth.current()).to.equal(undefined);
    });

    it('takes the external plan from the params, else the claim, else unknown', () => {
      const auth = manager();
      auth.setExternal(chatgptJwt({ plan: 'free' }), 'ws', 'Pro');
      expect(auth.account()).to.include({ planType: 'pro' });
      auth.setExternal(chatgptJwt({ plan: null }), 'ws', null);
      expect(auth.account()).to.include({ planType: 'unknown' });
    });

    it('reports ChatGPT auth without an email as incomplete', () => {
      const auth = manager();
      auth.setExternal(chatgptJwt({ email: null }), 'ws', null);
      expect(() => auth.account()).to.throw(IncompleteAccountError, 'email and plan type are required for chatgpt authentication');
    });

    it('never shows a token when credentials are logged', () => {
      const auth = manager();
      auth.setExternal(chatgptJwt({ unique: 'tok' }), 'ws', null);
      const creds = auth.current()!;
      const secret = creds.headers().Authorization!.slice('Bearer '.length);
      expect(JSON.stringify({ creds })).not.to.include(secret);
      expect(inspect(creds, { showHidden: true, depth: 5 })).not.to.include(secret);
      expect(inspect(auth, { showHidden: true, depth: 5 })).not.to.include(secret);
    });

    it('ignores an unusable auth.json', () => {
      writeFileSync(authFile(home), 'not json');
      expect(manager().mode()).to.equal(null);
    });
  });

  describe('refreshExternal (account/chatgptAuthTokens/refresh)', () => {
    const fresh = chatgptJwt({ email: 'new@b.c', plan: 'plus', accountId: 'ws-1', unique: 'fresh' });

    it('asks every initialized connection, and activates the tokens the first answer brings', async () => {
      const auth = manager();
      auth.setExternal(chatgptJwt({ accountId: 'ws-1', unique: 'old' }), 'ws-1', null);
      const refreshed = auth.refreshExternal('unauthorized', 'ws-1');
      const [frame] = refreshFrames(sessions[0]!);
      expect(frame).to.deep.include({ method: 'account/chatgptAuthTokens/refresh', params: { reason: 'unauthorized', previousAccountId: 'ws-1' } });
      expect(refreshFrames(sessions[1]!)).to.deep.equal([frame]);
      expect(sessions[2]!.frames).to.deep.equal([]);
      requests.settle(frame!.id as number, { result: { accessToken: fresh, chatgptAccountId: 'ws-1', chatgptPlanType: null } });
      const creds = await refreshed;
      expect(creds.headers()).to.deep.equal({ Authorization: `Bearer ${fresh}`, 'ChatGPT-Account-ID': 'ws-1' });
      expect(auth.current()!.headers()).to.deep.equal(creds.headers());
      expect(auth.account()).to.deep.equal({ type: 'chatgpt', email: 'new@b.c', planType: 'plus' });
      expect(requests.settle(frame!.id as number, { result: {} })).to.equal(false);
    });

    it('shares one request between concurrent callers', async () => {
      const auth = manager();
      auth.setExternal(chatgptJwt({}), 'ws-1', null);
      const both = [auth.refreshExternal('unauthorized', 'ws-1'), auth.refreshExternal('unauthorized', 'ws-1')];
      const frames = refreshFrames(sessions[0]!);
      expect(frames).to.have.length(1);
      requests.settle(frames[0]!.id as number, { result: { accessToken: fresh, chatgptAccountId: 'ws-1' } });
      const [a, b] = await Promise.all(both);
      expect(a!.headers()).to.deep.equal(b!.headers());
    });

    const rejection = async (promise: Promise<unknown>): Promise<AuthRefreshError> => {
      try {
        await promise;
      } catch (err) {
        expect(err).to.be.instanceOf(AuthRefreshError);
        return err as AuthRefreshError;
      }
      throw new Error('expected the refresh to fail');
    };

    it('fails when the client answers with an error, keeping the old tokens', async () => {
      const auth = manager();
      auth.setExternal(chatgptJwt({ unique: 'keep' }), 'ws-1', null);
      const before = auth.current()!.headers();
      const refreshed = auth.refreshExternal('unauthorized', 'ws-1');
      requests.settle(refreshFrames(sessions[0]!)[0]!.id as number, { error: { code: -32000, message: 'user is signed out' } });
      const error = await rejection(refreshed);
      expect(error.kind).to.equal('canceled');
      expect(error.message).to.equal('auth refresh request canceled: client answered with error -32000: user is signed out');
      expect(auth.current()!.headers()).to.deep.equal(before);
    });

    it('times out when no client answers, and forgets the request', async () => {
      const auth = manager({ refreshTimeoutMs: 20 });
      auth.setExternal(chatgptJwt({}), 'ws-1', null);
      const error = await rejection(auth.refreshExternal('unauthorized', null));
      expect(error.kind).to.equal('timeout');
      expect(error.message).to.equal('auth refresh request timed out after 20ms');
      expect(requests.size).to.equal(0);
    });

    it('waits 10 s by default, as the reference does', async () => {
      const scheduler = new VirtualTimeScheduler();
      const auth = manager({ scheduler });
      auth.setExternal(chatgptJwt({}), 'ws-1', null);
      const refreshed = auth.refreshExternal('unauthorized', null);
      scheduler.flush();
      const error = await rejection(refreshed);
      expect(error.message).to.equal('auth refresh request timed out after 10s');
      expect(scheduler.frame).to.equal(10_000);
    });

    it('fails at once when no connection can answer', async () => {
      sessions = [];
      const auth = manager();
      auth.setExternal(chatgptJwt({}), 'ws-1', null);
      const error = await rejection(auth.refreshExternal('unauthorized', null));
      expect(error.kind).to.equal('canceled');
      expect(error.message).to.match(/^auth refresh request canceled: no connected client/);
    });

    it('refuses tokens for another workspace than the forced one', async () => {
      settings = { ...SETTINGS, forcedChatgptWorkspaceId: 'ws-1' };
      const auth = manager();
      auth.setExternal(chatgptJwt({ unique: 'keep' }), 'ws-1', null);
      const before = auth.current()!.headers();
      const refreshed = auth.refreshExternal('unauthorized', 'ws-1');
      requests.settle(refreshFrames(sessions[0]!)[0]!.id as number, { result: { accessToken: fresh, chatgptAccountId: 'ws-2' } });
      const error = await rejection(refreshed);
      expect(error.kind).to.equal('workspaceMismatch');
      expect(error.message).to.equal('external auth refresh returned workspace "ws-2", expected "ws-1"');
      expect(auth.current()!.headers()).to.deep.equal(before);
    });

    it('refuses an answer that is malformed or whose token is not a JWT, without quoting the token', async () => {
      const auth = manager();
      auth.setExternal(chatgptJwt({}), 'ws-1', null);
      let refreshed = auth.refreshExternal('unauthorized', 'ws-1');
      requests.settle(refreshFrames(sessions[0]!)[0]!.id as number, { result: { accessToken: 'opaque-secret', chatgptAccountId: 'ws-1' } });
      let error = await rejection(refreshed);
      expect(error.kind).to.equal('invalidResponse');
      expect(error.message).to.equal('auth refresh response is invalid: the access token is not a JWT with a readable payload');
      refreshed = auth.refreshExternal('unauthorized', 'ws-1');
      requests.settle(refreshFrames(sessions[0]!)[1]!.id as number, { result: { chatgptAccountId: 'ws-1' } });
      error = await rejection(refreshed);
      expect(error.message).to.equal('auth refresh response is invalid: result.accessToken: missing required field');
    });

    it('does not resurrect tokens the client logged out of while the refresh was pending', async () => {
      const auth = manager();
      auth.setExternal(chatgptJwt({}), 'ws-1', null);
      const refreshed = auth.refreshExternal('unauthorized', 'ws-1');
      await auth.logout();
      requests.settle(refreshFrames(sessions[0]!)[0]!.id as number, { result: { accessToken: fresh, chatgptAccountId: 'ws-1' } });
      expect((await rejection(refreshed)).kind).to.equal('superseded');
      expect(auth.mode()).to.equal(null);
    });

    it('refuses when external auth is not active', async () => {
      const auth = manager();
      await auth.saveApiKey('sk-x');
      expect((await rejection(auth.refreshExternal('unauthorized', null))).kind).to.equal('notExternal');
      expect(sessions[0]!.frames).to.deep.equal([]);
    });
  });

  describe('managed ChatGPT token refresh', () => {
    let endpoint: TokenEndpoint;
    const newId = chatgptJwt({ email: 'a@b.c', accountId: 'ws-9', unique: 'new-id' });
    beforeEach(async () => (endpoint = await TokenEndpoint.start({ refresh: { id_token: newId, access_token: 'at-2', refresh_token: 'rt-2' } })));
    afterEach(() => endpoint.close());

    const signedIn = async (): Promise<AuthManager> => {
      const auth = manager({ env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${endpoint.issuer}/oauth/token` } });
      await auth.saveChatgptTokens({ idToken: chatgptJwt({ accountId: 'ws-1' }), accessToken: 'at-1', refreshToken: 'rt-1', apiKey: null });
      return auth;
    };

    it('refreshes at the token endpoint and stores the new tokens', async () => {
      const auth = await signedIn();
      await auth.refreshManaged();
      expect(endpoint.grants('refresh_token')[0]!.fields).to.deep.include({ refresh_token: 'rt-1', scope: 'openid profile email' });
      expect(endpoint.grants('refresh_token')[0]!.contentType).to.equal('application/json');
      expect(auth.current()!.headers()).to.deep.equal({ Authorization: 'Bearer at-2', 'ChatGPT-Account-ID': 'ws-9' });
      const file = JSON.parse(readFileSync(authFile(home), 'utf8')) as { tokens: Record<string, unknown> };
      expect(file.tokens).to.deep.equal({ id_token: newId, access_token: 'at-2', refresh_token: 'rt-2', account_id: 'ws-9' });
    });

    it('refreshes tokens older than 8 days before handing them out, and only those', async () => {
      const signedInAt = Date.now();
      let now = signedInAt;
      const auth = manager({ env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${endpoint.issuer}/oauth/token` }, now: () => new Date(now) });
      await auth.saveChatgptTokens({ idToken: chatgptJwt({ accountId: 'ws-1' }), accessToken: 'at-1', refreshToken: 'rt-1', apiKey: null });
      now = signedInAt + 7 * 24 * 3600_000;
      expect((await auth.credentials())!.headers().Authorization).to.equal('Bearer at-1');
      now = signedInAt + 9 * 24 * 3600_000;
      expect((await auth.credentials())!.headers().Authorization).to.equal('Bearer at-2');
      expect(endpoint.grants('refresh_token')).to.have.length(1);
    });

    it('reports a refused refresh with the endpoint error code, not the token', async () => {
      endpoint.script.refresh = { status: 401, body: { error: { code: 'refresh_token_expired', message: 'expired' } } };
      const auth = await signedIn();
      try {
        await auth.refreshManaged();
        expect.fail('expected a failure');
      } catch (err) {
        expect((err as Error).message).to.equal('token endpoint returned status 401: refresh_token_expired: expired');
      }
      expect(auth.current()!.headers().Authorization).to.equal('Bearer at-1');
    });
  });
});
