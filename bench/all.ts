import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs every benchmark script in turn, each in its own process; `npm run bench`. */
const SCRIPTS = ['startup.js', 'rpc.js', 'taggedBlocks.js', 'threadList.js', 'stream.js', 'concurrency.js', 'resume.js'];

let failed = false;
for (const script of SCRIPTS) {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const run = spawnSync(process.execPath, [path], { stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`bench ${script} failed (exit ${run.status})\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
