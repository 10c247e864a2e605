// MCP servers: OAuth login, reload, status listing (tools, resources).

import * as t from 'io-ts';
import { anyJson, int64, uint32 } from '../codec.js';

/** Params of `mcpServerStatus/list`. */
export const ListMcpServerStatusParams = t.partial({
  /** Opaque pagination cursor returned by a previous call. */
  cursor: t.union([t.string, t.null]),
  /** Optional page size; defaults to a server-defined value. */
  limit: t.union([uint32, t.null]),
}, 'ListMcpServerStatusParams');
export type ListMcpServerStatusParams = t.TypeOf<typeof ListMcpServerStatusParams>;

/** How an MCP server is authenticated. */
export const McpAuthStatus = t.keyof({
  unsupported: null,
  notLoggedIn: null,
  bearerToken: null,
  oAuth: null,
}, 'McpAuthStatus');
export type McpAuthStatus = t.TypeOf<typeof McpAuthStatus>;

/** A known resource that the server is capable of reading. */
export const Resource = t.intersection([
  t.type({
    name: t.string,
    uri: t.string,
  }),
  t.partial({
    _meta: t.unknown,
    annotations: t.unknown,
    description: t.union([t.string, t.null]),
    icons: t.union([t.array(t.unknown), t.null]),
    mimeType: t.union([t.string, t.null]),
    size: t.union([int64, t.null]),
    title: t.union([t.string, t.null]),
  }),
], 'Resource');
export type Resource = t.TypeOf<typeof Resource>;

/** A template description for resources available on the server. */
export const ResourceTemplate = t.intersection([
  t.type({
    name: t.string,
    uriTemplate: t.string,
  }),
  t.partial({
    annotations: t.unknown,
    description: t.union([t.string, t.null]),
    mimeType: t.union([t.string, t.null]),
    title: t.union([t.string, t.null]),
  }),
], 'ResourceTemplate');
export type ResourceTemplate = t.TypeOf<typeof ResourceTemplate>;

/** Definition for a tool the client can call. */
export const Tool = t.intersection([
  t.type({
    inputSchema: anyJson,
    name: t.string,
  }),
  t.partial({
    _meta: t.unknown,
    annotations: t.unknown,
    description: t.union([t.string, t.null]),
    icons: t.union([t.array(t.unknown), t.null]),
    outputSchema: t.unknown,
    title: t.union([t.string, t.null]),
  }),
], 'Tool');
export type Tool = t.TypeOf<typeof Tool>;

/** An MCP server with its tools, resources, resource templates and auth status. */
export const McpServerStatus = t.type({
  authStatus: McpAuthStatus,
  name: t.string,
  resourceTemplates: t.array(ResourceTemplate),
  resources: t.array(Resource),
  tools: t.record(t.string, Tool),
}, 'McpServerStatus');
export type McpServerStatus = t.TypeOf<typeof McpServerStatus>;

/** Result of `mcpServerStatus/list`. */
export const ListMcpServerStatusResponse = t.intersection([
  t.type({
    data: t.array(McpServerStatus),
  }),
  t.partial({
    /** Opaque cursor to pass to the next call to continue after the last item. If None, there are no more items to return. */
    nextCursor: t.union([t.string, t.null]),
  }),
], 'ListMcpServerStatusResponse');
export type ListMcpServerStatusResponse = t.TypeOf<typeof ListMcpServerStatusResponse>;

/** Params of `mcpServer/oauth/login`. */
export const McpServerOauthLoginParams = t.intersection([
  t.type({
    name: t.string,
  }),
  t.partial({
    scopes: t.union([t.array(t.string), t.null]),
    timeoutSecs: t.union([int64, t.null]),
  }),
], 'McpServerOauthLoginParams');
export type McpServerOauthLoginParams = t.TypeOf<typeof McpServerOauthLoginParams>;

/** Result of `mcpServer/oauth/login`. */
export const McpServerOauthLoginResponse = t.type({
  authorizationUrl: t.string,
}, 'McpServerOauthLoginResponse');
export type McpServerOauthLoginResponse = t.TypeOf<typeof McpServerOauthLoginResponse>;

/** Result of `config/mcpServer/reload`. */
export const McpServerRefreshResponse = t.type({}, 'McpServerRefreshResponse');
export type McpServerRefreshResponse = t.TypeOf<typeof McpServerRefreshResponse>;
