import { expect } from 'chai';
import * as t from 'io-ts';
import { explain } from '../../../lib/protocol/decode.js';
import { clientMethods, serverNotifications, serverRequests } from '../../../lib/protocol/registry.js';
import { handWritten } from './support/handWritten.js';
import { SchemaSampler } from './support/schemaSamples.js';
import { exported, reference } from './support/validators.js';

interface Disagreement {
  readonly sample: string;
  readonly codec: boolean;
  readonly reference: boolean;
  readonly exported: boolean;
  readonly value: unknown;
}

const sampler = new SchemaSampler(reference.bundle);

/** Every sample and mutation of the reference schema of `codec`, judged by the three validators. */
const judge = (codec: t.Mixed): { count: number; disagreements: Disagreement[]; invalidBase: string[]; unexplained: string[] } => {
  const name = codec.name;
  const schema = { $ref: reference.pointer(name) };
  const disagreements: Disagreement[] = [];
  const invalidBase: string[] = [];
  const unexplained: string[] = [];
  let count = 0;
  for (let k = 0; k < sampler.variantCount(schema); k++) {
    const base = sampler.sample(schema, k);
    if (!reference.validate(name, base) || !codec.is(base)) invalidBase.push(`variant ${k}: ${JSON.stringify(base)}`);
    for (const { description, value } of [{ description: `variant ${k}`, value: base }, ...sampler.mutations(schema, base, k)]) {
      count++;
      const verdicts = { codec: codec.is(value), reference: reference.validate(name, value), exported: exported.validate(name, value) };
      if (verdicts.codec !== verdicts.reference || verdicts.exported !== verdicts.reference) {
        disagreements.push({ sample: `variant ${k}: ${description}`, ...verdicts, value });
      }
      // Every rejection gets a path-precise message from the walk, never the root-level fallback.
      if (!verdicts.codec && explain(codec, value, 'params') === undefined) unexplained.push(`variant ${k}: ${description}`);
    }
  }
  return { count, disagreements, invalidBase, unexplained };
};

const typesUnderTest = (): t.Mixed[] => {
  const codecs = new Set<t.Mixed>();
  for (const m of clientMethods.values()) {
    if (!m.paramsOptional) codecs.add(m.params);
    codecs.add(m.result);
  }
  for (const n of serverNotifications.values()) codecs.add(n.params);
  for (const r of serverRequests.values()) codecs.add(r.params).add(r.result);
  return [...codecs];
};

describe('protocol conformance: codec vs reference schema vs exported schema', () => {
  for (const codec of typesUnderTest()) {
    it(`${codec.name}: samples and mutations are judged alike`, () => {
      const { count, disagreements, invalidBase, unexplained } = judge(codec);
      expect(invalidBase, 'base samples must be valid').to.deep.equal([]);
      expect(count).to.be.greaterThan(1);
      expect(disagreements.slice(0, 5), `${disagreements.length} of ${count} disagree`).to.deep.equal([]);
      expect(unexplained.slice(0, 5), 'rejections decodeParams cannot explain').to.deep.equal([]);
    });
  }
});

describe('protocol conformance: hand-written messages', () => {
  const codecOf = (method: string, side: 'params' | 'result'): t.Mixed => {
    const def = clientMethods.get(method) ?? serverRequests.get(method) ?? serverNotifications.get(method);
    if (def === undefined) throw new Error(`no method ${method}`);
    return side === 'params' ? def.params : (def as { result: t.Mixed }).result;
  };
  for (const { method, side, valid, why, value } of handWritten) {
    it(`${method} ${side}: ${why} → ${valid ? 'accepted' : 'rejected'} by all three`, () => {
      const codec = codecOf(method, side);
      expect(reference.validate(codec.name, value), 'reference schema').to.equal(valid);
      expect(codec.is(value), 'codec').to.equal(valid);
      expect(exported.validate(codec.name, value), 'exported schema').to.equal(valid);
    });
  }
});
