import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chatgptJwt, UsageEndpoint } from '../lib/auth/authStandIns.js';
import { RpcClient } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';

const USAGE = {
  plan_type: 'plus',
  rate_limit: {
    allowed: true,
    limit_reached: false,
    primary_window: { used_percent: 6, limit_window_seconds: 18_000, reset_after_seconds: 1_200, reset_at: 1_795_557_111 },
    secondary_window: { used_percent: 24, limit_window_seconds: 604_800, reset_after_seconds: 86_400, reset_at: 1_795_900_000 },
  },
  credits: { has_credits: true, unlimited: false, balance: '5.39' },
  additional_rate_limits: [
    { limit_name: 'Spark', metered_feature: 'codex_spark', rate_limit: { allowed: true, limit_reached: false, primary_window: { used_percent: 50, limit_window_seconds: 18_000, reset_after_seconds: 100, reset_at: 1_795_550_000 }, secondary_window: null } },
  ],
};

const CODEX = {
  limitId: 'codex',
  limitName: null,
  primary: { usedPercent: 6, windowDurationMins: 300, resetsAt: 1_795_557_111 },
  secondary: { usedPercent: 24, windowDurationMins: 10_080, resetsAt: 1_795_900_000 },
  credits: { hasCredits: true, unlimited: false, balance: '5.39' },
  planType: 'plus',
};

describe('account/rateLimits/read (local stand-in for the usage endpoint)', () => {
  let endpoint: UsageEndpoint;
  beforeEach(async () => {
    endpoint = await UsageEndpoint.start({ status: 200, body: JSON.stringify(USAGE) });
  });
  afterEach(() => endpoint.close());

  /** A server whose CODEX_HOME points `chatgpt_base_url` at the stand-in, with `auth` as auth.json (none if undefined). */
  const start = async (auth?: object, experimental = false): Promise<RpcClient> => {
    const codexHome = mkdtempSync(join(tmpdir(), 'rxagent-spec-'));
    writeFileSync(join(codexHome, 'config.toml'), `chatgpt_base_url = "${endpoint.baseUrl}"\n`);
    if (auth !== undefined) writeFileSync(join(codexHome, 'auth.json'), JSON.stringify(auth));
    const client = RpcClient.stdio(ServerProcess.start(['app-server'], { codexHome }));
    await client.initialize(experimental ? { experimentalApi: true } : null, 'spec_ide');
    return client;
  };
  const chatgptAuth = {
    OPENAI_API_KEY: null,
    tokens: { id_token: chatgptJwt({ email: 'dev@example.com', plan: 'plus', accountId: 'ws-1', unique: 'usage' }), access_token: 'usage-access-token', refresh_token: 'usage-refresh', account_id: 'ws-1' },
    last_refresh: new Date().toISOString(),
  };

  it('reads the ChatGPT account usage with its token: the codex limit, and every limit by id', async () => {
    const client = await start(chatgptAuth);
    const { result } = await client.request('account/rateLimits/read');
    expect(result).to.deep.equal({
      rateLimits: CODEX,
      rateLimitsByLimitId: {
        codex: CODEX,
        codex_spark: { limitId: 'codex_spark', limitName: 'Spark', primary: { usedPercent: 50, windowDurationMins: 300, resetsAt: 1_795_550_000 }, secondary: null, credits: null, planType: 'plus' },
      },
    });
    expect(endpoint.requests).to.have.length(1);
    expect(endpoint.requests[0]!.path).to.equal('/backend-api/wham/usage');
    expect(endpoint.requests[0]!.headers).to.include({ authorization: 'Bearer usage-access-token', 'chatgpt-account-id': 'ws-1' });
    expect(endpoint.requests[0]!.headers['user-agent']).to.match(/^spec_ide\/0\.1\.0 /);
  });

  it('uses tokens a client supplied (chatgptAuthTokens)', async () => {
    const client = await start(undefined, true);
    const login = await client.request('account/login/start', { type: 'chatgptAuthTokens', accessToken: chatgptJwt({ unique: 'ext', accountId: 'ws-ext' }), chatgptAccountId: 'ws-ext', chatgptPlanType: 'pro' });
    expect(login.error).to.equal(undefined);
    expect((await client.request('account/rateLimits/read', {})).result).to.deep.include({ rateLimits: CODEX });
    expect(endpoint.requests[0]!.headers).to.include({ 'chatgpt-account-id': 'ws-ext' });
  });

  it('needs a ChatGPT sign-in: none, or an API key, is -32600 and asks nothing of the backend', async () => {
    const signedOut = await start();
    expect((await signedOut.request('account/rateLimits/read')).error).to.deep.equal({
      code: -32600,
      message: 'codex account authentication required to read rate limits',
      data: { kind: 'notSignedIn' },
    });
    const apiKey = await start({ OPENAI_API_KEY: 'sk-usage' });
    expect((await apiKey.request('account/rateLimits/read')).error).to.deep.equal({
      code: -32600,
      message: 'chatgpt authentication required to read rate limits',
      data: { kind: 'chatgptAuthRequired' },
    });
    expect(endpoint.requests).to.deep.equal([]);
  });

  it('answers a failing backend with -32603 saying what failed, and reads again at the next call', async () => {
    const client = await start(chatgptAuth);
    endpoint.answer = { status: 503, body: '{"detail":"down"}' };
    expect((await client.request('account/rateLimits/read')).error).to.deep.equal({
      code: -32603,
      message: `failed to fetch codex rate limits: GET ${endpoint.baseUrl}wham/usage failed: 503 Service Unavailable; content-type=application/json; body={"detail":"down"}`,
      data: { kind: 'internalError' },
    });
    endpoint.answer = { status: 200, body: '{"plan_type":"pro","rate_limit":{"allowed":true}}' };
    const undecodable = (await client.request('account/rateLimits/read')).error as { code: number; message: string };
    expect(undecodable.code).to.equal(-32603);
    expect(undecodable.message).to.match(/^failed to fetch codex rate limits: Decode error for .*wham\/usage: usage\.rate_limit\.limit_reached: /);
    endpoint.answer = { status: 200, body: JSON.stringify(USAGE) };
    expect((await client.request('account/rateLimits/read')).result).to.deep.include({ rateLimits: CODEX });
  });
});
