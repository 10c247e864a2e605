import type { ConfigSettings } from '../../config/configSettings.js';
import type { SandboxPolicy, WebSearchMode } from '../../protocol/index.js';

/**
 * The web search a turn offers the model, resolved as the reference does (recorded with config
 * variants against 0.101.0): `web_search` when set (a profile's first); else the deprecated
 * switches — `features.web_search_cached` for cached, else `features.web_search_request` or
 * `tools.web_search = true` for live; else live under full access and cached otherwise.
 *
 * @example
 * webSearchMode({ features: {} }, { type: 'dangerFullAccess' }); // 'live'
 * webSearchMode({ features: {}, webSearch: 'disabled' }, { type: 'dangerFullAccess' }); // 'disabled'
 */
export const webSearchMode = (config: Pick<ConfigSettings, 'webSearch' | 'toolsWebSearch' | 'features'>, sandbox: SandboxPolicy): WebSearchMode => {
  if (config.webSearch !== undefined) return config.webSearch;
  if (config.features.web_search_cached === true) return 'cached';
  if (config.features.web_search_request === true || config.toolsWebSearch === true) return 'live';
  return sandbox.type === 'dangerFullAccess' ? 'live' : 'cached';
};

/**
 * The Responses API's hosted `web_search` tool for a mode, or none when disabled: the provider
 * runs the search; its `web_search_call` output items become `webSearch` items. `cached` keeps
 * the search to the provider's index (`external_web_access: false`).
 *
 * @example
 * webSearchToolSpec('cached'); // { type: 'web_search', external_web_access: false }
 */
export const webSearchToolSpec = (mode: WebSearchMode): { type: 'web_search'; external_web_access: boolean } | undefined =>
  mode === 'disabled' ? undefined : { type: 'web_search', external_web_access: mode === 'live' };
