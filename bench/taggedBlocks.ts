// Throughput of the taggedBlocks operator: a 10 MiB plan-mode message fed in 8-character chunks
// (the worst realistic delta size), median of 5 runs. Run: npm run build && node dist/bench/taggedBlocks.js
import { from } from 'rxjs';
import { PROPOSED_PLAN } from '../streams/proposedPlan.js';
import { taggedBlocks } from '../streams/taggedBlocks.js';

const SIZE = 10 * 1024 * 1024;
const CHUNK = 8;
const RUNS = 5;

// Prose, indented lines, lines that start like a tag but are not one, and plan blocks.
const paragraph = [
  'Here is my thinking about the change, and why it touches the parser first.\n',
  '  Indented detail with <b>markup</b> that is not a tag line.\n',
  '<proposed_plan> is mentioned inline here, so this line is text.\n',
  '<proposed_plan>\n',
  '# Plan\n',
  '- step one: read the spec\n',
  '- step two: write the reducer\n',
  '   </proposed_plan>  \n',
  'Let me know if this works.\n\n',
].join('');
const message = paragraph.repeat(Math.ceil(SIZE / paragraph.length)).slice(0, SIZE);
const chunks: string[] = [];
for (let i = 0; i < message.length; i += CHUNK) chunks.push(message.slice(i, i + CHUNK));

function once(): number {
  let chars = 0;
  const started = process.hrtime.bigint();
  from(chunks)
    .pipe(taggedBlocks([PROPOSED_PLAN]))
    .subscribe((segment) => {
      if (segment.kind === 'text' || segment.kind === 'blockText') chars += segment.text.length;
    });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (chars === 0) throw new Error('no text came out');
  return seconds;
}

once(); // warm-up: let the JIT settle before measuring
const times = Array.from({ length: RUNS }, once).sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)]!;
const megabytes = Buffer.byteLength(message) / 1e6;
process.stdout.write(
  `${JSON.stringify({
    bench: 'taggedBlocks',
    megabytes: +megabytes.toFixed(1),
    chunks: chunks.length,
    chunkChars: CHUNK,
    megabytesPerSecond: Math.round(megabytes / median),
    runsMs: times.map((t) => Math.round(t * 1000)),
  })}\n`,
);
