import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { METRICS, type Json } from './metrics.js';

/**
 * Runs every benchmark script (or those named) in turn, each in its own process, then prints each
 * tracked figure next to the recorded baseline (`bench/baseline.json`): rxagent's own earlier
 * figure and the reference's, with ratios oriented so that above 1 is better. `--record` stores
 * the figures of this run as the new rxagent baseline. `npm run bench [-- startup rpc] [-- --record]`.
 */
interface Baseline {
  readonly recorded: string;
  readonly machine: string;
  readonly rxagent: Record<string, number>;
  readonly reference: Record<string, number>;
  readonly referenceNote: string;
}

const SCRIPTS = ['startup', 'rpc', 'taggedBlocks', 'threadList', 'stream', 'concurrency', 'resume'];
// The compiled file is dist/bench/all.js; the baseline stays in the source tree, bench/.
const BASELINE = fileURLToPath(new URL('../../bench/baseline.json', import.meta.url));

const args = process.argv.slice(2);
const record = args.includes('--record');
const chosen = args.filter((a) => !a.startsWith('--'));
const scripts = chosen.length > 0 ? SCRIPTS.filter((s) => chosen.includes(s)) : SCRIPTS;

const outputs = new Map<string, Json[]>();
let failed = false;
for (const script of scripts) {
  const path = fileURLToPath(new URL(`${script}.js`, import.meta.url));
  const run = spawnSync(process.execPath, [path], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(run.stdout);
  if (run.status !== 0) {
    process.stderr.write(`bench ${script} failed (exit ${run.status})\n`);
    failed = true;
    continue;
  }
  const lines = run.stdout.split('\n').filter((l) => l.startsWith('{'));
  outputs.set(script, lines.map((l) => JSON.parse(l) as Json));
}

const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as Baseline;
const current: Record<string, number> = {};
for (const metric of METRICS) {
  const lines = outputs.get(metric.script);
  const value = lines === undefined ? undefined : metric.pick(lines);
  if (value !== undefined) current[metric.id] = value;
}

/** `now` against `then`, as a factor where above 1 is better. */
const gain = (better: 'lower' | 'higher', now: number, then: number): string =>
  now === 0 || then === 0 ? '–' : `${(better === 'higher' ? now / then : then / now).toFixed(2)}×`;

const rows = METRICS.filter((m) => current[m.id] !== undefined).map((m) => {
  const now = current[m.id]!;
  const then = baseline.rxagent[m.id];
  const reference = baseline.reference[m.id];
  return [
    m.id,
    `${now} ${m.unit}`,
    then === undefined ? '–' : `${then}`,
    then === undefined ? '–' : gain(m.better, now, then),
    reference === undefined ? '–' : `${reference}`,
    reference === undefined ? '–' : gain(m.better, now, reference),
  ];
});
const header = ['figure', 'now', 'baseline', 'vs baseline', 'reference', 'vs reference'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const format = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
process.stdout.write(`\nAgainst bench/baseline.json (rxagent ${baseline.recorded}, ${baseline.machine}; reference: ${baseline.referenceNote}):\n`);
process.stdout.write(`${[format(header), ...rows.map(format)].join('\n')}\n`);

if (record) {
  const rxagent = { ...baseline.rxagent, ...current };
  writeFileSync(BASELINE, `${JSON.stringify({ ...baseline, recorded: new Date().toISOString().slice(0, 10), rxagent }, null, 2)}\n`);
  process.stdout.write(`recorded ${Object.keys(current).length} figures in bench/baseline.json\n`);
}
process.exit(failed ? 1 : 0);
