import { expect } from 'chai';
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { applyConfigEdits, type ConfigEditRequest } from '../../../lib/config/configEdits.js';
import { fromToml, type JsonTable } from '../../../lib/config/configValue.js';
import { rewriteToml } from '../../../lib/config/tomlEditor.js';

const ORIGINAL = `# my codex config
model = "o3" # the fast one
approval_policy = "never"

# features I like
[features]
unified_exec = false  # no pty

[profiles.fast]
model = "x"
nested = { a = 1, b = [1, 2] }

[[skills]]
path = "/a"

[projects."/home/u/proj"]
trust_level = "trusted"
`;

const table = (text: string): JsonTable => fromToml(parse(text)) as JsonTable;
const edit = (edits: ConfigEditRequest[], text = ORIGINAL) => {
  const before = table(text);
  const after = applyConfigEdits(before, edits);
  return { ...rewriteToml(text, before, after), after };
};
const set = (keyPath: string, value: unknown): ConfigEditRequest => ({ keyPath, value, mergeStrategy: 'replace' });

describe('rewriteToml', () => {
  it('replaces a value in place, keeping its comment and every other line', () => {
    const { text, preserved } = edit([set('model', 'gpt-5')]);
    expect(preserved).to.equal(true);
    expect(text).to.equal(ORIGINAL.replace('model = "o3" # the fast one', 'model = "gpt-5" # the fast one'));
  });

  it('adds a key at the end of its table section', () => {
    const { text } = edit([set('features.web_search', true)]);
    expect(text).to.equal(ORIGINAL.replace('unified_exec = false  # no pty\n', 'unified_exec = false  # no pty\nweb_search = true\n'));
  });

  it('adds a top-level key after the other top-level keys', () => {
    const { text } = edit([set('sandbox_mode', 'read-only')]);
    expect(text).to.equal(ORIGINAL.replace('approval_policy = "never"\n', 'approval_policy = "never"\nsandbox_mode = "read-only"\n'));
  });

  it('adds a new table as a section at the end', () => {
    const { text } = edit([set('profiles.slow', { model: 'y', sub: { q: 1 } })]);
    expect(text).to.equal(`${ORIGINAL}\n[profiles.slow]\nmodel = "y"\n\n[profiles.slow.sub]\nq = 1\n`);
  });

  it('rewrites an inline table when a key inside it changes', () => {
    const { text } = edit([set('profiles.fast.nested.a', 5)]);
    expect(text).to.equal(ORIGINAL.replace('nested = { a = 1, b = [1, 2] }', 'nested = { a = 5, b = [1, 2] }'));
  });

  it('removes a key line, and a whole section with the comments right above it', () => {
    expect(edit([set('approval_policy', null)]).text).to.equal(ORIGINAL.replace('approval_policy = "never"\n', ''));
    expect(edit([set('features', null)]).text).to.equal(
      ORIGINAL.replace('# features I like\n[features]\nunified_exec = false  # no pty\n\n', ''),
    );
  });

  it('quotes keys that are not bare', () => {
    const { text } = edit([set('projects./srv/my proj', { trust_level: 'trusted' })], '');
    expect(text).to.equal('[projects."/srv/my proj"]\ntrust_level = "trusted"\n');
  });

  it('adds next to dotted keys that define the same table', () => {
    const original = 'features.a = true # keep\nmodel = "o3"\n';
    expect(edit([set('features.b', false)], original).text).to.equal('features.a = true # keep\nfeatures.b = false\nmodel = "o3"\n');
  });

  it('writes the table afresh when the layout is one it does not follow', () => {
    // Arrays of tables are replaced as one inline value; the result must still parse to the edit.
    const { text, after } = edit([set('skills', [{ path: '/b' }])]);
    expect(table(text)).to.deep.equal(after);
  });

  it('always yields a file whose table is the edited table (property)', () => {
    const keys = fc.constantFrom('model', 'features', 'features.web', 'profiles.fast', 'profiles.fast.nested', 'profiles.fast.nested.a', 'skills', 'projects./home/u/proj.trust_level', 'new.deep.key', 'a b.c');
    const values = fc.oneof(
      fc.constant(null),
      fc.string({ maxLength: 5 }),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('x', 'y', 'model'), fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.dictionary(fc.constantFrom('z'), fc.boolean())), { maxKeys: 2 }),
    );
    const edits = fc.array(fc.record({ keyPath: keys, value: values, mergeStrategy: fc.constantFrom('replace' as const, 'upsert' as const) }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(edits, (batch) => {
        let result: ReturnType<typeof edit>;
        try {
          result = edit(batch);
        } catch {
          return; // refused edits (e.g. deleting under a missing table) write nothing
        }
        expect(table(result.text)).to.deep.equal(result.after);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps comments of untouched sections through a batch of edits', () => {
    const { text, preserved } = edit([set('model', 'a'), set('features.x', true), set('profiles.fast.model', null)]);
    expect(preserved).to.equal(true);
    expect(text).to.contain('# my codex config\n');
    expect(text).to.contain('# features I like\n[features]\n');
    expect(text).to.contain('[[skills]]\npath = "/a"\n');
  });
});
