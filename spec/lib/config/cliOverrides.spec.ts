import { expect } from 'chai';
import { parseCliOverride } from '../../../lib/config/cliOverrides.js';

describe('parseCliOverride', () => {
  it('reads the value as TOML', () => {
    expect(parseCliOverride('model="o3"')).to.deep.equal({ path: ['model'], value: 'o3' });
    expect(parseCliOverride('features.unified_exec=false')).to.deep.equal({ path: ['features', 'unified_exec'], value: false });
    expect(parseCliOverride('x.y=[1, 2]')).to.deep.equal({ path: ['x', 'y'], value: [1, 2] });
    expect(parseCliOverride('t={a=1}')).to.deep.equal({ path: ['t'], value: { a: 1 } });
  });

  it('falls back to the raw string when the value is not TOML', () => {
    expect(parseCliOverride('model=o3')).to.deep.equal({ path: ['model'], value: 'o3' });
    expect(parseCliOverride('path=/tmp/a b')).to.deep.equal({ path: ['path'], value: '/tmp/a b' });
  });

  it('refuses a flag without key=value or with an empty key segment', () => {
    expect(() => parseCliOverride('model')).to.throw('expected key=value');
    expect(() => parseCliOverride('=x')).to.throw('expected key=value');
    expect(() => parseCliOverride('a..b=1')).to.throw('invalid -c override key');
  });
});
