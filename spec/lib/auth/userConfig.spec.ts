import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authSettings, modelEntries, readUserConfig } from '../../../lib/auth/userConfig.js';
import { RpcError } from '../../../lib/server/rpcError.js';

describe('user config (minimal reader)', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'rxagent-userconfig-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const write = (toml: string): void => writeFileSync(join(home, 'config.toml'), toml);

  it('defaults to the OpenAI provider with no login restrictions when config.toml is missing', () => {
    expect(authSettings(readUserConfig({ codexHome: home, cliOverrides: [] }))).to.deep.equal({
      forcedLoginMethod: null,
      forcedChatgptWorkspaceId: null,
      requiresOpenaiAuth: true,
      chatgptBaseUrl: 'https://chatgpt.com/backend-api/',
    });
  });

  it('reads the login restrictions and the active provider (profile first), with -c flags on top', () => {
    write(`
forced_login_method = "api"
forced_chatgpt_workspace_id = "ws-1"
model_provider = "mock"
profile = "work"
[profiles.work]
chatgpt_base_url = "http://127.0.0.1:1/backend-api/"
[model_providers.mock]
requires_openai_auth = false
[model_providers.openai]
requires_openai_auth = false
[models.extra]
description = "x"
`);
    const config = readUserConfig({ codexHome: home, cliOverrides: [{ path: ['forced_login_method'], value: 'chatgpt' }] });
    expect(authSettings(config)).to.deep.equal({
      forcedLoginMethod: 'chatgpt',
      forcedChatgptWorkspaceId: 'ws-1',
      requiresOpenaiAuth: false,
      chatgptBaseUrl: 'http://127.0.0.1:1/backend-api/',
    });
    expect(modelEntries(config)).to.deep.equal({ extra: { description: 'x' } });
    // built-in providers can't be redefined, as in the reference
    expect(authSettings({ ...config, model_provider: 'openai' }).requiresOpenaiAuth).to.equal(true);
  });

  it('reports a malformed file by line without quoting it', () => {
    write('experimental_bearer_token = "sk-secret\nx');
    try {
      readUserConfig({ codexHome: home, cliOverrides: [] });
      expect.fail('expected an error');
    } catch (err) {
      expect(err).to.be.instanceOf(RpcError);
      expect((err as RpcError).code).to.equal(-32603);
      expect((err as RpcError).message).to.match(/failed to parse .*config\.toml at line 1, column \d+: /).and.not.include('sk-secret');
    }
  });
});
