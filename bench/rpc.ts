import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { INITIALIZE, spawnServer } from './serverUnderTest.js';

/**
 * Requests per second of a trivial request (`mock/experimentalMethod`, which echoes its params)
 * over stdio and websocket, keeping `window` requests in flight.
 * `node dist/bench/rpc.js [requests] [window]`.
 */
const total = Number(process.argv[2] ?? 50_000);
const windowSize = Number(process.argv[3] ?? 64);
const request = (id: number): string => JSON.stringify({ id, method: 'mock/experimentalMethod', params: { value: String(id) } });

/** Drives `send`/`onMessage` until `total` answers came back; returns requests per second. */
const drive = async (send: (frame: string) => void, onMessage: (cb: (frame: string) => void) => void): Promise<number> => {
  let sent = 0;
  let answered = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    onMessage(() => {
      answered++;
      if (answered === total) resolve();
      else if (sent < total) send(request(++sent));
    });
    while (sent < Math.min(windowSize, total)) send(request(++sent));
  });
  return total / ((performance.now() - started) / 1000);
};

const stdio = async (): Promise<number> => {
  const server = spawnServer([]);
  let buffer = '';
  let handler: (line: string) => void = () => undefined;
  server.child.stdout.setEncoding('utf8');
  server.child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      handler(line);
    }
  });
  const write = (frame: string): void => void server.child.stdin.write(`${frame}\n`);
  write(INITIALIZE({ experimentalApi: true }));
  await new Promise<void>((resolve) => (handler = () => resolve()));
  const rps = await drive(write, (cb) => (handler = cb));
  await server.stop();
  return rps;
};

const websocket = async (): Promise<number> => {
  const server = spawnServer(['--listen', 'ws://127.0.0.1:0']);
  const url = await new Promise<string>((resolve) => {
    let err = '';
    server.child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /listening on: (ws:\/\/\S+)/.exec(err);
      if (match) resolve(match[1]!);
    });
  });
  // The reference drops clients that offer permessage-deflate, so the bench offers none.
  const socket = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(INITIALIZE({ experimentalApi: true }));
  await new Promise((resolve) => socket.once('message', resolve));
  const rps = await drive(
    (frame) => socket.send(frame),
    (cb) => socket.on('message', (data) => cb(data.toString())),
  );
  socket.close();
  server.child.kill('SIGTERM');
  await server.stop();
  return rps;
};

const results = { bench: 'rpc', requests: total, window: windowSize, stdioRps: Math.round(await stdio()), websocketRps: Math.round(await websocket()) };
process.stdout.write(`${JSON.stringify(results)}\n`);
