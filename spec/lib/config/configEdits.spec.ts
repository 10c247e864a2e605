import { expect } from 'chai';
import { applyConfigEdits, ConfigWriteError, type ConfigEditRequest } from '../../../lib/config/configEdits.js';
import type { JsonTable } from '../../../lib/config/configValue.js';

const replace = (keyPath: string, value: unknown): ConfigEditRequest => ({ keyPath, value, mergeStrategy: 'replace' });
const upsert = (keyPath: string, value: unknown): ConfigEditRequest => ({ keyPath, value, mergeStrategy: 'upsert' });
const refusal = (table: JsonTable, edits: ConfigEditRequest[]): ConfigWriteError => {
  try {
    applyConfigEdits(table, edits);
  } catch (err) {
    if (err instanceof ConfigWriteError) return err;
    throw err;
  }
  throw new Error('expected the edits to be refused');
};

describe('applyConfigEdits', () => {
  it('sets a value, creating the tables on its way', () => {
    expect(applyConfigEdits({}, [replace('profiles.fast.model', 'o3')])).to.deep.equal({ profiles: { fast: { model: 'o3' } } });
  });

  it('replaces a non-table in the way by a table', () => {
    expect(applyConfigEdits({ features: 'x' }, [replace('features.web', true)])).to.deep.equal({ features: { web: true } });
  });

  it('replace puts the new table in place of the old one', () => {
    expect(applyConfigEdits({ tools: { web_search: true, view_image: true } }, [replace('tools', { view_image: false })])).to.deep.equal({
      tools: { view_image: false },
    });
  });

  it('upsert deep-merges a table into an existing table', () => {
    const table = { profiles: { fast: { model: 'a', approval_policy: 'never' } } };
    expect(applyConfigEdits(table, [upsert('profiles', { fast: { model: 'b' }, slow: { model: 'c' } })])).to.deep.equal({
      profiles: { fast: { model: 'b', approval_policy: 'never' }, slow: { model: 'c' } },
    });
  });

  it('upsert of a non-table replaces', () => {
    expect(applyConfigEdits({ model: 'a', l: [1, 2] }, [upsert('model', 'b'), upsert('l', [3])])).to.deep.equal({ model: 'b', l: [3] });
  });

  it('null deletes the key', () => {
    expect(applyConfigEdits({ a: { b: 1, c: 2 } }, [replace('a.b', null)])).to.deep.equal({ a: { c: 2 } });
    expect(applyConfigEdits({ a: 1 }, [replace('missing', null)])).to.deep.equal({ a: 1 });
  });

  it('refuses to delete under a missing table: configPathNotFound', () => {
    const err = refusal({ a: 1 }, [replace('nope.key', null)]);
    expect(err.code).to.equal('configPathNotFound');
    expect(err.message).to.equal('Path not found');
    expect(refusal({ a: 1 }, [replace('a.b', null)]).code).to.equal('configPathNotFound');
  });

  it('refuses an empty keyPath: configValidationError', () => {
    const err = refusal({}, [replace('', 1)]);
    expect(err.code).to.equal('configValidationError');
    expect(err.message).to.equal('keyPath must not be empty');
    expect(refusal({}, [replace('  ', null)]).code).to.equal('configValidationError');
  });

  it('refuses a value TOML cannot hold', () => {
    const err = refusal({}, [replace('a', { b: [1, null] })]);
    expect(err.code).to.equal('configValidationError');
    expect(err.message).to.match(/^invalid value: /);
  });

  it('applies edits in order and leaves the input untouched', () => {
    const table = { model: 'a' };
    expect(applyConfigEdits(table, [replace('model', 'b'), replace('x', 1), replace('model', null)])).to.deep.equal({ x: 1 });
    expect(table).to.deep.equal({ model: 'a' });
  });
});
