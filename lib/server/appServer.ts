import type { Subscription } from 'rxjs';
import { experimentalReason } from '../protocol/experimental.js';
import { decodeParams } from '../protocol/decode.js';
import type { ClientMethod } from '../protocol/method.js';
import type { ConfigOverride } from '../config/cliOverrides.js';
import { ThreadManager } from '../threads/threadManager.js';
import type { World } from '../threads/world.js';
import { noIndexHooks, type ThreadIndexHooks } from '../threads/threadIndexHooks.js';
import type { Connection } from '../transport/connection.js';
import { log } from '../log.js';
import { ConnectionSession } from './connectionSession.js';
import type { MethodHandler, RequestContext } from './handler.js';
import { bindMethods, type BoundMethods, type MethodTable } from './methodTable.js';
import type { ProcessIdentity } from './identity.js';
import { classifyInbound, type InboundRequest, type RequestId } from './inboundMessage.js';
import { RpcError, rpcError } from './rpcError.js';
import type { ServerContext } from './serverContext.js';
import { ServerRequests } from './serverRequests.js';

export interface AppServerOptions {
  readonly codexHome: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cliOverrides: readonly ConfigOverride[];
  readonly identity: ProcessIdentity;
  readonly world: World;
  readonly threadIndex?: ThreadIndexHooks;
  /** Serves `initialize` before the method table has loaded: answering it needs nothing else. */
  readonly initialize: MethodHandler;
  /** The full method table, loaded once; requests other than `initialize` wait for it. */
  readonly loadMethods: () => Promise<MethodTable>;
  /** Requests being handled at once, all connections together; past it new requests get -32001 (SPEC §1.3). */
  readonly maxInflight?: number;
}

const INITIALIZE = 'initialize';
const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

// By tag rather than `instanceof`: this module starts with the process, before io-ts is needed.
const isNullCodec = (codec: unknown): boolean => (codec as { _tag?: unknown })._tag === 'NullType';

const isEmptyObject = (u: unknown): boolean => typeof u === 'object' && u !== null && !Array.isArray(u) && Object.keys(u).length === 0;

/**
 * The JSON-RPC app-server: reads each connection's frames, routes requests through the method
 * table, and writes responses through the connection's own bounded outbound queue, so reading
 * and writing never wait on each other (SPEC §1.3).
 *
 * Order of checks for a request (SPEC §2.2, §I.2): method known (-32601) → params decode (-32602)
 * → `initialize` rules / initialized (-32002) → experimental gate (-32600) → handler.
 *
 * @example
 * const server = new AppServer({ identity, handlers });
 * listener.connections$.subscribe((c) => server.attach(c));
 */
export class AppServer implements ServerContext {
  readonly codexHome: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cliOverrides: readonly ConfigOverride[];
  readonly identity: ProcessIdentity;
  readonly world: World;
  readonly threads = new ThreadManager();
  /** Set from the method table when it loads (the index is not needed to answer `initialize`). */
  threadIndex: ThreadIndexHooks;
  readonly serverRequests = new ServerRequests();
  readonly sessions = new Set<ConnectionSession>();
  private readonly initializeHandler: MethodHandler;
  private readonly loadMethods: () => Promise<MethodTable>;
  private methods: BoundMethods | undefined;
  private methodsLoading: Promise<BoundMethods> | undefined;
  private readonly maxInflight: number;
  private inflight = 0;
  private readonly subscriptions = new Map<ConnectionSession, Subscription>();

  constructor(options: AppServerOptions) {
    this.codexHome = options.codexHome;
    this.env = options.env;
    this.cliOverrides = options.cliOverrides;
    this.identity = options.identity;
    this.world = options.world;
    this.threadIndex = options.threadIndex ?? noIndexHooks;
    this.initializeHandler = options.initialize;
    this.loadMethods = options.loadMethods;
    this.maxInflight = options.maxInflight ?? 128;
  }

  /** Loads and checks the method table (once); called at start-up, right after the first connection is served. */
  methodsReady(): Promise<BoundMethods> {
    this.methodsLoading ??= this.loadMethods().then((table) => {
      if (table.threadIndex) this.threadIndex = table.threadIndex(this.codexHome);
      return (this.methods = bindMethods(table));
    });
    return this.methodsLoading;
  }

  /** Starts serving a connection; returns its session. */
  attach(connection: Connection): ConnectionSession {
    const session = new ConnectionSession(connection);
    this.sessions.add(session);
    const subscription = connection.inbound$.subscribe({
      next: (frame) => this.onFrame(session, frame),
      error: (err: unknown) => {
        log.warn('connection read failed', { connection: connection.id, error: String(err) });
        connection.close('read error');
      },
      // stdio: stdin EOF. Requests already read are still answered before the connection closes.
      complete: () => {
        session.draining = true;
        if (session.inflight === 0) connection.close('peer closed');
      },
    });
    subscription.add(
      connection.oversized$.subscribe(({ bytes, limit }) =>
        this.sendError(session, null, rpcError.invalidMessage(`message of ${bytes} bytes exceeds the ${limit}-byte limit; skipped`)),
      ),
    );
    this.subscriptions.set(session, subscription);
    connection.closed$.subscribe(() => this.detach(session));
    return session;
  }

  broadcast(method: string, params: unknown): void {
    for (const session of this.sessions) if (session.initialized) session.notify(method, params);
  }

  private detach(session: ConnectionSession): void {
    if (!this.sessions.delete(session)) return;
    this.subscriptions.get(session)?.unsubscribe();
    this.subscriptions.delete(session);
    log.debug('connection closed', { connection: session.id });
  }

  private onFrame(session: ConnectionSession, frame: string): void {
    let value: unknown;
    try {
      value = JSON.parse(frame);
    } catch (err) {
      this.sendError(session, null, rpcError.parse((err as Error).message));
      return;
    }
    const message = classifyInbound(value);
    switch (message.kind) {
      case 'invalid':
        this.sendError(session, message.id, rpcError.invalidMessage(message.reason));
        return;
      case 'notification':
        log.debug('client notification', { connection: session.id, method: message.method });
        return;
      case 'response':
      case 'error': {
        const outcome = message.kind === 'response' ? { result: message.result } : { error: message.error };
        if (!this.serverRequests.settle(message.id, outcome)) {
          log.warn('answer to an unknown server request', { connection: session.id, id: message.id });
        }
        return;
      }
      case 'request':
        this.onRequest(session, message);
        return;
    }
  }

  private onRequest(session: ConnectionSession, request: InboundRequest): void {
    if (this.inflight >= this.maxInflight || session.connection.saturated) {
      this.sendError(session, request.id, rpcError.overloaded());
      return;
    }
    this.inflight++;
    session.inflight++;
    const effects: Array<() => void> = [];
    const finish = (outcome: { result: unknown } | { error: unknown }): void => {
      this.inflight--;
      session.inflight--;
      if ('result' in outcome) {
        this.send(session, { id: request.id, result: outcome.result });
        for (const effect of effects) this.runEffect(effect);
      } else {
        this.sendError(session, request.id, toRpcError(outcome.error, request.method));
      }
      if (session.draining && session.inflight === 0) session.connection.close('peer closed');
    };
    const run = (methods: BoundMethods | undefined): void => {
      try {
        const { handler, params } = this.route(session, request, methods);
        const ctx: RequestContext = { session, server: this, afterResponse: (effect) => void effects.push(effect) };
        const out = handler.handle(params, ctx);
        if (isPromiseLike(out)) out.then((result) => finish({ result }), (error: unknown) => finish({ error }));
        else finish({ result: out });
      } catch (error) {
        finish({ error });
      }
    };
    // Until the table has loaded only `initialize` can be answered; the rest wait, in arrival order.
    if (this.methods || request.method === INITIALIZE) run(this.methods);
    else this.methodsReady().then(run, (error: unknown) => finish({ error }));
  }

  /** Resolves a request to its handler and decoded params, or throws the RpcError that answers it. */
  private route(
    session: ConnectionSession,
    request: InboundRequest,
    methods: BoundMethods | undefined,
  ): { handler: MethodHandler; params: unknown } {
    const bound = methods?.byMethod.get(request.method);
    const def = methods ? methods.table.clientMethods.get(request.method) : undefined;
    if (methods && !def) {
      throw methods.table.referenceOnlyMethods.has(request.method)
        ? rpcError.unimplemented(request.method)
        : rpcError.unknownMethod(request.method);
    }
    const handler = bound?.handler ?? (request.method === INITIALIZE ? this.initializeHandler : undefined);
    const params = this.decode(def ?? { method: request.method, params: handler!.params, paramsOptional: false }, request, handler?.prepare);
    if (request.method === INITIALIZE) {
      if (session.initialized) throw rpcError.alreadyInitialized();
    } else {
      if (!session.initialized) throw rpcError.notInitialized();
      const reason = experimentalReason(def!, params);
      if (reason !== undefined && !session.experimentalApi) throw rpcError.experimentalApiRequired(reason);
    }
    if (!handler) throw rpcError.unimplemented(request.method);
    return { handler, params };
  }

  private decode(def: Pick<ClientMethod, 'method' | 'params' | 'paramsOptional'>, request: InboundRequest, prepare?: (params: unknown) => unknown): unknown {
    if (!('params' in request) || request.params === undefined) {
      if (def.paramsOptional) return undefined;
      throw rpcError.invalidParams(`Invalid params: params: missing; ${def.method} requires a params object`);
    }
    const raw = prepare ? prepare(request.params) : request.params;
    // A method without params takes `{}` as well, as the reference does.
    const decoded = decodeParams(def.params, isNullCodec(def.params) && isEmptyObject(raw) ? null : raw);
    if (decoded._tag === 'Left') throw rpcError.invalidParams(`Invalid params: ${decoded.left}`);
    return decoded.right;
  }

  private runEffect(effect: () => void): void {
    try {
      effect();
    } catch (err) {
      log.error('effect after response failed', { error: (err as Error).stack ?? String(err) });
    }
  }

  private send(session: ConnectionSession, message: object): void {
    session.connection.send(JSON.stringify(message));
  }

  private sendError(session: ConnectionSession, id: RequestId | null, error: RpcError): void {
    this.send(session, { error: error.toObject(), id });
  }
}

/** Handler failures become JSON-RPC errors; unexpected ones are logged with their stack, never sent. */
const toRpcError = (error: unknown, method: string): RpcError => {
  if (error instanceof RpcError) return error;
  log.error(`${method} failed`, { error: (error as Error)?.stack ?? String(error) });
  return rpcError.internal(`${method} failed: ${(error as Error)?.message ?? String(error)}`);
};
