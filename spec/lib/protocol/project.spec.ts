import { expect } from 'chai';
import * as t from 'io-ts';
import { project } from '../../../lib/protocol/project.js';
import { ResponseItem } from '../../../lib/protocol/v2/responseItem.js';
import { rolloutFiles, rolloutLines, scenarios } from '../../reducers/referenceFixtures.js';

describe('project', () => {
  it('keeps what the codec declares, all the way down, and drops the rest', () => {
    const fromModel = {
      type: 'message',
      id: 'msg_1',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Hi', annotations: [], logprobs: [] }],
    } as unknown as ResponseItem;
    expect(project(ResponseItem, fromModel)).to.deep.equal({ type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] });
    const call = { type: 'function_call', name: 'exec_command', arguments: '{}', call_id: 'c1', status: 'completed' } as unknown as ResponseItem;
    expect(project(ResponseItem, call)).to.deep.equal({ type: 'function_call', name: 'exec_command', arguments: '{}', call_id: 'c1' });
  });

  it('projects through arrays, records, nullable members and the union member a value is', () => {
    const codec = t.type({
      list: t.array(t.type({ a: t.number })),
      map: t.record(t.string, t.type({ b: t.string })),
      maybe: t.union([t.type({ c: t.boolean }), t.null]),
      either: t.union([t.type({ kind: t.literal('x'), x: t.number }), t.type({ kind: t.literal('y'), y: t.number })]),
    });
    const value = {
      list: [{ a: 1, extra: 1 }],
      map: { k: { b: 's', extra: 2 } },
      maybe: null,
      either: { kind: 'y', y: 2, x: 3 },
      dropped: true,
    } as unknown as t.TypeOf<typeof codec>;
    expect(project(codec, value)).to.deep.equal({ list: [{ a: 1 }], map: { k: { b: 's' } }, maybe: null, either: { kind: 'y', y: 2 } });
  });

  it('loses nothing of the response items the reference wrote in its fixtures', () => {
    let items = 0;
    for (const path of scenarios().flatMap(rolloutFiles)) {
      for (const line of rolloutLines(path)) {
        if (line.type !== 'response_item') continue;
        items += 1;
        expect(project(ResponseItem, line.payload), path).to.deep.equal(line.payload);
      }
    }
    expect(items).to.be.greaterThan(50);
  });
});
