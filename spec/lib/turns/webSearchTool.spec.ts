import { expect } from 'chai';
import type { SandboxPolicy } from '../../../lib/protocol/index.js';
import { webSearchMode, webSearchToolSpec } from '../../../lib/turns/tools/webSearchTool.js';

const READ_ONLY: SandboxPolicy = { type: 'readOnly', access: { type: 'fullAccess' } } as SandboxPolicy;
const FULL: SandboxPolicy = { type: 'dangerFullAccess' };

describe('web search tool', () => {
  // Each case recorded against the reference with the turn-basic scenario and this config.
  const cases: Array<[string, Parameters<typeof webSearchMode>[0], SandboxPolicy, string]> = [
    ['nothing set', { features: {} }, READ_ONLY, 'cached'],
    ['nothing set, full access', { features: {} }, FULL, 'live'],
    ['web_search = "live"', { features: {}, webSearch: 'live' }, READ_ONLY, 'live'],
    ['web_search = "cached", full access', { features: {}, webSearch: 'cached' }, FULL, 'cached'],
    ['web_search = "disabled"', { features: {}, webSearch: 'disabled' }, FULL, 'disabled'],
    ['tools.web_search = true', { features: {}, toolsWebSearch: true }, READ_ONLY, 'live'],
    ['tools.web_search = false', { features: {}, toolsWebSearch: false }, READ_ONLY, 'cached'],
    ['web_search = "live" over tools.web_search = false', { features: {}, webSearch: 'live', toolsWebSearch: false }, READ_ONLY, 'live'],
    ['features.web_search_request', { features: { web_search_request: true } }, READ_ONLY, 'live'],
    ['features.web_search_request = false', { features: { web_search_request: false } }, READ_ONLY, 'cached'],
    ['features.web_search_cached', { features: { web_search_cached: true } }, READ_ONLY, 'cached'],
    ['both features', { features: { web_search_request: true, web_search_cached: true } }, READ_ONLY, 'cached'],
    ['tools.web_search = true with features.web_search_cached', { features: { web_search_cached: true }, toolsWebSearch: true }, READ_ONLY, 'cached'],
    ['web_search = "cached" over features.web_search_request', { features: { web_search_request: true }, webSearch: 'cached' }, READ_ONLY, 'cached'],
  ];
  for (const [name, config, sandbox, mode] of cases) {
    it(`${name}: ${mode}`, () => expect(webSearchMode(config, sandbox)).to.equal(mode));
  }

  it('offers the hosted tool unless disabled, with external access only when live', () => {
    expect(webSearchToolSpec('cached')).to.deep.equal({ type: 'web_search', external_web_access: false });
    expect(webSearchToolSpec('live')).to.deep.equal({ type: 'web_search', external_web_access: true });
    expect(webSearchToolSpec('disabled')).to.equal(undefined);
  });
});
