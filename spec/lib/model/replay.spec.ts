import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler, firstValueFrom, from, lastValueFrom, map, toArray } from 'rxjs';
import { ModelCatalog } from '../../../lib/model/modelCatalog.js';
import { ModelError } from '../../../lib/model/modelError.js';
import type { ModelEvent } from '../../../lib/model/modelEvents.js';
import { builtInModelProviders, ModelProviderError, resolveModelProvider } from '../../../lib/model/provider.js';
import { BUNDLED_SCRIPTS, DEMO_FILE } from '../../../lib/model/replay/bundledScripts.js';
import { defaultProviderWhenUnconfigured, hasCredentials, OFFLINE_DEMO_ENV, offlineStartup } from '../../../lib/model/replay/offlineDefault.js';
import { replayOptionsFromTable } from '../../../lib/model/replay/replayProvider.js';
import { replayFrames, replayResponseEvents } from '../../../lib/model/replay/replayTransport.js';
import { decodeReplayScripts, type ReplayScript } from '../../../lib/model/replay/scriptCodec.js';
import { bundledScripts, loadReplayScripts } from '../../../lib/model/replay/scriptLoader.js';
import { keywordMatches, requestFacts, selectResponse } from '../../../lib/model/replay/scriptSelection.js';
import { adaptCall, wordChunks } from '../../../lib/model/replay/sseEncoding.js';
import { responseEvents } from '../../../lib/model/responseEvents.js';
import { streamResponses } from '../../../lib/model/responsesClient.js';
import type { ResponsesRequest } from '../../../lib/model/responsesRequest.js';
import { sseMessages } from '../../../lib/model/sseStream.js';
import type { ConfigSettings } from '../../../lib/config/configSettings.js';
import { ManualScheduler } from '../../support/mockResponses.js';

type Json = Record<string, unknown>;

const user = (text: string): Json => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const developer = (text: string): Json => ({ type: 'message', role: 'developer', content: [{ type: 'input_text', text }] });
const assistant = (text: string): Json => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const call = (id: string, name = 'exec_command'): Json => ({ type: 'function_call', name, call_id: id, arguments: '{}' });
const output = (id: string, text: string): Json => ({ type: 'function_call_output', call_id: id, output: text });
const TOOLS = [
  { type: 'function', name: 'exec_command' },
  { type: 'function', name: 'write_stdin' },
  { type: 'function', name: 'apply_patch' },
];
const body = (input: Json[], tools: Json[] = TOOLS): Json => ({ model: 'replay-demo', instructions: 'be brief', input, tools });
const CONTEXT = [developer('<permissions instructions>\nsandbox read-only'), user('<environment_context>\n  <cwd>/p</cwd>\n</environment_context>')];

const decoded = (json: unknown, source = 'test.json'): ReplayScript[] => {
  const result = decodeReplayScripts(json, source);
  if (E.isLeft(result)) throw new Error(result.left);
  return result.right;
};
const failure = (json: unknown, source = 'test.json'): string => {
  const result = decodeReplayScripts(json, source);
  if (E.isRight(result)) throw new Error('expected a decoding failure');
  return result.left;
};

/** Feeds frames through the SSE parser and the payload decoder, as the transport does. */
const decodeFrames = (frames: readonly { text: string }[]): Promise<ModelEvent[]> =>
  lastValueFrom(
    from(frames.map((f) => f.text)).pipe(
      sseMessages(),
      map((m) => m.data),
      responseEvents(),
      toArray(),
    ),
  );

const scriptsFor = (facts: Json): string => {
  const selection = selectResponse(bundledScripts(), requestFacts(facts));
  return selection.kind === 'noScript' ? 'none' : `${selection.script.name}:${selection.step}`;
};

describe('replay provider', () => {
  describe('script codec', () => {
    it('decodes the bundled demos: summary, plan, command, edit, then the catch-all answer', () => {
      const scripts = decoded(BUNDLED_SCRIPTS, 'bundled');
      expect(scripts.map((s) => s.name)).to.deep.equal(['summary', 'plan', 'command', 'edit', 'answer']);
      expect(scripts.every((s) => s.delayMs === 8)).to.equal(true);
      expect(scripts.at(-1)!.match).to.deep.equal([]);
      expect(bundledScripts().map((s) => s.name)).to.deep.equal(scripts.map((s) => s.name));
    });

    it('takes a file with `scripts`, a bare array or a single script, and normalises steps and matchers', () => {
      const one = { name: 'hi', match: { keywords: ['hi'] }, responses: [{ output: [{ type: 'message', text: 'Hi!' }] }] };
      const [fromFile] = decoded({ version: 1, delayMs: 3, scripts: [one] });
      expect(fromFile).to.deep.equal({ name: 'hi', match: [{ keywords: ['hi'] }], responses: [[{ output: [{ type: 'message', text: 'Hi!' }] }]], delayMs: 3, source: 'test.json' });
      expect(decoded([one])[0]!.delayMs).to.equal(0);
      expect(decoded(one)[0]!.name).to.equal('hi');
      const alternatives = decoded({ name: 'alt', delayMs: 5, responses: [[{ when: { toolOutput: 'x' }, events: [] }, { output: [] }]] })[0]!;
      expect(alternatives.responses[0]).to.have.length(2);
      expect(alternatives.delayMs).to.equal(5);
    });

    it('names the JSON path of the first problem', () => {
      expect(failure({ scripts: [{ name: 'x' }] })).to.equal('test.json.scripts[0].responses: missing required field');
      expect(failure({ scripts: [{ name: 'x', responses: [{ output: [{ type: 'shout', text: 'x' }] }] }] })).to.match(
        /^test\.json\.scripts\[0\]\.responses\[0\]\.output\[0\]\.type: expected one of "message", "reasoning", "function_call", "custom_tool_call", got "shout"$/,
      );
      expect(failure([{ name: 'x', responses: [{ delayMs: -1, output: [] }] }])).to.equal('test.json[0].responses[0].delayMs: expected a non-negative integer, got -1');
      expect(failure({ name: 'x', responses: [] })).to.equal('test.json.responses: give at least one response');
      expect(failure({ name: 'x', responses: [{}] })).to.equal('test.json.responses[0]: give exactly one of `output` or `events`');
      expect(failure({ name: 'x', responses: [[{ output: [] }, { output: [], events: [] }]] })).to.equal('test.json.responses[0][1]: give exactly one of `output` or `events`');
      expect(failure({ name: 'x', responses: [{ output: [{ type: 'message', text: 'ab', chunks: ['a'] }] }] })).to.equal(
        'test.json.responses[0].output[0].chunks: the chunks do not join to `text`',
      );
      expect(failure({ name: 'x', responses: [{ when: { toolOutput: '(' }, output: [] }] })).to.match(/^test\.json\.responses\[0\]\.when\.toolOutput: not a regular expression/);
    });
  });

  describe('request facts and selection', () => {
    it('reads the last user message (not the context messages), the step and the last tool output', () => {
      expect(requestFacts(body([...CONTEXT, user('Please run ls')]))).to.deep.include({ userText: 'Please run ls', mode: 'default', step: 0, lastToolOutput: null, inputLength: 3 });
      const afterTool = requestFacts(body([...CONTEXT, user('run it'), call('c1'), output('c1', 'Process exited with code 0\nOutput:\nok')]));
      expect(afterTool).to.deep.include({ userText: 'run it', step: 1, lastToolOutput: 'Process exited with code 0\nOutput:\nok' });
      const twoCallsOneRound = requestFacts(body([user('go'), call('a'), call('b'), output('a', '1'), output('b', '2')]));
      expect(twoCallsOneRound).to.deep.include({ step: 1, lastToolOutput: '2' });
      const twoRounds = requestFacts(body([user('go'), call('a'), output('a', '1'), assistant('next'), call('b'), output('b', [{ type: 'input_text', text: 'two' }] as never)]));
      expect(twoRounds).to.deep.include({ step: 2, lastToolOutput: 'two' });
      expect(requestFacts(body([user('old'), call('a'), output('a', '1'), assistant('done'), user('new')]))).to.deep.include({ userText: 'new', step: 0 });
      expect(requestFacts(body([])).userText).to.equal('');
      expect(requestFacts(body([], [{ type: 'custom', name: 'apply_patch' }])).tools).to.deep.equal([{ type: 'custom', name: 'apply_patch' }]);
    });

    it('is in plan mode while the latest mode instructions in the input are plan mode’s', () => {
      expect(requestFacts(body([developer('# Plan mode\nwrite a <proposed_plan> block'), user('hi')])).mode).to.equal('plan');
      expect(requestFacts(body([developer('# Plan mode'), user('hi'), developer('# Default mode\ncarry on'), user('hi')])).mode).to.equal('default');
    });

    it('matches keywords at the start of words, and phrases as written, ignoring case', () => {
      expect(keywordMatches('run', 'Could you RUN this?')).to.equal(true);
      expect(keywordMatches('run', 'running late')).to.equal(true);
      expect(keywordMatches('run', 'a rerun')).to.equal(false);
      expect(keywordMatches('edit', 'credit card')).to.equal(false);
      expect(keywordMatches('summarize this conversation', 'Please  SUMMARIZE this\nconversation so far')).to.equal(true);
      expect(keywordMatches('  ', 'anything')).to.equal(false);
    });

    it('picks the bundled demo by keyword or mode, the follow-up after a tool output, else the plain answer', () => {
      expect(scriptsFor(body([...CONTEXT, user('hello')]))).to.equal('answer:0');
      expect(scriptsFor(body([...CONTEXT, user('Run a command please')]))).to.equal('command:0');
      expect(scriptsFor(body([...CONTEXT, user('run'), call('c'), output('c', 'ok')]))).to.equal('command:1');
      expect(scriptsFor(body([...CONTEXT, user('Edit a file')]))).to.equal('edit:0');
      expect(scriptsFor(body([...CONTEXT, user('make a plan')]))).to.equal('plan:0');
      expect(scriptsFor(body([...CONTEXT, developer('# Plan mode'), user('run a command')]))).to.equal('plan:0');
      expect(scriptsFor(body([user('hi'), assistant('hello'), user('Summarize this conversation so far so that…')], []))).to.equal('summary:0');
    });

    it('takes the first alternative whose toolOutput pattern holds, and says when a script has run out', () => {
      const facts = (out: string) => requestFacts(body([user('run'), call('c'), output('c', out)]));
      const text = (out: string): string => {
        const selection = selectResponse(bundledScripts(), facts(out));
        if (selection.kind !== 'response') throw new Error(selection.kind);
        return (selection.response.output![0] as { text: string }).text;
      };
      expect(text('exec command rejected by user')).to.match(/^Understood: I did not run the command/);
      expect(text('Process exited with code 2\nOutput:\nls: cannot access')).to.match(/failed/);
      expect(text('Process exited with code 0\nOutput:\ntotal 0')).to.match(/^Done: the command ran/);
      const ranOut = selectResponse(bundledScripts(), requestFacts(body([user('run'), call('a'), output('a', '1'), assistant('x'), call('b'), output('b', '2')])));
      expect(ranOut).to.deep.include({ kind: 'endOfScript', step: 2 });
      const none = selectResponse(decoded({ name: 'only', match: { keywords: ['zebra'] }, responses: [{ output: [] }] }), requestFacts(body([user('hi')])));
      expect(none).to.deep.equal({ kind: 'noScript' });
    });
  });

  describe('SSE encoding', () => {
    it('splits text into word deltas that join back exactly', () => {
      expect(wordChunks('Hello big\nworld ')).to.deep.equal(['Hello ', 'big\n', 'world ']);
      expect(wordChunks('')).to.deep.equal([]);
      expect(wordChunks('  lead')).to.deep.equal(['  ', 'lead']);
    });

    it('streams the plain answer as the same payloads readPayload decodes: reasoning, message deltas, completed with usage', async () => {
      const events = await decodeFrames(replayFrames(body([...CONTEXT, user('hello')]), bundledScripts(), 0));
      const types = events.map((e) => e.type);
      expect(types[0]).to.equal('created');
      expect(types.at(-1)).to.equal('completed');
      const done = events.filter((e): e is Extract<ModelEvent, { type: 'outputItemDone' }> => e.type === 'outputItemDone').map((e) => e.item);
      expect(done.map((i) => i.type)).to.deep.equal(['reasoning', 'message']);
      const text = events.filter((e): e is Extract<ModelEvent, { type: 'outputTextDelta' }> => e.type === 'outputTextDelta').map((e) => e.delta);
      expect(text.length).to.be.greaterThan(10);
      expect(text.join('')).to.match(/^Hello! I am the offline \*\*replay\*\* demo model of rxagent/);
      expect(events.some((e) => e.type === 'reasoningSummaryDelta')).to.equal(true);
      const completed = events.at(-1) as Extract<ModelEvent, { type: 'completed' }>;
      expect(completed.responseId).to.equal('resp_replay_3');
      expect(completed.tokenUsage!.input_tokens).to.be.greaterThan(0);
      expect(completed.tokenUsage!.total_tokens).to.equal(completed.tokenUsage!.input_tokens + completed.tokenUsage!.output_tokens);
    });

    it('asks for an escalated exec_command in the command demo, with a fresh call id per request', async () => {
      const events = await decodeFrames(replayFrames(body([...CONTEXT, user('run a command')]), bundledScripts(), 0));
      const fc = events.flatMap((e) => (e.type === 'outputItemDone' && e.item.type === 'function_call' ? [e.item] : []))[0]!;
      expect(fc).to.include({ name: 'exec_command', call_id: 'call_replay_3_2' });
      expect(JSON.parse(fc.arguments)).to.deep.include({ cmd: 'ls -la', sandbox_permissions: 'require_escalated' });
    });

    it('calls apply_patch in the form the request offers, and drops calls when no tools are offered', async () => {
      const patchCall = async (tools: Json[]) => {
        const events = await decodeFrames(replayFrames(body([user('edit a file')], tools), bundledScripts(), 0));
        return events.flatMap((e) => (e.type === 'outputItemDone' && (e.item.type === 'function_call' || e.item.type === 'custom_tool_call') ? [e.item] : []));
      };
      const [asFunction] = await patchCall(TOOLS);
      expect(asFunction).to.include({ type: 'function_call', name: 'apply_patch' });
      expect(JSON.parse((asFunction as { arguments: string }).arguments).input).to.contain(`*** Add File: ${DEMO_FILE}`);
      const [asCustom] = await patchCall([{ type: 'function', name: 'exec_command' }, { type: 'custom', name: 'apply_patch' }]);
      expect(asCustom).to.include({ type: 'custom_tool_call', name: 'apply_patch' });
      expect((asCustom as { input: string }).input).to.match(/^\*\*\* Begin Patch\n/);
      expect(await patchCall([])).to.deep.equal([]);
    });

    it('runs exec_command as shell when only shell is offered, and leaves other calls alone', () => {
      const exec = { type: 'function_call' as const, name: 'exec_command', arguments: { cmd: 'ls', sandbox_permissions: 'require_escalated' } };
      expect(adaptCall(exec, [{ type: 'function', name: 'shell' }])).to.deep.equal({
        type: 'function_call',
        name: 'shell',
        arguments: { command: ['bash', '-lc', 'ls'], sandbox_permissions: 'require_escalated' },
      });
      expect(adaptCall(exec, TOOLS)).to.equal(exec);
      const custom = { type: 'custom_tool_call' as const, name: 'apply_patch', input: 'P' };
      expect(adaptCall(custom, TOOLS)).to.deep.equal({ type: 'function_call', name: 'apply_patch', arguments: { input: 'P' } });
    });

    it('sends raw events as written', async () => {
      const scripts = decoded({
        name: 'raw',
        responses: [{ events: [{ type: 'response.output_text.delta', delta: 'x' }, { type: 'response.completed', response: { id: 'r1' } }] }],
      });
      const events = await decodeFrames(replayFrames(body([user('hi')]), scripts, undefined));
      expect(events).to.deep.equal([
        { type: 'outputTextDelta', delta: 'x' },
        { type: 'completed', responseId: 'r1', tokenUsage: null, canAppend: false },
      ]);
    });
  });

  describe('transport', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rxagent-replay-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const provider = (table?: Json) =>
      resolveModelProvider({ model_provider: 'replay', ...(table ? { model_providers: { replay: table } } : {}) }, { env: {} });
    const request: ResponsesRequest = {
      model: 'replay-demo',
      instructions: '',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello there' }] }],
      tools: [],
      parallelToolCalls: false,
      reasoning: null,
      store: false,
      include: [],
    };
    const context = { sessionId: 't', originator: 'o', userAgent: 'u' };

    it('streamResponses routes the replay provider to its scripts: no network, paced on the scheduler', async () => {
      const clock = new ManualScheduler();
      const events = await lastValueFrom(streamResponses(request, { provider: provider(), context, scheduler: clock }).pipe(toArray()));
      expect(events.at(-1)!.type).to.equal('completed');
      expect(events.filter((e) => e.type === 'outputTextDelta').length).to.be.greaterThan(10);
      // Every delta waited the bundled 8 ms, on the given scheduler.
      expect(clock.waits.length).to.be.greaterThan(10);
      expect(new Set(clock.waits)).to.deep.equal(new Set([8]));
    });

    it('reads the scripts of a configured file or folder, and delay_ms overrides the scripts’ pauses', async () => {
      const script = (name: string, text: string, keywords?: string[]) => ({ name, ...(keywords ? { match: { keywords } } : {}), delayMs: 50, responses: [{ output: [{ type: 'message', text }] }] });
      writeFileSync(join(dir, 'one.json'), JSON.stringify({ scripts: [script('hello', 'Hi from a file', ['hello'])] }));
      mkdirSync(join(dir, 'many'));
      writeFileSync(join(dir, 'many', 'b.json'), JSON.stringify([script('fallback', 'Fallback')]));
      writeFileSync(join(dir, 'many', 'a.json'), JSON.stringify(script('greeting', 'Greetings', ['hello'])));
      writeFileSync(join(dir, 'many', 'notes.txt'), 'ignored');
      const textOf = async (scripts: string) => {
        const clock = new ManualScheduler();
        const events = await lastValueFrom(streamResponses(request, { provider: provider({ scripts, delay_ms: 0 }), context, scheduler: clock }).pipe(toArray()));
        expect(clock.waits).to.deep.equal([]);
        return events.flatMap((e) => (e.type === 'outputTextDelta' ? [e.delta] : [])).join('');
      };
      expect(await textOf(join(dir, 'one.json'))).to.equal('Hi from a file');
      expect(await textOf(join(dir, 'many'))).to.equal('Greetings');
      expect((await loadReplayScripts(join(dir, 'many'))).map((s) => s.name)).to.deep.equal(['greeting', 'fallback']);
    });

    it('fails the request, without retries, when the scripts cannot be read', async () => {
      writeFileSync(join(dir, 'bad.json'), '{"scripts": [{"name": 1}]}');
      writeFileSync(join(dir, 'broken.json'), '{');
      const errorOf = (scripts: string) =>
        firstValueFrom(streamResponses(request, { provider: provider({ scripts }), context, scheduler: asyncScheduler })).then(
          () => expect.fail('expected an error'),
          (err: unknown) => err as ModelError,
        );
      const missing = await errorOf(join(dir, 'nope.json'));
      expect(missing).to.be.instanceOf(ModelError);
      expect(missing).to.include({ kind: 'invalidRequest', retryable: false });
      expect(missing.message).to.equal(`replay provider: cannot read ${join(dir, 'nope.json')}: no such file or folder`);
      expect((await errorOf(join(dir, 'bad.json'))).message).to.equal(`replay provider: ${join(dir, 'bad.json')}.scripts[0].name: expected a string, got 1`);
      expect((await errorOf(join(dir, 'broken.json'))).message).to.match(/^replay provider: .*broken\.json is not valid JSON/);
    });

    it('replayResponseEvents alone emits ModelEvents ending with completed', async () => {
      const events = await lastValueFrom(
        replayResponseEvents(body([user('hello')]), { provider: provider({ delay_ms: 0 }), context }, { scheduler: asyncScheduler, random: Math.random }).pipe(toArray()),
      );
      expect(events.at(-1)!.type).to.equal('completed');
    });
  });

  describe('provider', () => {
    it('is built in, with no retries, and takes scripts and delay_ms from [model_providers.replay]', () => {
      expect(builtInModelProviders({}).replay).to.deep.include({ id: 'replay', name: 'Offline demo (replay)', wireApi: 'replay', requestMaxRetries: 0, streamMaxRetries: 0, requiresOpenaiAuth: false });
      expect(resolveModelProvider({ model_provider: 'replay' }, { env: {} }).replay).to.deep.equal({});
      const configured = resolveModelProvider({ model_provider: 'replay', model_providers: { replay: { scripts: '/s.json', delay_ms: 3n, name: 'ignored' } } }, { env: {} });
      expect(configured).to.deep.include({ name: 'Offline demo (replay)', replay: { scripts: '/s.json', delayMs: 3 } });
      expect(resolveModelProvider({}, { env: {} }).replay).to.equal(undefined);
    });

    it('names a bad key of the table', () => {
      expect(() => resolveModelProvider({ model_provider: 'replay', model_providers: { replay: { delay_ms: -1 } } }, { env: {} })).to.throw(
        ModelProviderError,
        'model_providers.replay.delay_ms: expected a non-negative integer, got -1',
      );
      expect(replayOptionsFromTable({ scripts: 7 }, 'p')).to.deep.equal(E.left('p.scripts: expected the path of a script file or folder, got 7'));
      expect(replayOptionsFromTable('x', 'p')).to.deep.equal(E.left('p: expected a table, got "x"'));
    });
  });

  describe('offline default', () => {
    let home: string;
    beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'rxagent-offline-'))));
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    const ON = { [OFFLINE_DEMO_ENV]: '1' };
    const settings = (fields: Partial<ConfigSettings> = {}): ConfigSettings =>
      ({ modelProvider: 'openai', modelProviders: {}, features: {}, projectRootMarkers: ['.git'], sandboxWorkspaceWrite: {}, ...fields }) as ConfigSettings;
    const apply = (config: ConfigSettings, env: NodeJS.ProcessEnv, effective: { config?: Json; typedOverrides?: Json } = {}, catalog = ModelCatalog.withConfig({})) =>
      defaultProviderWhenUnconfigured(config, { effective: { config: (effective.config ?? {}) as never, typedOverrides: (effective.typedOverrides ?? {}) as never }, catalog, codexHome: home, env });

    it('sees credentials in OPENAI_API_KEY or auth.json', () => {
      expect(hasCredentials(home, {})).to.equal(false);
      expect(hasCredentials(home, { OPENAI_API_KEY: ' ' })).to.equal(false);
      expect(hasCredentials(home, { OPENAI_API_KEY: 'sk-x' })).to.equal(true);
      writeFileSync(join(home, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: 'sk-stored' }));
      expect(hasCredentials(home, {})).to.equal(true);
    });

    it('switches an unconfigured session without credentials to the replay provider and model, when on', () => {
      expect(apply(settings(), ON)).to.deep.include({ modelProvider: 'replay', model: 'replay-demo' });
      expect(apply(settings({ model: 'gpt-5.2-codex' }), ON)).to.deep.include({ modelProvider: 'replay', model: 'gpt-5.2-codex' });
      expect(apply(settings(), {})).to.deep.include({ modelProvider: 'openai' }).and.not.have.property('model');
      expect(apply(settings(), { ...ON, OPENAI_API_KEY: 'sk-dummy' })).to.deep.include({ modelProvider: 'openai' });
      for (const effective of [{ config: { model_provider: 'openai' } }, { typedOverrides: { model_provider: 'ollama' } }, { config: { profile: 'p', profiles: { p: { model_provider: 'ollama' } } } }]) {
        expect(apply(settings(), ON, effective).modelProvider).to.equal('openai');
      }
    });

    it('runs the replay model on the replay provider when asked for by name, and never leaves it the default of a real provider', () => {
      expect(apply(settings({ model: 'replay-demo' }), {})).to.deep.include({ modelProvider: 'replay', model: 'replay-demo' });
      const listedFirst = ModelCatalog.withConfig({ 'replay-demo': { visibility: 'list', priority: -1 } });
      expect(apply(settings(), { ...ON, OPENAI_API_KEY: 'sk-dummy' }, {}, listedFirst)).to.deep.include({ modelProvider: 'openai', model: 'gpt-5.2-codex' });
    });

    it('at start-up: offline when on, without credentials or a configured provider; then the replay model is listed first', () => {
      const startup = offlineStartup({ codexHome: home, env: ON, overrides: [] });
      expect(startup.offline).to.equal(true);
      const catalog = ModelCatalog.withConfig({ 'replay-demo': { visibility: 'list', priority: -1 } });
      expect(startup.overrides).to.deep.equal([
        { path: ['models', 'replay-demo', 'visibility'], value: 'list' },
        { path: ['models', 'replay-demo', 'priority'], value: -1 },
      ]);
      expect(catalog.pickerModels(null)[0]).to.deep.include({ id: 'replay-demo', displayName: 'Offline demo (replay)', isDefault: true });
      expect(offlineStartup({ codexHome: home, env: {}, overrides: [] }).offline).to.equal(false);
      expect(offlineStartup({ codexHome: home, env: ON, overrides: [{ path: ['model_provider'], value: 'ollama' }] }).offline).to.equal(false);
      writeFileSync(join(home, 'config.toml'), 'model_provider = "openai"\n');
      expect(offlineStartup({ codexHome: home, env: ON, overrides: [] })).to.deep.equal({ offline: false, overrides: [] });
    });
  });
});
