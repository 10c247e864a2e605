import { expect } from 'chai';
import { ModelCredentials } from '../../../lib/auth/credentials.js';
import { fetchUsage, usageUrl, UsageFetchError } from '../../../lib/auth/usageClient.js';

const credentials = new ModelCredentials('chatgpt', 'access-token', 'ws-1');

/** A fetch that records its calls and answers `status` with `body`. */
const answering = (status: number, body: string, calls: Array<{ url: string; headers: Record<string, string> }> = []): typeof fetch =>
  (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), headers: init?.headers as Record<string, string> });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;

const failure = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(UsageFetchError);
    return (err as Error).message;
  }
  throw new Error('expected a failure');
};

describe('usage client', () => {
  it('derives the usage URL from chatgpt_base_url as the reference does', () => {
    expect(usageUrl('https://chatgpt.com/backend-api/')).to.equal('https://chatgpt.com/backend-api/wham/usage');
    expect(usageUrl('http://127.0.0.1:9/backend-api///')).to.equal('http://127.0.0.1:9/backend-api/wham/usage');
    expect(usageUrl('https://chatgpt.com')).to.equal('https://chatgpt.com/backend-api/wham/usage');
    expect(usageUrl('https://chat.openai.com/')).to.equal('https://chat.openai.com/backend-api/wham/usage');
    expect(usageUrl('http://127.0.0.1:9/base')).to.equal('http://127.0.0.1:9/base/api/codex/usage');
  });

  it('sends the account token, workspace and user agent, and decodes the answer', async () => {
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    const snapshots = await fetchUsage({
      chatgptBaseUrl: 'http://127.0.0.1:9/backend-api/',
      credentials,
      userAgent: 'ide/0.1.0',
      fetch: answering(200, '{"plan_type":"plus","rate_limit":null}', calls),
    });
    expect(snapshots).to.deep.equal([{ limit_id: 'codex', limit_name: null, primary: null, secondary: null, credits: null, plan_type: 'plus' }]);
    expect(calls).to.deep.equal([
      {
        url: 'http://127.0.0.1:9/backend-api/wham/usage',
        headers: { Authorization: 'Bearer access-token', 'ChatGPT-Account-ID': 'ws-1', 'User-Agent': 'ide/0.1.0', Accept: 'application/json' },
      },
    ]);
  });

  it('says what failed: the status, a body that is no JSON, a payload that does not decode, the connection', async () => {
    const request = { chatgptBaseUrl: 'http://127.0.0.1:9/backend-api', credentials, userAgent: 'ide' };
    expect(await failure(fetchUsage({ ...request, fetch: answering(500, '{"detail":"nope"}') }))).to.equal(
      'GET http://127.0.0.1:9/backend-api/wham/usage failed: 500 Internal Server Error; content-type=application/json; body={"detail":"nope"}',
    );
    expect(await failure(fetchUsage({ ...request, fetch: answering(200, '{"plan_type":') }))).to.match(
      /^Decode error for http:\/\/127\.0\.0\.1:9\/backend-api\/wham\/usage: .+; content-type=application\/json; body=\{"plan_type":$/,
    );
    expect(await failure(fetchUsage({ ...request, fetch: answering(200, '{"rate_limit":null}') }))).to.match(/^Decode error for .*: usage\.plan_type: /);
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    }) as typeof fetch;
    expect(await failure(fetchUsage({ ...request, fetch: refused }))).to.equal(
      'GET http://127.0.0.1:9/backend-api/wham/usage failed: fetch failed (connect ECONNREFUSED 127.0.0.1:9)',
    );
  });
});
