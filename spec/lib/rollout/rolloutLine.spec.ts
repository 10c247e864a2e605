import { expect } from 'chai';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { EventMsg } from '../../../lib/rollout/eventMsg.js';
import { RolloutResponseItem } from '../../../lib/rollout/responseItem.js';
import { RolloutLine } from '../../../lib/rollout/rolloutLine.js';
import { rolloutFiles, rolloutJson, scenarios } from '../../reducers/referenceFixtures.js';

const TS = '2026-02-12T19:27:11.532Z';
const decodeLine = (type: string, payload: unknown) => RolloutLine.decode({ timestamp: TS, type, payload });
const right = <A>(result: { _tag: 'Left' } | { _tag: 'Right'; right: A }): A => {
  if (result._tag === 'Left') throw new Error('expected a successful decode');
  return result.right;
};

describe('RolloutLine', () => {
  it('decodes every line of every reference rollout and encodes it back to the same JSON', () => {
    let count = 0;
    for (const scenario of scenarios()) {
      for (const path of rolloutFiles(scenario)) {
        for (const [index, json] of rolloutJson(path).entries()) {
          const decoded = RolloutLine.decode(json);
          expect(isRight(decoded), `${path}:${index + 1}`).to.equal(true);
          expect(RolloutLine.encode(right(decoded)), `${path}:${index + 1}`).to.deep.equal(json);
          count += 1;
        }
      }
    }
    expect(count).to.be.greaterThan(200);
  });

  it('decodes the five line kinds', () => {
    expect(right(decodeLine('session_meta', { id: 'x', timestamp: TS, cwd: '/p', originator: 'o', cli_version: '0.101.0' })).type).to.equal('session_meta');
    expect(right(decodeLine('response_item', { type: 'message', role: 'user', content: [] })).type).to.equal('response_item');
    expect(right(decodeLine('event_msg', { type: 'context_compacted' })).type).to.equal('event_msg');
    expect(right(decodeLine('turn_context', { cwd: '/p', approval_policy: 'never', sandbox_policy: { type: 'read-only' }, model: 'm' })).type).to.equal('turn_context');
    expect(right(decodeLine('compacted', { message: 's' })).type).to.equal('compacted');
  });

  it('keeps members it does not model, so a line re-encodes as it was read', () => {
    const payload = { id: 'x', timestamp: TS, cwd: '/p', originator: 'o', cli_version: 'v', future_field: { a: 1 } };
    expect((RolloutLine.encode(right(decodeLine('session_meta', payload))) as { payload: unknown }).payload).to.deep.equal(payload);
  });

  it('rejects what the reference cannot parse: not an object, no timestamp, an unknown line type, a bad payload', () => {
    expect(isLeft(RolloutLine.decode([]))).to.equal(true);
    expect(isLeft(RolloutLine.decode({ type: 'compacted', payload: { message: '' } }))).to.equal(true);
    expect(isLeft(decodeLine('something_new', {}))).to.equal(true);
    expect(isLeft(decodeLine('session_meta', { id: 'x' }))).to.equal(true);
    expect(isLeft(decodeLine('event_msg', { type: 'user_message' }))).to.equal(true);
  });
});

describe('EventMsg', () => {
  it('keeps an unknown event whole as "other" and encodes it back unchanged', () => {
    const raw = { type: 'collab_waiting_begin', sender_thread_id: 'a', extra: [1, 2] };
    const decoded = right(EventMsg.decode(raw));
    expect(decoded).to.deep.equal({ type: 'other', raw });
    expect(EventMsg.encode(decoded)).to.deep.equal(raw);
    expect(EventMsg.is(decoded)).to.equal(true);
  });

  it('reads the turn_started / turn_complete aliases as task_started / task_complete', () => {
    expect(right(EventMsg.decode({ type: 'turn_started', turn_id: 't' }))).to.deep.equal({ type: 'task_started', turn_id: 't' });
    expect(right(EventMsg.decode({ type: 'turn_complete', turn_id: 't', last_agent_message: null }))).to.deep.equal({
      type: 'task_complete',
      turn_id: 't',
      last_agent_message: null,
    });
  });

  it('accepts old user_message shapes (images null or absent)', () => {
    expect(isRight(EventMsg.decode({ type: 'user_message', message: 'q', images: null }))).to.equal(true);
    expect(isRight(EventMsg.decode({ type: 'user_message', message: 'q' }))).to.equal(true);
  });

  it('fails a known event with a malformed payload, and a payload without a type', () => {
    expect(isLeft(EventMsg.decode({ type: 'thread_rolled_back', num_turns: 'two' }))).to.equal(true);
    expect(isLeft(EventMsg.decode({ type: 'turn_aborted', reason: 'bored' }))).to.equal(true);
    expect(isLeft(EventMsg.decode({ message: 'no type' }))).to.equal(true);
  });
});

describe('RolloutResponseItem', () => {
  it('reads a bare function_call_output body and writes it back bare', () => {
    const json = { type: 'function_call_output', call_id: 'c1', output: 'done' };
    const decoded = right(RolloutResponseItem.decode(json));
    expect(decoded).to.deep.equal({ type: 'function_call_output', call_id: 'c1', output: { body: 'done' } });
    expect(RolloutResponseItem.encode(decoded)).to.deep.equal(json);
    const items = [{ type: 'input_text', text: 'x' }];
    expect(RolloutResponseItem.encode(right(RolloutResponseItem.decode({ ...json, output: items })))).to.deep.equal({ ...json, output: items });
  });

  it('reads reasoning without an id and never writes item ids', () => {
    const reasoning = { type: 'reasoning', summary: [{ type: 'summary_text', text: 's' }], encrypted_content: 'e' };
    expect(RolloutResponseItem.encode(right(RolloutResponseItem.decode(reasoning)))).to.deep.equal(reasoning);
    const message = { type: 'message', role: 'assistant', content: [], id: 'msg_1' };
    expect(RolloutResponseItem.encode(right(RolloutResponseItem.decode(message)))).to.deep.equal({ type: 'message', role: 'assistant', content: [] });
  });

  it('reads the compaction_summary alias, and unknown item types as "other"', () => {
    expect(right(RolloutResponseItem.decode({ type: 'compaction_summary', encrypted_content: 'e' }))).to.deep.equal({ type: 'compaction', encrypted_content: 'e' });
    expect(right(RolloutResponseItem.decode({ type: 'image_generation_call', result: '…' }))).to.deep.equal({ type: 'other' });
  });
});
