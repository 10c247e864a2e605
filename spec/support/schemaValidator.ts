import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { clientMethods } from '../../lib/protocol/registry.js';

/** ../shared/protocol beside the repo, seen from dist/spec/support/. */
export const SHARED_PROTOCOL = new URL('../../../../shared/protocol/', import.meta.url);

const BUNDLE_ID = 'codex';
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });
ajv.addSchema(
  JSON.parse(readFileSync(new URL('experimental/codex_app_server_protocol.schemas.json', SHARED_PROTOCOL), 'utf8')) as object,
  BUNDLE_ID,
);

const compiled = new Map<string, ValidateFunction>();
/** The reference schema for a definition of the bundle (`ServerNotification`, `ThreadStartResponse`, …). */
export const referenceValidator = (name: string): ValidateFunction => {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.getSchema(`${BUNDLE_ID}#/definitions/v2/${name}`) ?? ajv.getSchema(`${BUNDLE_ID}#/definitions/${name}`);
    if (!validate) throw new Error(`no definition ${name} in the reference schema bundle`);
    compiled.set(name, validate);
  }
  return validate;
};

const check = (name: string, value: unknown, message: unknown): void => {
  const validate = referenceValidator(name);
  if (!validate(value)) {
    throw new Error(`server sent a message that violates ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(message)}`);
  }
};

/** Codes whose error may carry `id: null`: frames that were not JSON or not a JSON-RPC message (SPEC §I.2). */
const NULL_ID_CODES = new Set([-32700, -32600]);

/**
 * Throws unless `message` (as received from the server) validates against the reference protocol
 * schema (../shared/protocol/experimental): responses by the method of the request they answer,
 * notifications and server requests by their method, errors as JSON-RPC errors.
 */
export const assertValidServerMessage = (message: Record<string, unknown>, requestMethods: ReadonlyMap<string | number, string>): void => {
  if ('error' in message) {
    const error = message.error as { code?: unknown; data?: { kind?: unknown } };
    if (message.id === null && NULL_ID_CODES.has(error.code as number)) check('JSONRPCErrorError', error, message);
    else check('JSONRPCError', message, message);
    if (typeof error.data?.kind !== 'string') throw new Error(`error without data.kind: ${JSON.stringify(message)}`);
    return;
  }
  if ('result' in message) {
    check('JSONRPCResponse', message, message);
    const method = requestMethods.get(message.id as string | number);
    const def = method === undefined ? undefined : clientMethods.get(method);
    if (!def) throw new Error(`response to an unknown request: ${JSON.stringify(message)}`);
    check(def.result.name, message.result, message);
    return;
  }
  check('id' in message ? 'ServerRequest' : 'ServerNotification', message, message);
};
