import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authFile, deleteAuthDotJson, loadStoredAuth, saveAuthDotJson } from '../../../lib/auth/authStore.js';

describe('auth.json store', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'rxagent-authstore-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('writes the reference format, pretty-printed, mode 0600, leaving no temp file', async () => {
    await saveAuthDotJson(home, { auth_mode: 'apikey', OPENAI_API_KEY: 'sk-one' });
    expect(readFileSync(authFile(home), 'utf8')).to.equal('{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-one"\n}');
    expect(statSync(authFile(home)).mode & 0o777).to.equal(0o600);
    expect(readdirSync(home)).to.deep.equal(['auth.json']);
  });

  it('replaces an existing file (and its lax mode) atomically', async () => {
    writeFileSync(authFile(home), '{"OPENAI_API_KEY":"sk-old"}', { mode: 0o644 });
    await saveAuthDotJson(home, { auth_mode: 'apikey', OPENAI_API_KEY: 'sk-new' });
    expect(loadStoredAuth(home)).to.include({ mode: 'apikey', apiKey: 'sk-new' });
    expect(statSync(authFile(home)).mode & 0o777).to.equal(0o600);
  });

  it('interprets files like the reference: explicit mode, else API key, else tokens', () => {
    const tokens = { id_token: 'i.d.t', access_token: 'a', refresh_token: 'r', account_id: 'ws' };
    const load = (file: object): ReturnType<typeof loadStoredAuth> => {
      writeFileSync(authFile(home), JSON.stringify(file));
      return loadStoredAuth(home);
    };
    expect(load({ OPENAI_API_KEY: 'sk-x' })?.mode).to.equal('apikey');
    expect(load({ OPENAI_API_KEY: null, tokens })?.mode).to.equal('chatgpt');
    expect(load({ auth_mode: 'chatgpt', OPENAI_API_KEY: 'sk-x', tokens })?.mode).to.equal('chatgpt');
    expect(load({ OPENAI_API_KEY: 'sk-x', tokens })?.mode).to.equal('apikey');
    expect(load({ OPENAI_API_KEY: null })).to.equal(undefined);
    const legacy = load({ OPENAI_API_KEY: null, tokens: { id_token: 'i.d.t', access_token: 'a', refresh_token: 'r' } });
    expect(legacy?.mode === 'chatgpt' && legacy.tokens.account_id).to.equal(null);
  });

  it('reports a missing file as no credentials and an unreadable one as an error that does not quote it', () => {
    expect(loadStoredAuth(home)).to.equal(undefined);
    writeFileSync(authFile(home), '{"OPENAI_API_KEY": "sk-secret"');
    expect(() => loadStoredAuth(home)).to.throw(/auth.json is not readable JSON/).and.satisfy((e: Error) => !e.message.includes('sk-secret'));
  });

  it('deletes the file, telling whether there was one', async () => {
    await saveAuthDotJson(home, { auth_mode: 'apikey', OPENAI_API_KEY: 'sk-one' });
    expect(await deleteAuthDotJson(home)).to.equal(true);
    expect(await deleteAuthDotJson(home)).to.equal(false);
  });
});
