import type { MethodHandler } from '../handler.js';
import { initialize } from './initialize.js';
import { mockExperimentalMethod } from './mockExperimentalMethod.js';

/** Every method rxagent serves; a registry method without a handler answers -32601 "not implemented". */
export const methodHandlers: readonly MethodHandler[] = [initialize, mockExperimentalMethod];
