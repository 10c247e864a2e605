import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RpcClient } from '../support/rpcClient.js';
import { ServerProcess } from '../support/serverProcess.js';

const start = async (configToml?: string, args: string[] = []): Promise<RpcClient> => {
  const codexHome = mkdtempSync(join(tmpdir(), 'rxagent-spec-'));
  if (configToml !== undefined) writeFileSync(join(codexHome, 'config.toml'), configToml);
  const client = RpcClient.stdio(ServerProcess.start(['app-server', ...args], { codexHome }));
  await client.initialize();
  return client;
};

interface Feature {
  readonly name: string;
  readonly stage: string;
  readonly enabled: boolean;
  readonly defaultEnabled: boolean;
}
type Page = { data: Feature[]; nextCursor: string | null };

const enabledOf = async (client: RpcClient): Promise<Record<string, boolean>> => {
  const { result } = await client.request('experimentalFeature/list', {});
  return Object.fromEntries((result as Page).data.map((f) => [f.name, f.enabled]));
};

describe('experimentalFeature/list', () => {
  it('lists every feature flag in one page by default, and pages by start index', async () => {
    const client = await start();
    const all = (await client.request('experimentalFeature/list', {})).result as Page;
    expect(all.data).to.have.length(29);
    expect(all.nextCursor).to.equal(null);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await client.request('experimentalFeature/list', { limit: 10, cursor })).result as Page;
      seen.push(...page.data.map((f) => f.name));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).to.deep.equal(all.data.map((f) => f.name));
    const past = await client.request('experimentalFeature/list', { cursor: '30' });
    expect(past.error).to.deep.equal({ code: -32600, message: 'cursor 30 exceeds total feature flags 29', data: { kind: 'invalidCursor' } });
  });

  it('shows the flags of config.toml, a profile and -c, and a features write at once', async () => {
    const client = await start('profile = "p"\n[features]\nundo = true\nsteer = false\n[profiles.p.features]\nshell_tool = false\n', [
      '-c',
      'features.collab=true',
    ]);
    expect(await enabledOf(client)).to.include({ undo: true, steer: false, shell_tool: false, collab: true, personality: true });
    const write = await client.request('config/value/write', { keyPath: 'features.personality', value: false, mergeStrategy: 'replace' });
    expect(write.error).to.equal(undefined);
    expect(await enabledOf(client)).to.include({ personality: false, undo: true });
  });

  it('answers a broken config.toml with an error and goes on serving', async () => {
    const client = await start('[features\nundo = true\n');
    const broken = await client.request('experimentalFeature/list', {});
    expect(broken.error).to.deep.include({ code: -32603 });
    expect((broken.error as { message: string }).message).to.match(/config\.toml/);
    expect((await client.request('thread/loaded/list', {})).result).to.deep.equal({ data: [], nextCursor: null });
  });
});
