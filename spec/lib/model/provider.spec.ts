import { expect } from 'chai';
import { ModelCredentials } from '../../../lib/auth/credentials.js';
import { ModelError } from '../../../lib/model/modelError.js';
import {
  builtInModelProviders,
  MissingEnvKeyError,
  ModelProviderError,
  providerApiKey,
  providerBaseUrl,
  providerHeaders,
  resolveModelProvider,
  type ModelProvider,
} from '../../../lib/model/provider.js';
import { requestCredentials, requestHeaders, responsesUrl, TurnState, type ResponsesTarget } from '../../../lib/model/requestTarget.js';
import { VERSION } from '../../../lib/version.js';

const custom = (table: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): ModelProvider =>
  resolveModelProvider({ model_provider: 'corp', model_providers: { corp: { name: 'Corp', ...table } } }, { env });

describe('model providers', () => {
  describe('resolveModelProvider', () => {
    it('defaults to the built-in OpenAI provider, which config cannot redefine', () => {
      const openai = resolveModelProvider({ model_providers: { openai: { name: 'Mine', base_url: 'http://evil.test' } } }, { env: {} });
      expect(openai).to.deep.include({
        id: 'openai',
        name: 'OpenAI',
        baseUrl: undefined,
        httpHeaders: { version: VERSION },
        envHttpHeaders: { 'OpenAI-Organization': 'OPENAI_ORGANIZATION', 'OpenAI-Project': 'OPENAI_PROJECT' },
        requestMaxRetries: 4,
        streamMaxRetries: 5,
        streamIdleTimeoutMs: 300_000,
        requiresOpenaiAuth: true,
        supportsWebsockets: true,
        isOpenai: true,
      });
    });

    it('takes the OpenAI base URL from OPENAI_BASE_URL when set and not blank', () => {
      expect(resolveModelProvider({}, { env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1/' } }).baseUrl).to.equal('http://127.0.0.1:9/v1');
      expect(resolveModelProvider({}, { env: { OPENAI_BASE_URL: ' ' } }).baseUrl).to.equal(undefined);
    });

    it('has the local ollama and lmstudio servers built in, moved by CODEX_OSS_PORT or CODEX_OSS_BASE_URL', () => {
      expect(builtInModelProviders({}).ollama).to.deep.include({ name: 'gpt-oss', baseUrl: 'http://localhost:11434/v1', requiresOpenaiAuth: false, supportsWebsockets: false });
      expect(builtInModelProviders({}).lmstudio?.baseUrl).to.equal('http://localhost:1234/v1');
      expect(builtInModelProviders({ CODEX_OSS_PORT: '8080' }).ollama?.baseUrl).to.equal('http://localhost:8080/v1');
      expect(builtInModelProviders({ CODEX_OSS_BASE_URL: 'http://gpu.lan/v1' }).lmstudio?.baseUrl).to.equal('http://gpu.lan/v1');
    });

    it('reads every field of a [model_providers.<id>] table', () => {
      const provider = custom({
        base_url: 'https://corp.test/openai/',
        env_key: 'CORP_KEY',
        env_key_instructions: 'Ask IT.',
        wire_api: 'responses',
        query_params: { 'api-version': '2025-04-01' },
        http_headers: { 'X-Team': 'agents' },
        env_http_headers: { 'X-Trace': 'CORP_TRACE' },
        request_max_retries: 2,
        stream_max_retries: 7,
        stream_idle_timeout_ms: 1000,
        requires_openai_auth: true,
        supports_websockets: true,
      });
      expect(provider).to.deep.equal({
        id: 'corp',
        name: 'Corp',
        baseUrl: 'https://corp.test/openai',
        envKey: 'CORP_KEY',
        envKeyInstructions: 'Ask IT.',
        experimentalBearerToken: undefined,
        wireApi: 'responses',
        queryParams: { 'api-version': '2025-04-01' },
        httpHeaders: { 'X-Team': 'agents' },
        envHttpHeaders: { 'X-Trace': 'CORP_TRACE' },
        requestMaxRetries: 2,
        streamMaxRetries: 7,
        streamIdleTimeoutMs: 1000,
        requiresOpenaiAuth: true,
        supportsWebsockets: true,
        isOpenai: false,
      });
    });

    it('applies the defaults to a minimal table and caps the retry budgets at 100', () => {
      expect(custom({})).to.deep.include({ wireApi: 'responses', requestMaxRetries: 4, streamMaxRetries: 5, streamIdleTimeoutMs: 300_000, requiresOpenaiAuth: false, supportsWebsockets: false });
      expect(custom({ request_max_retries: 1000, stream_max_retries: 101 })).to.deep.include({ requestMaxRetries: 100, streamMaxRetries: 100 });
    });

    it('uses the id a profile selects over the table key', () => {
      const provider = resolveModelProvider({ model_provider: 'openai', model_providers: { corp: { name: 'Corp' } } }, { env: {}, providerId: 'corp' });
      expect(provider.id).to.equal('corp');
    });

    it('refuses an unknown provider id', () => {
      expect(() => resolveModelProvider({ model_provider: 'nope' }, { env: {} })).to.throw(ModelProviderError, 'Model provider `nope` not found');
    });

    it('refuses the removed chat wire API with the reference message, and any other wire API', () => {
      expect(() => custom({ wire_api: 'chat' })).to.throw(ModelProviderError, '`wire_api = "chat"` is no longer supported.\nHow to fix: set `wire_api = "responses"` in your provider config.');
      expect(() => custom({ wire_api: 'grpc' })).to.throw(ModelProviderError, 'model_providers.corp.wire_api: unknown wire API `grpc`; the only one supported is "responses"');
    });

    it('names the key of a field of the wrong type, and a missing name', () => {
      expect(() => custom({ base_url: 42 })).to.throw(ModelProviderError, 'model_providers.corp.base_url: expected a string, got 42');
      expect(() => custom({ stream_max_retries: -1 })).to.throw(ModelProviderError, 'model_providers.corp.stream_max_retries: expected a non-negative integer, got -1');
      expect(() => custom({ http_headers: { a: 1 } })).to.throw(ModelProviderError, 'model_providers.corp.http_headers: expected a table of strings');
      expect(() => resolveModelProvider({ model_provider: 'x', model_providers: { x: { base_url: 'http://x' } } }, { env: {} })).to.throw(ModelProviderError, 'model_providers.x: missing field `name`');
    });
  });

  describe('providerApiKey', () => {
    it('reads the env_key variable, and names it with the instructions when it is missing or blank', () => {
      const provider = custom({ env_key: 'CORP_KEY', env_key_instructions: 'Ask IT.' });
      expect(providerApiKey(provider, { CORP_KEY: 'sk-corp' })).to.equal('sk-corp');
      for (const env of [{}, { CORP_KEY: '  ' }]) {
        expect(() => providerApiKey(provider, env))
          .to.throw(MissingEnvKeyError, 'Missing environment variable: `CORP_KEY`. Ask IT.')
          .with.property('variable', 'CORP_KEY');
      }
    });

    it('falls back to the configured bearer token, else nothing', () => {
      expect(providerApiKey(custom({ experimental_bearer_token: 'tok' }), {})).to.equal('tok');
      expect(providerApiKey(custom({}), {})).to.equal(undefined);
    });
  });

  it('sends OpenAI requests to the Codex backend in ChatGPT modes and to the API otherwise', () => {
    const openai = builtInModelProviders({}).openai!;
    expect(providerBaseUrl(openai, 'chatgpt')).to.equal('https://chatgpt.com/backend-api/codex');
    expect(providerBaseUrl(openai, 'chatgptAuthTokens')).to.equal('https://chatgpt.com/backend-api/codex');
    expect(providerBaseUrl(openai, 'apikey')).to.equal('https://api.openai.com/v1');
    expect(providerBaseUrl(custom({ base_url: 'http://corp.test/v1' }), 'chatgpt')).to.equal('http://corp.test/v1');
  });

  it('sends the static headers and the env headers whose variable is set, skipping invalid ones', () => {
    const provider = custom({ http_headers: { 'X-Team': 'agents', 'Bad Name': 'x', 'X-Bad-Value': 'a\nb' }, env_http_headers: { 'X-Trace': 'TRACE', 'X-Blank': 'BLANK', 'X-Unset': 'UNSET' } });
    expect(providerHeaders(provider, { TRACE: 't-1', BLANK: '' })).to.deep.equal({ 'X-Team': 'agents', 'X-Trace': 't-1' });
  });

  describe('requestCredentials', () => {
    const account = new ModelCredentials('chatgpt', 'account-token', 'ws-1');
    const target = (provider: ModelProvider, env: NodeJS.ProcessEnv = {}): ResponsesTarget => ({
      provider,
      env,
      context: { sessionId: 't', originator: 'o', userAgent: 'ua' },
      auth: { credentials: () => account },
    });

    it('prefers the provider key, then the signed-in account, then OPENAI_API_KEY for OpenAI', async () => {
      const openai = builtInModelProviders({}).openai!;
      expect((await requestCredentials(target({ ...openai, envKey: 'K' }, { K: 'sk-env' })))?.headers()).to.deep.equal({ Authorization: 'Bearer sk-env' });
      expect(await requestCredentials(target(openai, { OPENAI_API_KEY: 'sk-fallback' }))).to.equal(account);
      const signedOut: ResponsesTarget = { ...target(openai, { OPENAI_API_KEY: 'sk-fallback' }), auth: { credentials: () => undefined } };
      expect((await requestCredentials(signedOut))?.headers()).to.deep.equal({ Authorization: 'Bearer sk-fallback' });
    });

    it("never gives the account's tokens to a provider that does not require OpenAI auth", async () => {
      expect(await requestCredentials(target(custom({}), { OPENAI_API_KEY: 'sk-openai' }))).to.equal(undefined);
    });

    it('fails with a missingEnvKey model error when the env_key variable is unset', async () => {
      const failure = await requestCredentials(target(custom({ env_key: 'CORP_KEY' }))).catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(ModelError).with.property('kind', 'missingEnvKey');
    });
  });

  describe('request headers and URL', () => {
    const target: ResponsesTarget = {
      provider: custom({ base_url: 'https://corp.test/v1', query_params: { 'api-version': '1' }, http_headers: { 'user-agent': 'corp-agent', session_id: 'nope' } }),
      env: {},
      context: { sessionId: 'thread-1', originator: 'vscode', userAgent: 'vscode/0.1.0', subagent: 'review', betaFeatures: ['collab', 'apps'], residency: 'us' },
    };

    it('layers defaults, provider headers, per-request headers, transport headers and credentials', () => {
      const turnState = new TurnState();
      turnState.capture('ts-1');
      turnState.capture('ts-2');
      const headers = requestHeaders({ ...target, context: { ...target.context, turnState } }, new ModelCredentials('chatgpt', 'tok', 'ws-1'), { transport: 'http' });
      expect(headers).to.deep.equal({
        originator: 'vscode',
        'user-agent': 'corp-agent',
        session_id: 'thread-1',
        'x-openai-subagent': 'review',
        'x-codex-beta-features': 'collab,apps',
        'x-codex-turn-state': 'ts-1',
        'x-openai-internal-codex-residency': 'us',
        Accept: 'text/event-stream',
        'Content-Type': 'application/json',
        Authorization: 'Bearer tok',
        'ChatGPT-Account-ID': 'ws-1',
      });
      expect(requestHeaders(target, undefined, { transport: 'websocket', openaiBeta: 'responses_websockets=2026-02-04' })).to.include({ 'OpenAI-Beta': 'responses_websockets=2026-02-04' }).and.not.have.property('Accept');
    });

    it('appends /responses and the query parameters, with ws schemes for the WebSocket', () => {
      expect(responsesUrl(target.provider, undefined, 'http').href).to.equal('https://corp.test/v1/responses?api-version=1');
      expect(responsesUrl(target.provider, undefined, 'websocket').href).to.equal('wss://corp.test/v1/responses?api-version=1');
      expect(responsesUrl(custom({ base_url: 'http://127.0.0.1:9/v1' }), undefined, 'websocket').href).to.equal('ws://127.0.0.1:9/v1/responses');
    });
  });
});
