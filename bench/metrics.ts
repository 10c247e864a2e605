/**
 * The figures `npm run bench` tracks against `bench/baseline.json`: for each, the script that
 * measures it, where it sits in the script's JSON output, its unit and which way is better.
 */
export interface Metric {
  readonly id: string;
  readonly script: string;
  readonly unit: string;
  readonly better: 'lower' | 'higher';
  /** The figure from the JSON lines the script printed, or `undefined` if it is not there. */
  readonly pick: (lines: readonly Json[]) => number | undefined;
}

/** Bench output is whatever JSON the scripts print; `at` walks it without a schema. */
export type Json = any;

const at = (value: Json, path: string): number | undefined => {
  let here = value;
  for (const key of path.split('.')) here = here?.[key];
  return typeof here === 'number' ? here : undefined;
};

/** A figure of the (only or first) line a script printed. */
const first = (path: string) => (lines: readonly Json[]) => at(lines[0], path);

/** A figure of the line that matches `where` (e.g. the 10,000-rollout line of threadList). */
const line = (where: (line: Json) => boolean, path: string) => (lines: readonly Json[]) => at(lines.find(where), path);

const threadList = (path: string) => line((l) => l.rollouts === 10_000, path);
const concurrencyWs = (clients: number, path: string) => (lines: readonly Json[]) =>
  at((lines[0]?.ws as Json[] | undefined)?.find((level) => level.clients === clients), path);

export const METRICS: readonly Metric[] = [
  { id: 'startup: process start → initialize answer (median)', script: 'startup', unit: 'ms', better: 'lower', pick: first('medianMs') },
  { id: 'rpc: trivial requests over stdio', script: 'rpc', unit: 'req/s', better: 'higher', pick: first('stdioRps') },
  { id: 'rpc: trivial requests over websocket', script: 'rpc', unit: 'req/s', better: 'higher', pick: first('websocketRps') },
  { id: 'taggedBlocks: 10 MB plan message, 8-char chunks', script: 'taggedBlocks', unit: 'MB/s', better: 'higher', pick: first('megabytesPerSecond') },
  { id: 'thread/list 10k: warm first page, created_at', script: 'threadList', unit: 'ms', better: 'lower', pick: threadList('created_at.firstPage.medianMs') },
  { id: 'thread/list 10k: warm first page, updated_at', script: 'threadList', unit: 'ms', better: 'lower', pick: threadList('updated_at.firstPage.medianMs') },
  { id: 'thread/list 10k: paging through all, created_at', script: 'threadList', unit: 'ms', better: 'lower', pick: threadList('created_at.pageThrough.ms') },
  { id: 'thread/list 10k: paging through all, updated_at', script: 'threadList', unit: 'ms', better: 'lower', pick: threadList('updated_at.pageThrough.ms') },
  { id: 'thread/list 10k: first request after start, created_at', script: 'threadList', unit: 'ms', better: 'lower', pick: threadList('firstCallMs.created_at') },
  { id: 'thread/list 10k: first request after start, updated_at', script: 'threadList', unit: 'ms', better: 'lower', pick: threadList('firstCallMs.updated_at') },
  { id: 'stream: deltas/s over stdio', script: 'stream', unit: 'deltas/s', better: 'higher', pick: first('stdio.default.deltasPerSec') },
  { id: 'stream: deltas/s over websocket', script: 'stream', unit: 'deltas/s', better: 'higher', pick: first('ws.default.deltasPerSec') },
  { id: 'stream: server CPU per delta, websocket', script: 'stream', unit: 'µs', better: 'lower', pick: first('ws.default.cpuUsPerDelta') },
  { id: 'concurrency: 32 ws clients, turns/s', script: 'concurrency', unit: 'turns/s', better: 'higher', pick: concurrencyWs(32, 'turnsPerSecCompleted') },
  { id: 'concurrency: 32 ws clients, p99 turn', script: 'concurrency', unit: 'ms', better: 'lower', pick: concurrencyWs(32, 'p99Ms') },
  { id: 'resume: thread/resume of 100k lines', script: 'resume', unit: 'ms', better: 'lower', pick: first('resume.ms') },
  { id: 'resume: peak RSS of thread/resume', script: 'resume', unit: 'MB', better: 'lower', pick: first('resume.peakRssMb') },
  { id: 'resume: thread/read with turns', script: 'resume', unit: 'ms', better: 'lower', pick: first('read.ms') },
  { id: 'resume: first turn after the resume', script: 'resume', unit: 'ms', better: 'lower', pick: first('firstTurnAfterResume.ms') },
  { id: 'resume: thread/fork of 100k lines', script: 'resume', unit: 'ms', better: 'lower', pick: first('fork.ms') },
  { id: 'resume: peak RSS of thread/fork', script: 'resume', unit: 'MB', better: 'lower', pick: first('fork.peakRssMb') },
];
