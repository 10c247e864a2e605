/**
 * JSON-RPC errors as values. Every error rxagent sends carries `data.kind`, a stable
 * machine-readable name a client can switch on (SPEC §I.2); the code is the JSON-RPC class.
 *
 * @example
 * throw rpcError.invalidParams('params.threadId: missing required field');
 */
export const ErrorCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  overloaded: -32001,
  notInitialized: -32002,
} as const;

export interface RpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data: { readonly kind: string } & Record<string, unknown>;
}

/** A JSON-RPC error a handler can throw or return; the router turns it into an error response. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly kind: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RpcError';
  }

  toObject(): RpcErrorObject {
    return { code: this.code, message: this.message, data: { ...this.extra, kind: this.kind } };
  }
}

/** Constructors for the errors every layer shares; feature code passes its own `kind`. */
export const rpcError = {
  parse: (detail: string) => new RpcError(ErrorCode.parseError, `Parse error: ${detail}`, 'parseError'),
  invalidMessage: (detail: string) => new RpcError(ErrorCode.invalidRequest, `Invalid request: ${detail}`, 'invalidRequest'),
  unknownMethod: (method: string) => new RpcError(ErrorCode.methodNotFound, `Method not found: \`${method}\``, 'methodNotFound'),
  unimplemented: (method: string) =>
    new RpcError(ErrorCode.methodNotFound, `Method not found: rxagent does not implement \`${method}\``, 'methodNotImplemented'),
  invalidParams: (message: string, kind = 'invalidParams') => new RpcError(ErrorCode.invalidParams, message, kind),
  invalidRequest: (message: string, kind: string) => new RpcError(ErrorCode.invalidRequest, message, kind),
  notInitialized: () => new RpcError(ErrorCode.notInitialized, 'Not initialized', 'notInitialized'),
  alreadyInitialized: () => new RpcError(ErrorCode.invalidRequest, 'Already initialized', 'alreadyInitialized'),
  experimentalApiRequired: (reason: string) =>
    new RpcError(ErrorCode.invalidRequest, `${reason} requires experimentalApi capability`, 'experimentalApiRequired'),
  overloaded: () => new RpcError(ErrorCode.overloaded, 'Server overloaded; retry later.', 'overloaded'),
  internal: (message: string) => new RpcError(ErrorCode.internalError, message, 'internalError'),
};
