import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RpcClient } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';

const start = async (configToml?: string): Promise<RpcClient> => {
  const codexHome = mkdtempSync(join(tmpdir(), 'rxagent-spec-'));
  if (configToml !== undefined) writeFileSync(join(codexHome, 'config.toml'), configToml);
  const client = RpcClient.stdio(ServerProcess.start(['app-server'], { codexHome }));
  await client.initialize();
  return client;
};

type Page = { data: Array<{ id: string; isDefault: boolean; inputModalities: string[] }>; nextCursor: string | null };

describe('model/list', () => {
  it('lists the picker models, the first as default, in one page by default', async () => {
    const client = await start();
    const { result } = await client.request('model/list', {});
    const page = result as Page;
    expect(page.data.map((m) => m.id)).to.deep.equal(['gpt-5.2-codex', 'gpt-5.1-codex-max', 'gpt-5.2', 'gpt-5.1-codex-mini']);
    expect(page.data.map((m) => m.isDefault)).to.deep.equal([true, false, false, false]);
    expect(page.nextCursor).to.equal(null);
  });

  it('pages with limit and cursor until nextCursor is null', async () => {
    const client = await start();
    const seen: string[] = [];
    const cursors: Array<string | null> = [];
    let cursor: string | null = null;
    do {
      const { result } = await client.request('model/list', { limit: 3, cursor });
      const page = result as Page;
      seen.push(...page.data.map((m) => m.id));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== null);
    expect(seen).to.deep.equal(['gpt-5.2-codex', 'gpt-5.1-codex-max', 'gpt-5.2', 'gpt-5.1-codex-mini']);
    expect(cursors).to.deep.equal(['3', null]);
  });

  it('answers a bad cursor with -32600 invalidCursor', async () => {
    const client = await start();
    const [bad, past] = await Promise.all([client.request('model/list', { cursor: 'abc' }), client.request('model/list', { cursor: '7', limit: 1 })]);
    expect(bad.error).to.deep.equal({ code: -32600, message: 'invalid cursor: abc', data: { kind: 'invalidCursor' } });
    expect(past.error).to.deep.equal({ code: -32600, message: 'cursor 7 exceeds total models 4', data: { kind: 'invalidCursor' } });
  });

  it('includes [models] entries of config.toml, which can also hide or change bundled ones', async () => {
    const client = await start(`
[models.local-coder]
display_name = "Local coder"
description = "A text-only model served locally"
input_modalities = ["text"]
[models."gpt-5.1-codex-max"]
visibility = "hide"
`);
    const { result } = await client.request('model/list', {});
    const page = result as Page;
    expect(page.data.map((m) => m.id)).to.deep.equal(['gpt-5.2-codex', 'gpt-5.2', 'gpt-5.1-codex-mini', 'local-coder']);
    expect(page.data.at(-1)).to.deep.include({ inputModalities: ['text'], isDefault: false });
  });
});
