import { expect } from 'chai';
import { ConfigLoadError } from '../../../lib/config/configError.js';
import { readRequirements } from '../../../lib/config/requirements.js';
import { TempTree } from '../../support/tempTree.js';

describe('readRequirements', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree({ 'system/': '' })));
  afterEach(() => tree.remove());
  const read = () => readRequirements({ RXAGENT_SYSTEM_CONFIG_DIR: tree.path('system') });

  it('is null without a requirements.toml, or with one that sets nothing', async () => {
    expect(await read()).to.equal(null);
    tree.write({ 'system/requirements.toml': '# nothing yet\n' });
    expect(await read()).to.equal(null);
  });

  it('reports the allow-lists in camelCase, always allowing web search "disabled"', async () => {
    tree.write({
      'system/requirements.toml': [
        'allowed_approval_policies = ["never", "on-request"]',
        'allowed_sandbox_modes = ["read-only", "external-sandbox"]',
        'allowed_web_search_modes = ["cached"]',
        'enforce_residency = "us"',
        '[network]',
        'enabled = true',
        'allowed_domains = ["example.com"]',
      ].join('\n'),
    });
    expect(await read()).to.deep.equal({
      allowedApprovalPolicies: ['never', 'on-request'],
      allowedSandboxModes: ['read-only'],
      allowedWebSearchModes: ['cached', 'disabled'],
      enforceResidency: 'us',
      network: { enabled: true, allowedDomains: ['example.com'] },
    });
  });

  it('leaves unset lists null', async () => {
    tree.write({ 'system/requirements.toml': 'allowed_approval_policies = ["never"]\n' });
    expect(await read()).to.deep.equal({
      allowedApprovalPolicies: ['never'],
      allowedSandboxModes: null,
      allowedWebSearchModes: null,
      enforceResidency: null,
      network: null,
    });
  });

  it('rejects values of the wrong type', async () => {
    tree.write({ 'system/requirements.toml': 'allowed_approval_policies = ["sometimes"]\n' });
    const err = await read().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ConfigLoadError);
    expect((err as Error).message).to.contain('requirements.allowed_approval_policies[0]: expected one of');
  });
});
