import { CollaborationModeListParams, CollaborationModeListResponse } from '../../protocol/v2/model.js';
import { COLLABORATION_MODE_PRESETS } from '../../turns/collaborationModes.js';
import { handle } from '../handler.js';

/** `collaborationMode/list` (experimental, SPEC §7.1): the built-in presets, Plan then Default. */
export const collaborationModeList = handle('collaborationMode/list', CollaborationModeListParams, CollaborationModeListResponse, () => ({
  data: [...COLLABORATION_MODE_PRESETS],
}));
