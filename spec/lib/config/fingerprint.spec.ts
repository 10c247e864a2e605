import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { canonicalJson, layerVersion } from '../../../lib/config/fingerprint.js';

describe('layerVersion', () => {
  it('is sha256: and the hex SHA-256 of the compact JSON with keys sorted recursively', () => {
    const table = { model: 'o3', a: { z: [1, { y: true, b: 'x' }], c: 2.5 } };
    const canonical = '{"a":{"c":2.5,"z":[1,{"b":"x","y":true}]},"model":"o3"}';
    expect(canonicalJson(table)).to.equal(canonical);
    expect(layerVersion(table)).to.equal(`sha256:${createHash('sha256').update(canonical).digest('hex')}`);
  });

  it('does not depend on key order', () => {
    expect(layerVersion({ a: 1, b: { c: 2, d: 3 } })).to.equal(layerVersion({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it('changes with any value', () => {
    expect(layerVersion({ a: 1 })).to.not.equal(layerVersion({ a: 2 }));
    expect(layerVersion({})).to.equal('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });

  it('sorts keys by their UTF-8 bytes, as the reference does', () => {
    // U+FF5E sorts after U+1F600 in UTF-16 code units but before it in UTF-8 bytes.
    expect(canonicalJson({ '\u{1F600}': 1, '\uFF5E': 2 })).to.equal('{"\uFF5E":2,"\u{1F600}":1}');
  });
});
