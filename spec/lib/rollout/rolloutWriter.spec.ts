import { expect } from 'chai';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import { readRollout, readRolloutAt } from '../../../lib/rollout/rolloutReader.js';
import type { RolloutLine } from '../../../lib/rollout/rolloutLine.js';
import { RolloutWriter } from '../../../lib/rollout/rolloutWriter.js';
import { agentMsg, meta } from '../../reducers/lineBuilders.js';
import { TempTree } from '../../support/tempTree.js';

const fileLines = (path: string): unknown[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));

const messages = (path: string): string[] => fileLines(path).flatMap((line) => ((line as { payload: { message?: string } }).payload.message ?? []) as string[]);

describe('RolloutWriter', () => {
  let tree: TempTree;
  beforeEach(() => (tree = new TempTree()));
  afterEach(() => tree.remove());

  it('buffers until materialize, then creates the folders and the file with the buffered lines first', async () => {
    const path = tree.path('sessions/2026/11/25/rollout.jsonl');
    const writer = RolloutWriter.create(path);
    await writer.append([meta(), agentMsg('one')]);
    expect(existsSync(path)).to.equal(false);
    expect(writer.isMaterialized).to.equal(false);
    await writer.materialize();
    await writer.materialize();
    await writer.append([agentMsg('two')]);
    expect(messages(path)).to.deep.equal(['one', 'two']);
    expect((fileLines(path)[0] as { type: string }).type).to.equal('session_meta');
    await writer.close();
  });

  it('has each append on disk when it resolves, and writes concurrent appends together, in call order', async () => {
    const path = tree.path('rollout.jsonl');
    const writes: number[] = [];
    const writer = RolloutWriter.create(path, (_path, lines) => writes.push(lines.length));
    await writer.materialize();
    const appends = Array.from({ length: 50 }, (_, i) => writer.append([agentMsg(`m${i}`)]).then(() => messages(path).includes(`m${i}`)));
    expect(await Promise.all(appends)).to.deep.equal(appends.map(() => true));
    expect(messages(path)).to.deep.equal(Array.from({ length: 50 }, (_, i) => `m${i}`));
    expect(writes.reduce((a, b) => a + b, 0)).to.equal(50);
    expect(writes.length).to.be.below(50);
    await writer.close();
  });

  it('resolves an empty append or an empty materialize, and goes on writing what comes after', async () => {
    const path = tree.path('rollout.jsonl');
    const writer = RolloutWriter.create(path);
    await writer.materialize();
    await writer.append([]);
    await writer.append([agentMsg('after nothing')]);
    await Promise.all([writer.append([]), writer.append([agentMsg('next')]), writer.append([])]);
    expect(messages(path)).to.deep.equal(['after nothing', 'next']);
    await writer.close();
  });

  it('appends to an existing file when resuming', async () => {
    const path = tree.path('rollout.jsonl');
    const first = (line: RolloutLine): string => `${JSON.stringify(line)}\n`;
    writeFileSync(path, first(agentMsg('old')));
    const writer = RolloutWriter.resume(path);
    await writer.append([agentMsg('new')]);
    expect(messages(path)).to.deep.equal(['old', 'new']);
    await writer.close();
  });

  it('fails an append to a resumed file that was moved away, rather than creating it again', async () => {
    const path = tree.path('rollout.jsonl');
    writeFileSync(path, `${JSON.stringify(agentMsg('old'))}\n`);
    const writer = RolloutWriter.resume(path);
    rmSync(path);
    const failed = await writer.append([agentMsg('new')]).then(
      () => undefined,
      (err: unknown) => err as NodeJS.ErrnoException,
    );
    expect(failed?.code).to.equal('ENOENT');
    expect(existsSync(path)).to.equal(false);
    await writer.close();
  });

  it('ends a line cut by a crash before appending, so the first new line is read back whole', async () => {
    const path = tree.path('rollout.jsonl');
    writeFileSync(path, `${JSON.stringify(agentMsg('whole'))}\n{"timestamp":"2026-02-12T19:27:11.532Z","type":"event_m`);
    const writer = RolloutWriter.resume(path);
    await writer.append([agentMsg('after the crash')]);
    await writer.append([agentMsg('and more')]);
    const read = await lastValueFrom(readRollout(path, { warn: () => undefined }).pipe(toArray()));
    expect(read.map((line) => (line.payload as { message?: string }).message)).to.deep.equal(['whole', 'after the crash', 'and more']);
    expect(readFileSync(path, 'utf8').split('\n')).to.have.length(5);
    await writer.close();
  });

  it('finishes pending writes before closing, and refuses appends after', async () => {
    const path = tree.path('rollout.jsonl');
    const writer = RolloutWriter.create(path);
    await writer.materialize();
    const pending = writer.append([agentMsg('last')]);
    await writer.close();
    await pending;
    expect(messages(path)).to.deep.equal(['last']);
    const refused = await writer.append([agentMsg('too late')]).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(refused?.message).to.match(/is closed/);
  });

  it('copies lines read from another rollout verbatim, members it does not know included', async () => {
    const source = tree.path('source.jsonl');
    const known = JSON.stringify(agentMsg('kept'));
    const unknown = '{"timestamp":"2026-02-12T19:27:11.532Z","type":"event_msg","payload":{"type":"agent_message","message":"newer","future_member":[1,2]}}';
    writeFileSync(source, `${known}\r\nnot json\n${unknown}\n`);
    const read = await lastValueFrom(readRolloutAt(source, { warn: () => undefined }).pipe(toArray()));
    const path = tree.path('copy.jsonl');
    const writer = RolloutWriter.create(path);
    expect(await writer.appendVerbatim(read).then(() => 'written', (err: Error) => err.message)).to.match(/not created yet/);
    await writer.materialize();
    await writer.appendVerbatim(read);
    expect(readFileSync(path, 'utf8')).to.equal(`${known}\n${unknown}\n`);
    await writer.close();
  });

  it('rejects the appends of a write that fails', async () => {
    writeFileSync(tree.path('not-a-folder'), '');
    const writer = RolloutWriter.create(tree.path('not-a-folder/rollout.jsonl'));
    await writer.append([meta()]);
    const failed = await writer.materialize().then(
      () => undefined,
      (err: unknown) => err as NodeJS.ErrnoException,
    );
    expect(failed?.code).to.be.oneOf(['ENOTDIR', 'EEXIST']);
  });
});
