import { expect } from 'chai';
import * as t from 'io-ts';
import { experimentalField, experimentalReason, isExperimentalField } from '../../../lib/protocol/experimental.js';
import { clientMethod } from '../../../lib/protocol/method.js';
import { clientMethods } from '../../../lib/protocol/registry.js';

const method = (name: string) => {
  const def = clientMethods.get(name);
  if (def === undefined) throw new Error(`no method ${name}`);
  return def;
};

const reason = (name: string, params: unknown) => experimentalReason(method(name), params);

const collaborationMode = { mode: 'plan', settings: { model: 'gpt-5' } };
const history = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }];

describe('experimentalReason', () => {
  describe('whole experimental methods', () => {
    for (const name of ['thread/backgroundTerminals/clean', 'collaborationMode/list', 'mock/experimentalMethod']) {
      it(`gates ${name} regardless of params`, () => {
        expect(reason(name, {})).to.equal(name);
      });
    }

    it('marks no other method experimental', () => {
      const gated = [...clientMethods.values()].filter((m) => m.experimental).map((m) => m.method);
      expect(gated).to.deep.equal(['thread/backgroundTerminals/clean', 'collaborationMode/list', 'mock/experimentalMethod']);
    });
  });

  describe('experimental fields (presence semantics of SPEC §3.1)', () => {
    const cases: [string, unknown, string | undefined][] = [
      ['thread/start', {}, undefined],
      ['thread/start', { dynamicTools: [] }, undefined],
      ['thread/start', { dynamicTools: null }, undefined],
      ['thread/start', { dynamicTools: [{ name: 'f', description: 'd', inputSchema: {} }] }, 'thread/start.dynamicTools'],
      ['thread/start', { experimentalRawEvents: false }, undefined],
      ['thread/start', { experimentalRawEvents: true }, 'thread/start.experimentalRawEvents'],
      ['thread/start', { mockExperimentalField: null }, undefined],
      ['thread/start', { mockExperimentalField: '' }, 'thread/start.mockExperimentalField'],
      ['thread/start', { model: 'gpt-5', config: { a: 1 } }, undefined],
      ['thread/resume', { threadId: 't' }, undefined],
      ['thread/resume', { threadId: 't', history: [] }, undefined],
      ['thread/resume', { threadId: 't', history }, 'thread/resume.history'],
      ['thread/resume', { threadId: 't', path: null }, undefined],
      ['thread/resume', { threadId: 't', path: '/tmp/rollout.jsonl' }, 'thread/resume.path'],
      ['thread/fork', { threadId: 't', path: '/tmp/rollout.jsonl' }, 'thread/fork.path'],
      ['thread/fork', { threadId: 't' }, undefined],
      ['turn/start', { threadId: 't', input: [] }, undefined],
      ['turn/start', { threadId: 't', input: [], collaborationMode: null }, undefined],
      ['turn/start', { threadId: 't', input: [], collaborationMode }, 'turn/start.collaborationMode'],
      ['account/login/start', { type: 'apiKey', apiKey: 'sk-x' }, undefined],
      ['account/login/start', { type: 'chatgpt' }, undefined],
      [
        'account/login/start',
        { type: 'chatgptAuthTokens', accessToken: 'jwt', chatgptAccountId: 'acc' },
        'account/login/start.chatgptAuthTokens',
      ],
      ['thread/read', { threadId: 't', includeTurns: true }, undefined],
    ];
    for (const [name, params, expected] of cases) {
      it(`${name} ${JSON.stringify(params)} → ${expected ?? 'allowed'}`, () => {
        expect(reason(name, params)).to.equal(expected);
      });
    }
  });

  it('reports the first experimental field in declaration order', () => {
    expect(reason('thread/start', { experimentalRawEvents: true, dynamicTools: [{ name: 'f', description: 'd', inputSchema: {} }] })).to.equal(
      'thread/start.dynamicTools',
    );
  });

  it('derives the gate from the codec markers, not from method names', () => {
    const params = t.partial({ secret: experimentalField(t.union([t.string, t.null])), plain: t.string });
    const def = clientMethod('example/method', params, t.type({}));
    expect(experimentalReason(def, { plain: 'x' })).to.equal(undefined);
    expect(experimentalReason(def, { secret: 'x' })).to.equal('example/method.secret');
  });

  it('marks a copy, leaving shared codec instances unmarked', () => {
    const marked = experimentalField(t.boolean);
    expect(isExperimentalField(marked)).to.equal(true);
    expect(isExperimentalField(t.boolean)).to.equal(false);
    expect(marked.is(true)).to.equal(true);
    expect(marked.is('true')).to.equal(false);
  });
});
