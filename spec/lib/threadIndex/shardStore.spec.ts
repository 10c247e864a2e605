import { expect } from 'chai';
import { decodeHead, decodeShard, encodeShard, type Shard } from '../../../lib/threadIndex/shardStore.js';

const head = { meta: null, preview: 'tab\there, newline\nthere', final: false };
const shard: Shard = {
  dir: 'sessions/2026/11/24',
  mtimeMs: 1_795_557_111_123.456,
  listedAtMs: 1_795_557_200_000,
  files: [
    { name: 'rollout-2026-11-24T21-51-51-01a20f8b-37dd-7520-8718-ca308f7949a7.jsonl', size: 36_005, mtimeMs: 1_795_557_115_303.5, ino: 2_198_929, seconds: 1_795_557_111, id: '01a20f8b-37dd-7520-8718-ca308f7949a7', head: JSON.stringify(head) },
    { name: 'rollout-odd\tname.jsonl', size: 0, mtimeMs: 0, ino: 1, seconds: 0, id: '00000000-0000-7000-8000-000000000001', head: '{"meta":null,"preview":null,"final":true}' },
  ],
};

describe('thread index shards', () => {
  it('round-trip through their text form, tabs and newlines in names and previews included', () => {
    expect(decodeShard(encodeShard(shard))).to.deep.equal(shard);
    expect(decodeShard(encodeShard({ ...shard, files: [] }))).to.deep.equal({ ...shard, files: [] });
  });

  it('refuse a truncated, mangled or foreign text as a whole', () => {
    const text = encodeShard(shard);
    for (const bad of [text.slice(0, -5), text.replace('\t36005\t', '\tmany\t'), text.replace('"version":3', '"version":2'), '', '[]\n', text.replace('\t01a20f8b-37dd', '\tnot-a-uuid')]) {
      expect(decodeShard(bad), JSON.stringify(bad.slice(0, 80))).to.equal(null);
    }
  });

  it('decode a head only when it has the summary shape', () => {
    expect(decodeHead(JSON.stringify(head))).to.deep.equal(head);
    expect(decodeHead('{"meta":42,"preview":null,"final":true}')).to.equal(null);
    expect(decodeHead('{"meta":null,"preview":null}')).to.equal(null);
    expect(decodeHead('{"meta":')).to.equal(null);
  });
});
