import * as t from 'io-ts';
import * as envelope from './envelope.js';
import { clientMethods } from './registry.js';
import * as initialize from './v1/initialize.js';
import * as account from './v2/account.js';
import * as apps from './v2/apps.js';
import * as command from './v2/command.js';
import * as common from './v2/common.js';
import * as config from './v2/config.js';
import * as feedback from './v2/feedback.js';
import * as items from './v2/items.js';
import * as mcp from './v2/mcp.js';
import * as model from './v2/model.js';
import * as notifications from './v2/notifications.js';
import * as responseItem from './v2/responseItem.js';
import * as serverRequests from './v2/serverRequests.js';
import * as skills from './v2/skills.js';
import * as thread from './v2/thread.js';
import * as threadMethods from './v2/threadMethods.js';
import * as turnMethods from './v2/turnMethods.js';
import * as userInput from './v2/userInput.js';

/**
 * Where a named type lives in the exported schema, as in the reference layout: `v2` types in
 * `v2/` (and under `definitions.v2` of the bundle), `v1` ones in `v1/`, the envelope and the
 * server-request types at the top level.
 */
export type Namespace = 'root' | 'v1' | 'v2';

/** A named wire type: a codec exported under its schema name. */
export interface Definition {
  readonly name: string;
  readonly codec: t.Mixed;
  readonly namespace: Namespace;
}

const modules: readonly (readonly [Namespace, Record<string, unknown>])[] = [
  ['root', envelope],
  ['root', serverRequests],
  ['v1', initialize],
  ...[
    common,
    userInput,
    responseItem,
    items,
    thread,
    threadMethods,
    turnMethods,
    model,
    account,
    config,
    mcp,
    skills,
    apps,
    command,
    feedback,
    notifications,
  ].map((m) => ['v2', m] as const),
];

const collect = (): Map<t.Mixed, Definition> => {
  const byCodec = new Map<t.Mixed, Definition>();
  const names = new Set<string>();
  for (const [namespace, exports] of modules) {
    for (const [name, value] of Object.entries(exports)) {
      if (!(value instanceof t.Type) || value.name !== name) continue;
      if (names.has(name)) throw new Error(`two wire types named ${name}`);
      names.add(name);
      byCodec.set(value as t.Mixed, { name, codec: value as t.Mixed, namespace });
    }
  }
  return byCodec;
};

const byCodec = collect();

/**
 * Every named wire type, in module order.
 *
 * @example
 * definitions.find((d) => d.name === 'Thread')?.namespace; // 'v2'
 */
export const definitions: readonly Definition[] = [...byCodec.values()];

/** The definition a codec instance is exported as, if it is a named wire type. */
export const definitionOf = (codec: t.Mixed): Definition | undefined => byCodec.get(codec);

/**
 * The params and result types of experimental methods: left out of the stable export (the
 * reference's stable bundle drops exactly these, keeping other types even when unreferenced).
 */
export const experimentalMethodTypes: ReadonlySet<t.Mixed> = new Set(
  [...clientMethods.values()].filter((m) => m.experimental).flatMap((m) => [m.params, m.result]),
);
