import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, Observable } from 'rxjs';
import { ModelCredentials } from '../../../lib/auth/credentials.js';
import { ModelError } from '../../../lib/model/modelError.js';
import { resolveModelProvider, type ModelProvider } from '../../../lib/model/provider.js';
import { TurnState, type ModelAuth, type ResponsesContext } from '../../../lib/model/requestTarget.js';
import { streamResponses, type ResponsesStreamEvent, type StreamResponsesOptions } from '../../../lib/model/responsesClient.js';
import type { ResponsesRequest } from '../../../lib/model/responsesRequest.js';
import { ManualScheduler, MockResponsesServer, type MockResponse } from '../../support/mockResponses.js';

const FIXTURES = fileURLToPath(new URL('../../../../../shared/fixtures/reference-0.101.0/', import.meta.url));

const request: ResponsesRequest = {
  model: 'gpt-test',
  instructions: 'Be brief.',
  input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
  tools: [],
  parallelToolCalls: false,
  reasoning: null,
  store: false,
  include: [],
  promptCacheKey: 'thread-1',
};

const context: ResponsesContext = {
  sessionId: 'thread-1',
  originator: 'rxagent_test',
  userAgent: 'rxagent_test/0.1.0 (Linux 6.1; x86_64) xterm (test; 1.0)',
  turnMetadata: '{"sandbox":"seccomp"}',
};

/** A stream's events and how it ended. */
interface Outcome {
  readonly events: ResponsesStreamEvent[];
  readonly error?: ModelError;
}

const run = (stream: Observable<ResponsesStreamEvent>): Promise<Outcome> =>
  new Promise((resolve) => {
    const events: ResponsesStreamEvent[] = [];
    stream.subscribe({
      next: (event) => events.push(event),
      error: (error: ModelError) => resolve({ events, error }),
      complete: () => resolve({ events }),
    });
  });

const types = (events: readonly ResponsesStreamEvent[]): string[] => events.map((e) => e.type);

describe('streamResponses over HTTP (SSE)', () => {
  let mock: MockResponsesServer;
  let clock: ManualScheduler;

  const provider = (overrides: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): ModelProvider =>
    resolveModelProvider({ model_provider: 'mock', model_providers: { mock: mock.providerTable(overrides) } }, { env });

  const options = (overrides: Partial<StreamResponsesOptions> = {}): StreamResponsesOptions => ({
    provider: provider(),
    context,
    env: {},
    scheduler: clock,
    random: () => 0.5,
    ...overrides,
  });

  const start = async (...responses: MockResponse[]): Promise<void> => {
    mock = await MockResponsesServer.start(responses);
  };

  beforeEach(() => {
    clock = new ManualScheduler();
  });

  afterEach(async () => {
    await mock?.close();
  });

  it('streams an assistant message: deltas, the finished item, then the completion with its usage', async () => {
    await start({ output: [{ type: 'message', text: 'Hello there', chunks: ['Hel', 'lo ', 'there'], id: 'msg_1' }], usage: { input_tokens: 50, output_tokens: 5, input_tokens_details: { cached_tokens: 20 } } });
    const { events, error } = await run(streamResponses(request, options()));
    expect(error).to.equal(undefined);
    expect(types(events)).to.deep.equal(['rateLimits', 'created', 'outputItemAdded', 'outputTextDelta', 'outputTextDelta', 'outputTextDelta', 'outputItemDone', 'completed']);
    expect(events.filter((e) => e.type === 'outputTextDelta').map((e) => (e as { delta: string }).delta)).to.deep.equal(['Hel', 'lo ', 'there']);
    expect(events[6]).to.deep.equal({
      type: 'outputItemDone',
      // What ResponseItem declares: the API's `status` and `annotations` are not kept (nor sent back).
      item: { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Hello there' }] },
    });
    expect(events[7]).to.deep.equal({
      type: 'completed',
      responseId: 'resp_0',
      tokenUsage: { input_tokens: 50, cached_input_tokens: 20, output_tokens: 5, reasoning_output_tokens: 0, total_tokens: 55 },
      canAppend: false,
    });
  });

  it('streams a reasoning summary and a function call as their items', async () => {
    await start({
      output: [
        { type: 'reasoning', summary: ['**Plan**', 'Read the file.'], id: 'rs_1', encryptedContent: 'opaque' },
        { type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls"}', callId: 'call_1', id: 'fc_1' },
      ],
    });
    const { events } = await run(streamResponses(request, options()));
    const reasoning = events.filter((e) => e.type === 'reasoningSummaryPartAdded' || e.type === 'reasoningSummaryDelta');
    expect(reasoning).to.deep.equal([
      { type: 'reasoningSummaryPartAdded', summaryIndex: 0 },
      { type: 'reasoningSummaryDelta', delta: '**Plan**', summaryIndex: 0 },
      { type: 'reasoningSummaryPartAdded', summaryIndex: 1 },
      { type: 'reasoningSummaryDelta', delta: 'Read the file.', summaryIndex: 1 },
    ]);
    const done = events.filter((e) => e.type === 'outputItemDone').map((e) => (e as { item: unknown }).item);
    expect(done).to.deep.equal([
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: '**Plan**' }, { type: 'summary_text', text: 'Read the file.' }], encrypted_content: 'opaque' },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
    ]);
    expect(events.at(-1)?.type).to.equal('completed');
  });

  it('sends the headers and body the reference sends (fixture turn-basic), input in the written form', async () => {
    await start({ output: [{ type: 'message', text: 'ok' }] });
    const input: ResponsesRequest['input'] = [
      { type: 'message', id: 'msg_9', role: 'user', content: [{ type: 'input_text', text: 'run ls' }] },
      { type: 'function_call', id: 'fc_9', name: 'exec_command', arguments: '{}', call_id: 'call_9' },
      { type: 'function_call_output', call_id: 'call_9', output: { body: 'file.txt' } },
    ];
    await run(streamResponses({ ...request, input }, options()));
    const sent = await mock.request(0);
    const reference = JSON.parse(readFileSync(`${FIXTURES}turn-basic/model-requests.jsonl`, 'utf8').split('\n')[0]!);

    const ours = Object.keys(sent.headers).filter((name) => name !== 'connection' && name !== 'content-length');
    expect(ours.sort()).to.deep.equal(Object.keys(reference.headers).sort());
    expect(sent.headers).to.include({
      accept: 'text/event-stream',
      'content-type': 'application/json',
      originator: 'rxagent_test',
      session_id: 'thread-1',
      'user-agent': context.userAgent,
      'x-codex-turn-metadata': '{"sandbox":"seccomp"}',
    });
    expect(sent.path).to.equal('/v1/responses');
    expect(Object.keys(sent.body)).to.deep.equal(Object.keys(reference.body));
    expect(sent.body).to.deep.include({ model: 'gpt-test', tool_choice: 'auto', stream: true, store: false, reasoning: null, include: [], prompt_cache_key: 'thread-1' });
    expect(sent.body.input).to.deep.equal([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'run ls' }] },
      { type: 'function_call', name: 'exec_command', arguments: '{}', call_id: 'call_9' },
      { type: 'function_call_output', call_id: 'call_9', output: 'file.txt' },
    ]);
  });

  it('adds the provider query parameters, static and env headers, and its env_key as the bearer token', async () => {
    await start({ output: [{ type: 'message', text: 'ok' }] });
    const env = { MOCK_KEY: 'sk-mock', MOCK_ORG: 'org-1', EMPTY: '  ' };
    const custom = provider(
      { env_key: 'MOCK_KEY', query_params: { 'api-version': '2025-04-01' }, http_headers: { 'X-Static': 'yes' }, env_http_headers: { 'X-Org': 'MOCK_ORG', 'X-Empty': 'EMPTY' } },
      env,
    );
    await run(streamResponses(request, options({ provider: custom, env })));
    const sent = await mock.request(0);
    expect(sent.query).to.deep.equal({ 'api-version': '2025-04-01' });
    expect(sent.headers).to.include({ authorization: 'Bearer sk-mock', 'x-static': 'yes', 'x-org': 'org-1' });
    expect(sent.headers).not.to.have.property('x-empty');
  });

  it('fails before sending anything when the env_key variable is missing, naming it', async () => {
    await start();
    const custom = provider({ env_key: 'MOCK_KEY', env_key_instructions: 'Create one at https://example.test/keys.' });
    const { error } = await run(streamResponses(request, options({ provider: custom })));
    expect(error).to.be.instanceOf(ModelError);
    expect(error?.kind).to.equal('missingEnvKey');
    expect(error?.message).to.equal('Missing environment variable: `MOCK_KEY`. Create one at https://example.test/keys.');
    expect(mock.requests).to.have.length(0);
  });

  it('is cold: nothing is sent before subscription', async () => {
    await start({ output: [{ type: 'message', text: 'ok' }] });
    const stream = streamResponses(request, options());
    expect(mock.requests).to.have.length(0);
    await run(stream);
    expect(mock.requests).to.have.length(1);
  });

  it('retries a 500 after the backoff (HTTP-level, unannounced), then streams', async () => {
    await start({ status: 500, body: { error: { message: 'boom' } } }, { output: [{ type: 'message', text: 'ok' }] });
    const { events, error } = await run(streamResponses(request, options({ provider: provider({ request_max_retries: 2 }) })));
    expect(error).to.equal(undefined);
    expect(clock.waits).to.deep.equal([200]);
    expect(mock.requests).to.have.length(2);
    expect(types(events)).not.to.include('retrying');
    expect(events.at(-1)?.type).to.equal('completed');
  });

  it('retries a 429 after the Retry-After it names, then streams', async () => {
    await start({ status: 429, body: { error: { type: 'rate_limit', message: 'slow down' } }, headers: { 'retry-after': '3' } }, { output: [{ type: 'message', text: 'ok' }] });
    const { error } = await run(streamResponses(request, options({ provider: provider({ request_max_retries: 1 }) })));
    expect(error).to.equal(undefined);
    expect(clock.waits).to.deep.equal([3000]);
    expect(mock.requests).to.have.length(2);
  });

  it('after both retry budgets a persistent 500 fails as internalServerError', async () => {
    const fail: MockResponse = { status: 500, body: { error: { message: 'boom' } } };
    await start(fail, fail, fail, fail);
    const { events, error } = await run(streamResponses(request, options({ provider: provider({ request_max_retries: 1, stream_max_retries: 1 }) })));
    expect(mock.requests).to.have.length(4);
    expect(clock.waits).to.deep.equal([200, 200, 200]);
    expect(types(events)).to.deep.equal(['retrying']);
    expect(error?.kind).to.equal('internalServerError');
    expect(error?.codexErrorInfo).to.equal('internalServerError');
    expect(error?.message).to.equal("We're currently experiencing high demand, which may cause temporary errors.");
  });

  it('a 429 that outlasts the HTTP retries fails as responseTooManyFailedAttempts without stream retries', async () => {
    const limited: MockResponse = { status: 429, body: { error: { type: 'requests', message: 'Rate limit reached' } }, headers: { 'x-request-id': 'req-7' } };
    await start(limited, limited);
    const { events, error } = await run(streamResponses(request, options({ provider: provider({ request_max_retries: 1, stream_max_retries: 3 }) })));
    expect(mock.requests).to.have.length(2);
    expect(events).to.deep.equal([]);
    expect(error?.kind).to.equal('retryLimit');
    expect(error?.codexErrorInfo).to.deep.equal({ responseTooManyFailedAttempts: { httpStatusCode: 429 } });
    expect(error?.message).to.equal('exceeded retry limit, last status: 429 Too Many Requests, request id: req-7');
  });

  it('a 429 usage limit is final at once', async () => {
    await start({ status: 429, body: { error: { type: 'usage_limit_reached', plan_type: 'team', message: 'limit' } } });
    const { error } = await run(streamResponses(request, options({ provider: provider({ request_max_retries: 3, stream_max_retries: 3 }) })));
    expect(mock.requests).to.have.length(1);
    expect(error?.codexErrorInfo).to.equal('usageLimitExceeded');
    expect(error?.message).to.equal("You've hit your usage limit. To get more access now, send a request to your admin or try again later.");
  });

  it('retries a stream cut before response.completed, announcing the retry, then streams the new attempt', async () => {
    await start({ output: [{ type: 'message', text: 'partial' }], end: 'eof' }, { output: [{ type: 'message', text: 'whole' }] });
    const { events, error } = await run(streamResponses(request, options({ provider: provider({ stream_max_retries: 1 }) })));
    expect(error).to.equal(undefined);
    const retrying = events.find((e) => e.type === 'retrying');
    expect(retrying).to.deep.include({
      type: 'retrying',
      retry: 1,
      maxRetries: 1,
      delayMs: 200,
      message: 'Reconnecting... 1/1',
      codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } },
      additionalDetails: 'stream disconnected before completion: stream closed before response.completed',
      report: true,
    });
    const completedAt = events.findIndex((e) => e.type === 'completed');
    expect(completedAt).to.equal(events.length - 1);
    expect(events.indexOf(retrying!)).to.be.lessThan(completedAt);
    expect(mock.requests).to.have.length(2);
  });

  it('fails a cut stream when no stream retries are left: never a silent success', async () => {
    await start({ output: [{ type: 'message', text: 'partial' }], end: 'eof' });
    const { events, error } = await run(streamResponses(request, options()));
    expect(types(events)).to.include('outputItemDone');
    expect(types(events)).not.to.include('completed');
    expect(error?.kind).to.equal('streamDisconnected');
    expect(error?.message).to.equal('stream disconnected before completion: stream closed before response.completed');
    expect(error?.codexErrorInfo).to.equal('other');
  });

  it('reports a connection broken mid-body as responseStreamConnectionFailed', async () => {
    await start({ output: [{ type: 'message', text: 'partial' }], end: 'reset' });
    const { error } = await run(streamResponses(request, options()));
    expect(error?.kind).to.equal('streamFailed');
    expect(error?.codexErrorInfo).to.deep.equal({ responseStreamConnectionFailed: { httpStatusCode: 200 } });
    expect(error?.message).to.match(/^Error while reading the server response: .*, request id: mock-req-0$/);
  });

  it('retries a response.failed rate limit after the delay its message suggests', async () => {
    await start(
      { events: [{ type: 'response.created', response: { id: 'r1' } }, { type: 'response.failed', response: { error: { code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again in 1.5s.' } } }] },
      { output: [{ type: 'message', text: 'ok' }] },
    );
    const { events, error } = await run(streamResponses(request, options({ provider: provider({ stream_max_retries: 2 }) })));
    expect(error).to.equal(undefined);
    expect(clock.waits).to.deep.equal([1500]);
    expect(events.find((e) => e.type === 'retrying')).to.deep.include({ delayMs: 1500, additionalDetails: 'stream disconnected before completion: Rate limit reached. Please try again in 1.5s.' });
  });

  it('fails a stream silent for stream_idle_timeout_ms, not a moment earlier, and closes the connection', async () => {
    await start({ output: [{ type: 'message', text: 'thinking' }], end: 'hold' });
    const stream = streamResponses(request, options({ provider: provider({ stream_idle_timeout_ms: 90_000 }) }));
    const events: ResponsesStreamEvent[] = [];
    let failed: ModelError | undefined;
    const firstDone = new Promise<void>((resolve) =>
      stream.subscribe({
        next: (event) => {
          events.push(event);
          if (event.type === 'outputItemDone') resolve();
        },
        error: (error: ModelError) => (failed = error),
      }),
    );
    await firstDone;
    clock.advance(89_999);
    expect(failed).to.equal(undefined);
    clock.advance(1);
    expect(failed?.kind).to.equal('streamDisconnected');
    expect(failed?.message).to.equal('stream disconnected before completion: idle timeout waiting for SSE');
    await mock.abandonedBy(0);
  });

  it('surfaces a 401 as unauthorized at once when there is no credential recovery', async () => {
    await start({ status: 401, body: { error: { message: 'invalid api key' } } });
    const { error } = await run(streamResponses(request, options({ provider: provider({ request_max_retries: 3, stream_max_retries: 3 }) })));
    expect(mock.requests).to.have.length(1);
    expect(error?.kind).to.equal('unauthorized');
    expect(error?.codexErrorInfo).to.equal('unauthorized');
    expect(error?.status).to.equal(401);
    expect(error?.message).to.contain('unexpected status 401 Unauthorized: {"error":{"message":"invalid api key"}}');
  });

  it('on each 401 runs the next recovery step and sends the request again with the new credentials', async () => {
    const expired: MockResponse = { status: 401, body: { error: { message: 'expired' } } };
    await start(expired, expired, { output: [{ type: 'message', text: 'ok' }] });
    let token = 'stale';
    const steps: number[] = [];
    const auth: ModelAuth = {
      credentials: () => new ModelCredentials('chatgpt', token, 'ws-1'),
      recoverUnauthorized: async (step) => {
        steps.push(step);
        token = step === 1 ? 'reloaded' : 'refreshed';
        return true;
      },
    };
    const { error } = await run(streamResponses(request, options({ provider: provider({ requires_openai_auth: true }), auth })));
    expect(error).to.equal(undefined);
    expect(steps).to.deep.equal([1, 2]);
    expect(mock.requests.map((r) => r.headers.authorization)).to.deep.equal(['Bearer stale', 'Bearer reloaded', 'Bearer refreshed']);
    expect(mock.requests[2]!.headers['chatgpt-account-id']).to.equal('ws-1');
  });

  it('surfaces the 401 once the recovery has no step left', async () => {
    const expired: MockResponse = { status: 401, body: { error: { message: 'expired' } } };
    await start(expired, expired);
    const auth: ModelAuth = { credentials: () => new ModelCredentials('chatgptAuthTokens', 'tok', 'ws-1'), recoverUnauthorized: async (step) => step === 1 };
    const { error } = await run(streamResponses(request, options({ provider: provider({ requires_openai_auth: true }), auth })));
    expect(mock.requests).to.have.length(2);
    expect(error?.kind).to.equal('unauthorized');
  });

  it('fails as unauthorized with the recovery error when the recovery fails for good', async () => {
    await start({ status: 401, body: { error: { message: 'expired' } } });
    const auth: ModelAuth = {
      credentials: () => new ModelCredentials('chatgpt', 'stale', 'ws-1'),
      recoverUnauthorized: () => Promise.reject(new Error('Your access token could not be refreshed because your refresh token was revoked.')),
    };
    const { error } = await run(streamResponses(request, options({ provider: provider({ requires_openai_auth: true }), auth })));
    expect(error?.kind).to.equal('unauthorized');
    expect(error?.message).to.equal('Your access token could not be refreshed because your refresh token was revoked.');
  });

  it('aborts the HTTP request when unsubscribed', async () => {
    await start({ output: [{ type: 'message', text: 'long answer' }], end: 'hold' });
    const first = firstValueFrom(streamResponses(request, options()));
    expect((await first).type).to.equal('rateLimits');
    await mock.abandonedBy(0);
  });

  it('fails with httpConnectionFailed when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await start();
    const unreachable = resolveModelProvider({ model_provider: 'x', model_providers: { x: { name: 'X', base_url: `http://127.0.0.1:${port}/v1`, request_max_retries: 1, stream_max_retries: 0 } } }, { env: {} });
    const { error } = await run(streamResponses(request, options({ provider: unreachable })));
    expect(clock.waits).to.deep.equal([200]);
    expect(error?.kind).to.equal('connectionFailed');
    expect(error?.codexErrorInfo).to.deep.equal({ httpConnectionFailed: { httpStatusCode: null } });
    expect(error?.message).to.match(/^Connection failed: connect ECONNREFUSED/);
  });

  it('reports rate limits, the models ETag and the turn state from the response headers', async () => {
    await start(
      { output: [{ type: 'message', text: 'one' }], headers: { 'x-codex-primary-used-percent': '25', 'x-codex-primary-window-minutes': '300', 'x-models-etag': 'etag-2', 'x-codex-turn-state': 'ts-1' } },
      { output: [{ type: 'message', text: 'two' }], headers: { 'x-codex-turn-state': 'ts-2' } },
    );
    const turnState = new TurnState();
    const { events } = await run(streamResponses(request, options({ context: { ...context, turnState } })));
    expect(events.slice(0, 2)).to.deep.equal([
      {
        type: 'rateLimits',
        snapshots: [{ limit_id: 'codex', limit_name: null, primary: { used_percent: 25, window_minutes: 300, resets_at: null }, secondary: null, credits: null, plan_type: null }],
      },
      { type: 'modelsEtag', etag: 'etag-2' },
    ]);
    await run(streamResponses(request, options({ context: { ...context, turnState } })));
    expect(mock.requests[0]!.headers).not.to.have.property('x-codex-turn-state');
    expect(mock.requests[1]!.headers['x-codex-turn-state']).to.equal('ts-1');
    expect(turnState.value).to.equal('ts-1');
  });
});
