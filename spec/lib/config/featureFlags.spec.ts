import { expect } from 'chai';
import { FEATURE_FLAGS, featureList } from '../../../lib/config/featureFlags.js';
import { ExperimentalFeature } from '../../../lib/protocol/v2/model.js';

describe('featureList', () => {
  it('lists every flag once, as the protocol types it, with its default when nothing is configured', () => {
    const list = featureList({});
    expect(list).to.have.length(29);
    expect(new Set(list.map((f) => f.name)).size).to.equal(list.length);
    for (const feature of list) {
      expect(ExperimentalFeature.is(feature), feature.name).to.equal(true);
      expect(feature.enabled, feature.name).to.equal(feature.defaultEnabled);
    }
    expect(list.slice(0, 3).map((f) => f.name)).to.deep.equal(['undo', 'shell_tool', 'unified_exec']);
  });

  it('gives display texts to beta flags only', () => {
    for (const feature of featureList({})) {
      const texts = [feature.displayName, feature.description, feature.announcement];
      if (feature.stage === 'beta') expect(texts.every((text) => typeof text === 'string' && text.length > 0), feature.name).to.equal(true);
      else expect(texts, feature.name).to.deep.equal([null, null, null]);
    }
    expect(FEATURE_FLAGS.filter((f) => f.stage === 'beta').map((f) => f.name)).to.deep.equal(['use_linux_sandbox_bwrap', 'collab', 'apps']);
  });

  it('shows configured values over the defaults, whatever the stage, and ignores unknown keys', () => {
    const list = featureList({ personality: false, undo: true, web_search_request: true, not_a_flag: true });
    const enabled = Object.fromEntries(list.map((f) => [f.name, f.enabled]));
    expect(enabled).to.include({ personality: false, undo: true, web_search_request: true, shell_tool: true });
    expect(enabled).to.not.have.property('not_a_flag');
    expect(list.find((f) => f.name === 'personality')?.defaultEnabled).to.equal(true);
  });
});
