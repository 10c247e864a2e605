import { configSettings } from '../../config/configSettings.js';
import { effectiveConfig } from '../../config/effectiveConfig.js';
import { featureList } from '../../config/featureFlags.js';
import { ExperimentalFeatureListParams, ExperimentalFeatureListResponse } from '../../protocol/v2/model.js';
import { handle } from '../handler.js';
import { indexPage } from '../indexPage.js';
import { configRpcError } from './configErrors.js';

/**
 * `experimentalFeature/list` (SPEC §I.3, Appendix B): every `[features]` flag with its stage,
 * default and current value, read from the config at each call (so a `config/value/write` of
 * `features.<name>` shows at once), one page at a time (`cursor` is a start index).
 */
export const experimentalFeatureList = handle(
  'experimentalFeature/list',
  ExperimentalFeatureListParams,
  ExperimentalFeatureListResponse,
  async (params, { server }) => {
    let features: Readonly<Record<string, boolean>>;
    try {
      features = configSettings(await effectiveConfig({ codexHome: server.codexHome, cliOverrides: server.cliOverrides, env: server.env })).features;
    } catch (err) {
      throw configRpcError(err, 'failed to read configuration layers');
    }
    return indexPage(featureList(features), params, 'feature flags');
  },
);
