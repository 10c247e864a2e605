/**
 * The Codex app-server protocol v2 (0.101.0) as io-ts codecs: wire types, the JSON-RPC envelope,
 * the method registry, the experimental gate, decoding with paths, and the JSON Schema and
 * TypeScript exports walked from the codecs.
 *
 * @example
 * import { clientMethods, decodeParams, Thread } from './lib/protocol/index.js';
 */
export * from './codec.js';
export * from './envelope.js';
export * from './method.js';
export * from './registry.js';
export * from './experimental.js';
export * from './decode.js';
export * from './catalog.js';
export * from './jsonSchema.js';
export * from './typescript.js';
export * from './v1/initialize.js';
export * from './v2/common.js';
export * from './v2/userInput.js';
export * from './v2/responseItem.js';
export * from './v2/items.js';
export * from './v2/thread.js';
export * from './v2/threadMethods.js';
export * from './v2/turnMethods.js';
export * from './v2/model.js';
export * from './v2/account.js';
export * from './v2/config.js';
export * from './v2/mcp.js';
export * from './v2/skills.js';
export * from './v2/apps.js';
export * from './v2/command.js';
export * from './v2/feedback.js';
export * from './v2/notifications.js';
export * from './v2/serverRequests.js';
