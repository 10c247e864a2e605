import { expect } from 'chai';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import { readRollout, readRolloutAt, RolloutReadError } from '../../../lib/rollout/rolloutReader.js';
import { RolloutLine } from '../../../lib/rollout/rolloutLine.js';
import { readLinesAt, type LineRef } from '../../../lib/rollout/storedLines.js';
import { rolloutFiles, scenarios } from '../../reducers/referenceFixtures.js';
import { TempTree } from '../../support/tempTree.js';

const line = (payload: Record<string, unknown>, type = 'event_msg'): string => JSON.stringify({ timestamp: '2026-02-12T19:27:11.532Z', type, payload });
const agent = (message: string): string => line({ type: 'agent_message', message });
const output = (body: string): string => line({ type: 'function_call_output', call_id: 'c1', output: body }, 'response_item');

const rejection = async (promise: Promise<unknown>): Promise<RolloutReadError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(RolloutReadError);
    return error as RolloutReadError;
  }
  throw new Error('expected a RolloutReadError');
};

describe('readRolloutAt and readLinesAt', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree()));
  afterEach(() => tree.remove());

  it('gives each line its text and the bytes it occupies, past CRLF endings, blank and bad lines and multi-byte text', async () => {
    const content = `${agent('one')}\r\n\n  \nnot json\n${agent('é😀 two')}\n${output('x'.repeat(3000))}\r\n${agent('torn')}`;
    const path = tree.file('mixed.jsonl', content);
    const positioned = await lastValueFrom(readRolloutAt(path, { warn: () => undefined }).pipe(toArray()));
    expect(positioned.map(({ line }) => line)).to.deep.equal(await lastValueFrom(readRollout(path, { warn: () => undefined }).pipe(toArray())));
    expect(positioned).to.have.length(4);
    const bytes = Buffer.from(content);
    for (const { line: decoded, at, text } of positioned) {
      const slice = bytes.subarray(at.offset, at.offset + at.length).toString('utf8');
      expect(RolloutLine.decode(JSON.parse(slice))).to.deep.equal({ _tag: 'Right', right: decoded });
      expect(text).to.equal(slice.replace(/\r$/, ''));
    }
    expect(await readLinesAt(path, positioned.map(({ at }) => at))).to.deep.equal(positioned.map(({ line: decoded }) => decoded));
  });

  it('finds every line of every reference fixture rollout where it is', async () => {
    for (const path of scenarios().flatMap(rolloutFiles)) {
      const positioned = await lastValueFrom(readRolloutAt(path).pipe(toArray()));
      const bytes = readFileSync(path);
      for (const { line: decoded, at } of positioned) {
        expect(RolloutLine.decode(JSON.parse(bytes.subarray(at.offset, at.offset + at.length).toString('utf8'))), path).to.deep.equal({ _tag: 'Right', right: decoded });
      }
      expect(await readLinesAt(path, positioned.map(({ at }) => at))).to.deep.equal(positioned.map(({ line: decoded }) => decoded));
    }
  });

  it('returns lines in the order asked, reading across windows and lines larger than a window', async () => {
    const sizes = [10, 5000, 700_000, 2_500_000, 12, 900_000, 30];
    const path = tree.file('big.jsonl', sizes.map((size, i) => output(`${i}:${'y'.repeat(size)}`)).join('\n') + '\n');
    const positioned = await lastValueFrom(readRolloutAt(path).pipe(toArray()));
    const refs: LineRef[] = [5, 0, 3, 3, 6, 1].map((i) => positioned[i]!.at);
    const read = await readLinesAt(path, refs);
    expect(read.map((l) => (l.type === 'response_item' && l.payload.type === 'function_call_output' ? l.payload.output.body : ''))).to.deep.equal(
      [5, 0, 3, 3, 6, 1].map((i) => `${i}:${'y'.repeat(sizes[i]!)}`),
    );
    expect(await readLinesAt(path, [])).to.deep.equal([]);
  });

  it('fails with a RolloutReadError, never another line, when the file was cut or rewritten', async () => {
    const path = tree.file('cut.jsonl', `${agent('first')}\n${output('z'.repeat(2000))}\n`);
    const [, second] = await lastValueFrom(readRolloutAt(path).pipe(toArray()));
    const at = second!.at;

    writeFileSync(path, `${agent('a different first line, longer than before')}\n${output('z'.repeat(2000))}\n`);
    expect((await rejection(readLinesAt(path, [at]))).message).to.match(/changed under a loaded thread: no (JSON|rollout) line at byte \d+/);

    truncateSync(path, at.offset + 10);
    expect((await rejection(readLinesAt(path, [at]))).message).to.include('the file ends');

    rmSync(path);
    expect((await rejection(readLinesAt(path, [at]))).kind).to.equal('notFound');
  });
});
