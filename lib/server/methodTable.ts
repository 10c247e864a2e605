import type { ClientMethod } from '../protocol/method.js';
import type { ThreadIndexHooks } from '../threads/threadIndexHooks.js';
import type { MethodHandler } from './handler.js';

/** Everything the router needs to dispatch any method: the registry and the handlers. */
export interface MethodTable {
  readonly clientMethods: ReadonlyMap<string, ClientMethod>;
  readonly referenceOnlyMethods: ReadonlySet<string>;
  readonly handlers: readonly MethodHandler[];
  /** The thread-listing index of a `CODEX_HOME`, told about this server's rollout writes and moves. */
  readonly threadIndex?: (codexHome: string) => ThreadIndexHooks;
}

/** A resolved table: each handler paired with the registry definition it was checked against. */
export interface BoundMethods {
  readonly table: MethodTable;
  readonly byMethod: ReadonlyMap<string, { readonly def: ClientMethod; readonly handler: MethodHandler }>;
}

/**
 * Pairs handlers with their registry definitions; a handler whose codecs are not the registry's
 * (or whose method is unknown) is a programming error, reported when the server starts.
 */
export const bindMethods = (table: MethodTable): BoundMethods => {
  const byMethod = new Map<string, { def: ClientMethod; handler: MethodHandler }>();
  for (const handler of table.handlers) {
    const def = table.clientMethods.get(handler.method);
    if (!def || def.params !== handler.params || def.result !== handler.result) {
      throw new Error(`handler for ${handler.method} does not match the registry's codecs`);
    }
    byMethod.set(handler.method, { def, handler });
  }
  return { table, byMethod };
};
