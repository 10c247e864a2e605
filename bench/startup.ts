import { performance } from 'node:perf_hooks';
import { INITIALIZE, median, percentile, spawnServer } from './serverUnderTest.js';

/**
 * Process start to `initialize` response over stdio: spawn, send initialize at once, time the
 * first stdout line. `node dist/bench/startup.js [runs]`.
 */
const once = async (): Promise<number> => {
  const started = performance.now();
  const server = spawnServer([]);
  server.child.stdin.write(`${INITIALIZE()}\n`);
  await new Promise<void>((resolve) => server.child.stdout.once('data', () => resolve()));
  const elapsed = performance.now() - started;
  await server.stop();
  return elapsed;
};

const runs = Number(process.argv[2] ?? 30);
await once(); // warm the file cache
const times: number[] = [];
for (let i = 0; i < runs; i++) times.push(await once());
process.stdout.write(
  `${JSON.stringify({ bench: 'startup', runs, medianMs: +median(times).toFixed(1), p90Ms: +percentile(times, 90).toFixed(1) })}\n`,
);
