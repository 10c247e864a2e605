import { isIP } from 'node:net';

export type ListenTarget = { readonly kind: 'stdio' } | { readonly kind: 'websocket'; readonly host: string; readonly port: number };

/**
 * Parses `--listen` as the reference does (SPEC §1.2): `stdio://` or `ws://IP:PORT` with an IP
 * literal (IPv6 in brackets). Throws an Error whose message is the one printed to the user.
 *
 * @example
 * parseListenUrl('ws://127.0.0.1:4500'); // { kind: 'websocket', host: '127.0.0.1', port: 4500 }
 */
export const parseListenUrl = (url: string): ListenTarget => {
  if (url === 'stdio://') return { kind: 'stdio' };
  if (!url.startsWith('ws://')) throw new Error(`unsupported --listen URL \`${url}\`; expected \`stdio://\` or \`ws://IP:PORT\``);
  const address = url.slice('ws://'.length);
  const match = /^(?:\[([^\]]+)\]|([^:\[\]]+)):(\d{1,5})$/.exec(address);
  const host = match?.[1] ?? match?.[2];
  const port = match ? Number(match[3]) : NaN;
  const v6 = match?.[1] !== undefined;
  if (!host || isIP(host) !== (v6 ? 6 : 4) || !(port >= 0 && port <= 65535)) {
    throw new Error(`invalid websocket --listen URL \`${url}\`; expected \`ws://IP:PORT\``);
  }
  return { kind: 'websocket', host, port };
};
