import { expect } from 'chai';
import { chatgptJwt } from '../lib/auth/authStandIns.js';
import type { MockResponse } from '../support/mockResponses.js';
import type { Message } from '../support/rpcClient.js';
import { between, cleanupTurnHarnesses, resultOf, serverRequest, startThread, startTurn, startTurnHarness, text, turnCompleted, type TurnHarness } from '../support/turnHarness.js';

const reply = (value: string): MockResponse => ({ output: [{ type: 'message', text: value }] });
const turnStatus = (m: Message): string => (m.params as { turn: { status: string } }).turn.status;

/**
 * A harness whose mock provider needs OpenAI auth, with every ChatGPT backend read (rate limits,
 * model catalog) kept on the mock, logged in with external ChatGPT tokens for account `acct`.
 */
const startWithExternalTokens = async (responses: readonly MockResponse[], accessToken: string): Promise<TurnHarness> => {
  const h = await startTurnHarness(responses, {
    provider: { requires_openai_auth: true },
    config: (mock) => `chatgpt_base_url = ${JSON.stringify(`${mock.baseUrl.replace(/\/v1$/, '')}/backend-api/`)}\n`,
    env: (mock) => ({ OPENAI_BASE_URL: mock.baseUrl }),
    capabilities: { experimentalApi: true },
  });
  const login = await h.client.request('account/login/start', { type: 'chatgptAuthTokens', accessToken, chatgptAccountId: 'acct', chatgptPlanType: null });
  expect(resultOf(login)).to.deep.equal({ type: 'chatgptAuthTokens' });
  await h.client.waitFor((m) => m.method === 'account/updated');
  return h;
};

describe('turns with external ChatGPT tokens: 401 recovery (stdio, mock model)', () => {
  afterEach(cleanupTurnHarnesses);

  const oldToken = chatgptJwt({ email: 'ext@example.com', plan: 'pro', accountId: 'acct', unique: 'turn-auth-old' });
  const newToken = chatgptJwt({ email: 'ext@example.com', plan: 'pro', accountId: 'acct', unique: 'turn-auth-new' });

  it('a 401 asks the client for new tokens; the retried request carries them and the turn completes', async () => {
    const h = await startWithExternalTokens([{ status: 401, body: { error: { message: 'token expired', code: 'token_expired' } } }, reply('Authorized now.')], oldToken);
    const { threadId } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [text('Hi')]);
    const refresh = await serverRequest(h, 'account/chatgptAuthTokens/refresh');
    expect(refresh.params).to.deep.equal({ reason: 'unauthorized', previousAccountId: 'acct' });
    h.client.send({ id: refresh.id!, result: { accessToken: newToken, chatgptAccountId: 'acct', chatgptPlanType: null } } as Message);
    const completed = await turnCompleted(h, turnId);
    expect(turnStatus(completed)).to.equal('completed');
    const seen = between(h, response, completed);
    expect(seen.filter((m) => m.method === 'error')).to.deep.equal([]);
    const agent = seen.filter((m) => m.method === 'item/completed' && (m.params as { item: { type: string } }).item.type === 'agentMessage');
    expect(agent.map((m) => (m.params as { item: { text: string } }).item.text)).to.deep.equal(['Authorized now.']);

    expect(h.mock.requests).to.have.length(2);
    const [first, retried] = h.mock.requests;
    expect(first!.headers.authorization).to.equal(`Bearer ${oldToken}`);
    expect(first!.headers['chatgpt-account-id']).to.equal('acct');
    expect(retried!.headers.authorization).to.equal(`Bearer ${newToken}`);
    expect(retried!.headers['chatgpt-account-id']).to.equal('acct');
    expect(retried!.body).to.deep.equal(first!.body);
    expect(h.client.received.filter((m) => m.method === 'account/chatgptAuthTokens/refresh')).to.have.length(1);
  });

  it('a refresh answered with a JSON-RPC error fails the turn (error notification); the server keeps serving', async () => {
    const h = await startWithExternalTokens([{ status: 401, body: { error: { message: 'token expired' } } }, reply('Later turn.')], oldToken);
    const { threadId } = await startThread(h);
    const { response, turnId } = await startTurn(h, threadId, [text('Hi')]);
    const refresh = await serverRequest(h, 'account/chatgptAuthTokens/refresh');
    expect(refresh.params).to.deep.equal({ reason: 'unauthorized', previousAccountId: 'acct' });
    h.client.send({ id: refresh.id!, error: { code: -32000, message: 'user cancelled' } } as Message);
    const completed = await turnCompleted(h, turnId);
    expect(turnStatus(completed)).to.equal('failed');
    const errors = between(h, response, completed).filter((m) => m.method === 'error');
    expect(errors).to.have.length(1);
    expect(errors[0]!.params).to.deep.include({ willRetry: false, threadId, turnId });
    expect(h.mock.requests).to.have.length(1);

    // Still serving: a new turn on the same thread completes.
    const next = await startTurn(h, threadId, [text('Again')]);
    expect(turnStatus(await turnCompleted(h, next.turnId))).to.equal('completed');
    expect(h.mock.requests).to.have.length(2);
  });
});
