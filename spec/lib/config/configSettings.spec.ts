import { expect } from 'chai';
import { ConfigLoadError } from '../../../lib/config/configError.js';
import { configSettings } from '../../../lib/config/configSettings.js';
import type { JsonTable } from '../../../lib/config/configValue.js';
import type { EffectiveConfig } from '../../../lib/config/effectiveConfig.js';
import { mergeTables } from '../../../lib/config/merge.js';

const effective = (config: JsonTable, typedOverrides: JsonTable = {}): EffectiveConfig => ({
  config: mergeTables(config, typedOverrides),
  layers: [],
  origins: {},
  warnings: [],
  typedOverrides,
});

describe('configSettings', () => {
  it('reads the keys the server needs, with defaults for the unset ones', () => {
    const settings = configSettings(effective({
      model: 'o3',
      approval_policy: 'on-request',
      sandbox_mode: 'workspace-write',
      sandbox_workspace_write: { network_access: true, writable_roots: ['/a'] },
      model_reasoning_effort: 'high',
      model_reasoning_summary: 'concise',
      personality: 'friendly',
      developer_instructions: 'be brief',
      model_instructions_file: '/x/inst.md',
      forced_login_method: 'api',
      forced_chatgpt_workspace_id: 'ws',
      features: { unified_exec: false, junk: 'no' },
      web_search: 'live',
      tools: { web_search: false, view_image: true },
      model_providers: { mock: { base_url: 'http://127.0.0.1:1/v1' } },
    }));
    expect(settings).to.deep.equal({
      model: 'o3',
      modelProvider: 'openai',
      modelProviders: { mock: { base_url: 'http://127.0.0.1:1/v1' } },
      approvalPolicy: 'on-request',
      sandboxMode: 'workspace-write',
      sandboxWorkspaceWrite: { writableRoots: ['/a'], networkAccess: true, excludeTmpdirEnvVar: false, excludeSlashTmp: false },
      reasoningEffort: 'high',
      reasoningSummary: 'concise',
      personality: 'friendly',
      developerInstructions: 'be brief',
      modelInstructionsFile: '/x/inst.md',
      forcedLoginMethod: 'api',
      forcedChatgptWorkspaceId: 'ws',
      features: { unified_exec: false },
      webSearch: 'live',
      toolsWebSearch: false,
      projectRootMarkers: ['.git'],
    });
  });

  it('lets the selected profile override the top level, and typed fields override both', () => {
    const config = { model: 'top', model_provider: 'a', approval_policy: 'never', profile: 'fast', profiles: { fast: { model: 'profile', model_provider: 'b', features: { x: true } } } };
    expect(configSettings(effective(config))).to.deep.include({ profile: 'fast', model: 'profile', modelProvider: 'b', approvalPolicy: 'never', features: { x: true } });
    expect(configSettings(effective(config, { model: 'typed', profile: 'fast' }))).to.deep.include({ model: 'typed', modelProvider: 'b' });
  });

  it("takes a profile's web_search over the top level's", () => {
    const config = { web_search: 'live', profile: 'p', profiles: { p: { web_search: 'disabled' } } };
    expect(configSettings(effective(config)).webSearch).to.equal('disabled');
    expect(configSettings(effective({})).webSearch).to.equal(undefined);
  });

  it('selects a profile named by a typed field', () => {
    const config = { profiles: { slow: { model: 'slow-model' } } };
    expect(configSettings(effective(config, { profile: 'slow' })).model).to.equal('slow-model');
  });

  it('refuses a profile that does not exist', () => {
    expect(() => configSettings(effective({ profile: 'nope' }))).to.throw(ConfigLoadError, 'config profile `nope` not found');
  });
});
