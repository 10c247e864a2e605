import { MockExperimentalMethodParams, MockExperimentalMethodResponse } from '../../protocol/v2/model.js';
import { handle } from '../handler.js';

/** `mock/experimentalMethod` (experimental): echoes `value`, as the reference does for gating tests. */
export const mockExperimentalMethod = handle(
  'mock/experimentalMethod',
  MockExperimentalMethodParams,
  MockExperimentalMethodResponse,
  (params) => ({ echoed: params.value ?? null }),
);
