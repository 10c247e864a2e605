import { serverAuth } from '../../auth/serverAuth.js';
import { modelEntries, readUserConfig } from '../../auth/userConfig.js';
import { ModelCatalog, pageModels } from '../../model/modelCatalog.js';
import { ModelListParams, ModelListResponse } from '../../protocol/v2/model.js';
import { handle } from '../handler.js';

/**
 * `model/list` (SPEC §8.1): the picker models of rxagent's catalog plus `[models]` config entries,
 * in priority order, one page at a time (`cursor` is a start index, `limit` the page size).
 */
export const modelList = handle('model/list', ModelListParams, ModelListResponse, (params, ctx) => {
  const { auth, queue } = serverAuth(ctx.server);
  // In the account queue: the listing depends on the auth mode a pending login may still change.
  return queue.run(() => {
    const catalog = ModelCatalog.withConfig(modelEntries(readUserConfig(ctx.server)));
    return pageModels(catalog.pickerModels(auth.mode()), params);
  });
});
