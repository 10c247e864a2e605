import { clientMethods, referenceOnlyMethods } from '../../protocol/registry.js';
import type { MethodTable } from '../methodTable.js';
import { initialize } from './initialize.js';
import { mockExperimentalMethod } from './mockExperimentalMethod.js';

/**
 * Every method rxagent serves, with the registry; loaded after start-up so the process can answer
 * `initialize` first. A registry method without a handler answers -32601 "not implemented".
 */
export const methodTable: MethodTable = {
  clientMethods,
  referenceOnlyMethods,
  handlers: [initialize, mockExperimentalMethod],
};
