import { expect } from 'chai';
import { configSettings } from '../../../lib/config/configSettings.js';
import type { JsonTable } from '../../../lib/config/configValue.js';
import { mergeTables } from '../../../lib/config/merge.js';
import { resolveSessionSettings } from '../../../lib/threads/sessionSettings.js';

const settingsFor = (config: JsonTable) =>
  resolveSessionSettings(configSettings({ config: mergeTables(config, {}), layers: [], origins: {}, warnings: [], typedOverrides: {} }), '/p', null, {
    defaultModel: 'mock-model',
    defaultReasoningEffort: () => null,
  });

describe('resolveSessionSettings', () => {
  it('takes the pragmatic personality when none is configured and the personality feature is on (SPEC §10.6)', () => {
    expect(settingsFor({}).personality).to.equal('pragmatic');
    expect(settingsFor({ features: { personality: true } }).personality).to.equal('pragmatic');
    expect(settingsFor({ features: { personality: false } }).personality).to.equal(null);
    expect(settingsFor({ personality: 'friendly' }).personality).to.equal('friendly');
    expect(settingsFor({ personality: 'none', features: { personality: false } }).personality).to.equal('none');
  });
});
