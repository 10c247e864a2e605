import { expect } from 'chai';
import { firstValueFrom, Observable } from 'rxjs';
import { ModelCredentials } from '../../../lib/auth/credentials.js';
import type { ModelError } from '../../../lib/model/modelError.js';
import { builtInModelProviders, resolveModelProvider, type ModelProvider } from '../../../lib/model/provider.js';
import type { ModelAuth, ResponsesContext } from '../../../lib/model/requestTarget.js';
import { streamResponses, type ResponsesStreamEvent, type StreamResponsesOptions } from '../../../lib/model/responsesClient.js';
import type { ResponsesRequest } from '../../../lib/model/responsesRequest.js';
import { ResponsesWebsocketSession, responsesWebsocketVersion } from '../../../lib/model/websocketTransport.js';
import { ManualScheduler, MockResponsesServer, type MockResponse } from '../../support/mockResponses.js';

const request: ResponsesRequest = {
  model: 'gpt-test',
  instructions: 'Be brief.',
  input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
  tools: [],
  parallelToolCalls: true,
  reasoning: { effort: 'medium', summary: 'auto' },
  store: false,
  include: ['reasoning.encrypted_content'],
  promptCacheKey: 'thread-1',
};

const context: ResponsesContext = { sessionId: 'thread-1', originator: 'rxagent_test', userAgent: 'rxagent_test/0.1.0' };

interface Outcome {
  readonly events: ResponsesStreamEvent[];
  readonly error?: ModelError;
}

const run = (stream: Observable<ResponsesStreamEvent>): Promise<Outcome> =>
  new Promise((resolve) => {
    const events: ResponsesStreamEvent[] = [];
    stream.subscribe({ next: (e) => events.push(e), error: (error: ModelError) => resolve({ events, error }), complete: () => resolve({ events }) });
  });

const withoutRateLimits = (events: readonly ResponsesStreamEvent[]) => events.filter((e) => e.type !== 'rateLimits');

describe('streamResponses over the Responses WebSocket', () => {
  let mock: MockResponsesServer;
  let websocket: ResponsesWebsocketSession;
  let clock: ManualScheduler;

  const provider = (overrides: Record<string, unknown> = {}): ModelProvider =>
    resolveModelProvider({ model_provider: 'mock', model_providers: { mock: mock.providerTable({ supports_websockets: true, ...overrides }) } }, { env: {} });

  const options = (overrides: Partial<StreamResponsesOptions> = {}): StreamResponsesOptions => ({
    provider: provider(),
    context,
    env: {},
    websocket,
    scheduler: clock,
    random: () => 0.5,
    ...overrides,
  });

  const start = async (...responses: MockResponse[]): Promise<void> => {
    mock = await MockResponsesServer.start(responses);
  };

  beforeEach(() => {
    websocket = new ResponsesWebsocketSession('v1');
    clock = new ManualScheduler();
  });

  afterEach(async () => {
    websocket.close();
    await mock?.close();
  });

  it('streams the same model events as HTTP, from one response.create frame', async () => {
    const script: MockResponse = { output: [{ type: 'reasoning', summary: ['Think'] }, { type: 'message', text: 'Hello', chunks: ['Hel', 'lo'] }] };
    await start(script, script);
    const overWebsocket = await run(streamResponses(request, options()));
    const overHttp = await run(streamResponses(request, options({ websocket: undefined })));
    expect(overWebsocket.error).to.equal(undefined);
    expect(withoutRateLimits(overWebsocket.events)).to.deep.equal(
      withoutRateLimits(overHttp.events).map((e) => (e.type === 'completed' ? { ...e, responseId: 'resp_0' } : e)),
    );
    const [ws, http] = mock.requests;
    expect(ws!.transport).to.equal('websocket');
    expect(http!.transport).to.equal('http');
    expect(ws!.path).to.equal('/v1/responses');
    expect(ws!.body).to.deep.equal({ type: 'response.create', ...http!.body });
  });

  it('opens the connection with the request headers and the OpenAI-Beta of its revision', async () => {
    await start({ output: [{ type: 'message', text: 'ok' }] });
    const auth: ModelAuth = { credentials: () => new ModelCredentials('apikey', 'sk-test', null) };
    await run(streamResponses(request, options({ provider: provider({ requires_openai_auth: true }), auth })));
    expect(mock.upgrades).to.have.length(1);
    expect(mock.upgrades[0]).to.include({
      'openai-beta': 'responses_websockets=2026-02-04',
      originator: 'rxagent_test',
      'user-agent': 'rxagent_test/0.1.0',
      session_id: 'thread-1',
      authorization: 'Bearer sk-test',
    });
    expect(mock.upgrades[0]!['sec-websocket-extensions']).to.contain('permessage-deflate');
    expect(mock.upgrades[0]).not.to.have.property('accept');
  });

  it('reuses the open connection for the next request', async () => {
    await start({ output: [{ type: 'message', text: 'one' }] }, { output: [{ type: 'message', text: 'two' }] });
    await run(streamResponses(request, options()));
    const { error } = await run(streamResponses(request, options()));
    expect(error).to.equal(undefined);
    expect(mock.requests.map((r) => r.transport)).to.deep.equal(['websocket', 'websocket']);
    expect(mock.upgrades).to.have.length(1);
  });

  it('maps an error frame with a status like the HTTP status', async () => {
    await start({ status: 429, body: { error: { type: 'usage_not_included', message: 'no' } } });
    const { error } = await run(streamResponses(request, options()));
    expect(error?.kind).to.equal('usageNotIncluded');
    expect(error?.codexErrorInfo).to.equal('usageLimitExceeded');
  });

  it('retries when the server closes before response.completed, on a new connection, the first retry unreported', async () => {
    await start({ output: [{ type: 'message', text: 'partial' }], end: 'eof' }, { output: [{ type: 'message', text: 'whole' }] });
    const { events, error } = await run(streamResponses(request, options({ provider: provider({ stream_max_retries: 2 }) })));
    expect(error).to.equal(undefined);
    expect(events.find((e) => e.type === 'retrying')).to.deep.include({
      retry: 1,
      report: false,
      additionalDetails: 'stream disconnected before completion: websocket closed by server before response.completed',
    });
    expect(mock.upgrades).to.have.length(2);
    expect(events.at(-1)?.type).to.equal('completed');
  });

  it('falls back to HTTP for good when the retry budget runs out on the WebSocket, with a fresh budget', async () => {
    await start({ output: [], end: 'eof' }, { output: [], end: 'eof' }, { output: [{ type: 'message', text: 'over http' }], end: 'eof' }, { output: [{ type: 'message', text: 'ok' }] });
    const { events, error } = await run(streamResponses(request, options({ provider: provider({ stream_max_retries: 1 }) })));
    expect(error).to.equal(undefined);
    expect(mock.requests.map((r) => r.transport)).to.deep.equal(['websocket', 'websocket', 'http', 'http']);
    expect(events.filter((e) => e.type === 'retrying' || e.type === 'transportFallback').map((e) => (e.type === 'retrying' ? `retry ${e.retry}` : e.message))).to.deep.equal([
      'retry 1',
      'Falling back from WebSockets to HTTPS transport. stream disconnected before completion: websocket closed by server before response.completed',
      'retry 1',
    ]);
    expect(websocket.active).to.equal(false);
    await run(streamResponses(request, options()));
    expect(mock.requests[4]?.transport).to.equal('http');
  });

  it('falls back to HTTP at once when the handshake is answered 426', async () => {
    await start({ output: [{ type: 'message', text: 'over http' }] });
    mock.refuseNextUpgrade({ status: 426 });
    const { events, error } = await run(streamResponses(request, options({ provider: provider({ stream_max_retries: 3 }) })));
    expect(error).to.equal(undefined);
    expect(events[0]).to.deep.equal({ type: 'transportFallback', message: 'Falling back from WebSockets to HTTPS transport. websocket upgrade refused by server (426 Upgrade Required)' });
    expect(mock.requests.map((r) => r.transport)).to.deep.equal(['http']);
  });

  it('runs the 401 recovery on a refused handshake and connects again', async () => {
    await start({ output: [{ type: 'message', text: 'ok' }] });
    mock.refuseNextUpgrade({ status: 401, body: { error: { message: 'expired' } } });
    let token = 'stale';
    const auth: ModelAuth = {
      credentials: () => new ModelCredentials('chatgptAuthTokens', token, 'ws-1'),
      recoverUnauthorized: async () => {
        token = 'fresh';
        return true;
      },
    };
    const { error } = await run(streamResponses(request, options({ provider: provider({ requires_openai_auth: true }), auth })));
    expect(error).to.equal(undefined);
    expect(mock.upgrades.map((h) => h.authorization)).to.deep.equal(['Bearer stale', 'Bearer fresh']);
  });

  it('drops the connection when unsubscribed mid-response', async () => {
    await start({ output: [{ type: 'message', text: 'long' }], end: 'hold' });
    const subscription = streamResponses(request, options()).subscribe({
      next: (event) => {
        if (event.type === 'outputItemDone') subscription.unsubscribe();
      },
    });
    await mock.abandonedBy(0);
  });

  it('can open the connection ahead of the first request', async () => {
    await start({ output: [{ type: 'message', text: 'ok' }] });
    await firstValueFrom(websocket.prewarm(options(), { scheduler: clock, random: () => 0.5 }));
    expect(mock.upgrades).to.have.length(1);
    expect(mock.requests).to.have.length(0);
    await run(streamResponses(request, options()));
    expect(mock.upgrades).to.have.length(1);
    expect(mock.requests.map((r) => r.transport)).to.deep.equal(['websocket']);
  });

  it('refuses a second response while one is streaming on the session', async () => {
    await start({ output: [{ type: 'message', text: 'long' }], end: 'hold' });
    const first = streamResponses(request, options()).subscribe();
    await mock.request(0);
    const { error } = await run(streamResponses(request, options()));
    expect((error as Error | undefined)?.message).to.equal('a ResponsesWebsocketSession streams one response at a time');
    first.unsubscribe();
  });

  it('picks the WebSocket only for providers that support it, when a feature or the model asks for it', () => {
    const openai = builtInModelProviders({}).openai!;
    const ollama = builtInModelProviders({}).ollama!;
    expect(responsesWebsocketVersion(openai, { preferWebsockets: false, features: {} })).to.equal(undefined);
    expect(responsesWebsocketVersion(openai, { preferWebsockets: true, features: {} })).to.equal('v1');
    expect(responsesWebsocketVersion(openai, { preferWebsockets: false, features: { responses_websockets: true } })).to.equal('v1');
    expect(responsesWebsocketVersion(openai, { preferWebsockets: false, features: { responses_websockets_v2: true } })).to.equal('v2');
    expect(responsesWebsocketVersion(ollama, { preferWebsockets: true, features: { responses_websockets: true } })).to.equal(undefined);
  });
});
