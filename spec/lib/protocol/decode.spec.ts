import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { decodeAt, decodeParams } from '../../../lib/protocol/decode.js';
import { SessionSource } from '../../../lib/protocol/v2/thread.js';
import { clientMethods } from '../../../lib/protocol/registry.js';

const paramsOf = (method: string): t.Mixed => clientMethods.get(method)!.params;
const failure = (method: string, params: unknown): string => {
  const result = decodeParams(paramsOf(method), params);
  if (E.isRight(result)) throw new Error(`expected ${JSON.stringify(params)} to be rejected`);
  return result.left;
};

describe('decodeParams', () => {
  it('returns the decoded params when they are valid', () => {
    const params = { threadId: 't', input: [{ type: 'text', text: 'hi' }] };
    expect(decodeParams(paramsOf('turn/start'), params)).to.deep.equal(E.right(params));
  });

  it('names a missing required field', () => {
    expect(failure('thread/read', {})).to.equal('params.threadId: missing required field');
  });

  it('names the expected type and what arrived', () => {
    expect(failure('thread/read', { threadId: 7 })).to.equal('params.threadId: expected a string, got 7');
    expect(failure('thread/read', 'thread-1')).to.equal('params: expected an object, got "thread-1"');
    expect(failure('thread/read', { threadId: 't', includeTurns: 'yes' })).to.equal(
      'params.includeTurns: expected a boolean, got "yes"',
    );
  });

  it('narrows a tagged union by its tag and lists the tags when none matches', () => {
    expect(failure('turn/start', { threadId: 't', input: [{ type: 'foo' }] })).to.equal(
      'params.input[0].type: expected one of "text", "image", "localImage", "skill", "mention", got "foo"',
    );
    expect(failure('turn/start', { threadId: 't', input: [{ type: 'text', text: 'a' }, { type: 'image' }] })).to.equal(
      'params.input[1].url: missing required field',
    );
    expect(failure('turn/start', { threadId: 't', input: [{ text: 'a' }] })).to.equal('params.input[0].type: missing required field');
  });

  it('goes through nullable fields and nested objects', () => {
    expect(
      failure('turn/start', { threadId: 't', input: [], collaborationMode: { mode: 'plan', settings: { model: 'm', reasoning_effort: 'huge' } } }),
    ).to.equal(
      'params.collaborationMode.settings.reasoning_effort: expected one of "none", "minimal", "low", "medium", "high", "xhigh", got "huge"',
    );
    expect(failure('turn/start', { threadId: 't', input: [], approvalPolicy: 'sometimes' })).to.equal(
      'params.approvalPolicy: expected one of "untrusted", "on-failure", "on-request", "never", got "sometimes"',
    );
  });

  it('rejects floats where integers are expected', () => {
    expect(failure('thread/rollback', { threadId: 't', numTurns: 1.5 })).to.equal(
      'params.numTurns: expected a non-negative 32-bit integer, got 1.5',
    );
    expect(failure('thread/rollback', { threadId: 't', numTurns: -1 })).to.equal(
      'params.numTurns: expected a non-negative 32-bit integer, got -1',
    );
  });

  it('rejects integers past their width, as serde does (numTurns is a u32)', () => {
    expect(failure('thread/rollback', { threadId: 't', numTurns: 2 ** 32 })).to.equal(
      'params.numTurns: expected a non-negative 32-bit integer, got 4294967296',
    );
    expect(E.isRight(decodeParams(paramsOf('thread/rollback'), { threadId: 't', numTurns: 2 ** 32 - 1 }))).to.equal(true);
  });

  it('quotes keys that are not identifiers and shortens long strings', () => {
    expect(failure('config/batchWrite', { edits: [{ keyPath: 'a', value: 1, mergeStrategy: 'x'.repeat(100) }] })).to.match(
      /^params\.edits\[0\]\.mergeStrategy: expected one of "replace", "upsert", got "x{40}"…$/,
    );
  });

  it('follows a tagged variant into its arrays', () => {
    const sandbox = { type: 'workspaceWrite', writableRoots: [7] };
    expect(failure('turn/start', { threadId: 't', input: [], sandboxPolicy: sandbox })).to.equal(
      'params.sandboxPolicy.writableRoots[0]: expected a string, got 7',
    );
  });

  it('rejects members outside an externally tagged variant', () => {
    expect(decodeAt(SessionSource, { subAgent: 'review', extra: 1 }, 'source')).to.deep.equal(E.left('source.extra: unexpected field'));
    expect(decodeAt(SessionSource, 'ide', 'source')).to.deep.equal(
      E.left('source: expected one of "cli", "vscode", "exec", "appServer", "unknown", got "ide"'),
    );
  });

  it('accepts unknown extra fields, as the reference does', () => {
    expect(E.isRight(decodeParams(paramsOf('thread/read'), { threadId: 't', somethingNew: true }))).to.equal(true);
  });

  it('names the variants of an untagged login union by their tag', () => {
    expect(failure('account/login/start', { type: 'apiKey' })).to.equal('params.apiKey: missing required field');
    expect(failure('account/login/start', { type: 'password' })).to.equal(
      'params.type: expected one of "apiKey", "chatgpt", "chatgptAuthTokens", got "password"',
    );
  });
});

describe('decodeParams (properties)', () => {
  const methods = ['thread/start', 'thread/resume', 'turn/start', 'account/login/start', 'config/batchWrite', 'initialize'];

  it('fails exactly when the codec rejects, always with a path under params', () => {
    for (const method of methods) {
      const codec = paramsOf(method);
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const result = decodeParams(codec, value);
          expect(E.isRight(result)).to.equal(codec.is(value));
          if (E.isLeft(result)) expect(result.left).to.match(/^params[.[:]/);
        }),
        { numRuns: 200, seed: 42 },
      );
    }
  });
});
