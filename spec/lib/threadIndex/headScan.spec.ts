import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialThreadSummary, threadSummaryReducer } from '../../../reducers/threadSummaryReducer.js';
import { HEAD_RECORD_LIMIT, readHead, USER_EVENT_SCAN_LIMIT } from '../../../lib/threadIndex/headScan.js';
import { rolloutFiles, rolloutLines, scenarios } from '../../reducers/referenceFixtures.js';
import { agentLine, DAY, metaLine, responseLine, userLine, uuid } from './rollouts.js';

describe('readHead', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxagent-head-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (content: string | Buffer): string => {
    const path = join(dir, 'rollout.jsonl');
    writeFileSync(path, content);
    return path;
  };
  const META = metaLine(uuid(1), DAY);
  const fillers = (n: number): string[] => Array.from({ length: n }, (_, i) => responseLine(`context ${i}`));

  it('agrees with the summary reducer on every reference rollout, and is final', () => {
    const paths = scenarios().flatMap(rolloutFiles);
    expect(paths).to.have.length.greaterThan(5);
    for (const path of paths) {
      const whole = rolloutLines(path).reduce(threadSummaryReducer, initialThreadSummary);
      expect(readHead(path), path).to.deep.equal({ meta: whole.meta, preview: whole.preview, final: true });
    }
  });

  it('finds a first user message past the first ten lines once a meta was seen', () => {
    const lines = [META, ...fillers(HEAD_RECORD_LIMIT + USER_EVENT_SCAN_LIMIT - 2), userLine('late but found'), agentLine('x')];
    expect(readHead(file(lines.join('\n') + '\n'))).to.include({ preview: 'late but found', final: true });
  });

  it('stops at 210 lines: a later user message is not seen, for good', () => {
    const lines = [META, ...fillers(HEAD_RECORD_LIMIT + USER_EVENT_SCAN_LIMIT - 1), userLine('too late')];
    const head = readHead(file(lines.join('\n') + '\n'));
    expect(head.meta?.id).to.equal(uuid(1));
    expect(head).to.include({ preview: null, final: true });
  });

  it('does not extend the window when the first ten lines hold no meta', () => {
    const head = readHead(file([...fillers(HEAD_RECORD_LIMIT), META, userLine('hi')].join('\n') + '\n'));
    expect(head).to.deep.equal({ meta: null, preview: null, final: true });
  });

  it('counts lines that do not parse, skips blank ones', () => {
    const junk = Array.from({ length: HEAD_RECORD_LIMIT }, () => '{not json');
    expect(readHead(file([...junk, META, userLine('hi')].join('\n') + '\n')).meta).to.equal(null);
    const blanks = Array.from({ length: 50 }, () => '   ');
    expect(readHead(file([...blanks, META, '', userLine('hi')].join('\n') + '\n'))).to.include({ preview: 'hi', final: true });
  });

  it('is not final while the window is still open at the end of the file', () => {
    expect(readHead(file(`${META}\n${responseLine('ctx')}\n`))).to.include({ preview: null, final: false });
  });

  it('is not final when the last line in the window is unterminated (a write in progress)', () => {
    const head = readHead(file(`${META}\n${userLine('hi')}`));
    expect(head).to.include({ preview: 'hi', final: false });
    expect(readHead(file(`${META}\n${userLine('hi').slice(0, 30)}`))).to.include({ preview: null, final: false });
  });

  it('strips the template prefix from the preview', () => {
    expect(readHead(file(`${META}\n${userLine('<ctx>\n## My request for Codex:\n  fix it ')}\n`)).preview).to.equal('fix it');
  });

  it('lists nothing from a file with invalid UTF-8 in its window, as the reference', () => {
    const bad = Buffer.concat([Buffer.from(`${META}\n`), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from(`${userLine('hi')}\n`)]);
    expect(readHead(file(bad))).to.deep.equal({ meta: null, preview: null, final: true });
  });

  it('counts a line over the size cap without holding it', () => {
    const huge = responseLine('x'.repeat(100_000));
    expect(readHead(file(`${META}\n${huge}\n${userLine('after')}\n`), 1000)).to.include({ preview: 'after', final: true });
    const hugeMeta = metaLine(uuid(2), DAY, { cwd: 'y'.repeat(5000) });
    expect(readHead(file(`${hugeMeta}\n${userLine('after')}\n`), 1000)).to.include({ meta: null, preview: 'after' });
  });

  it('reads lines that span read chunks', () => {
    const long = userLine('z'.repeat(40_000));
    expect(readHead(file(`${metaLine(uuid(3), DAY, { cwd: 'c'.repeat(20_000) })}\n${long}\n`)).preview).to.equal('z'.repeat(40_000));
  });

  it('throws when the file cannot be opened', () => {
    expect(() => readHead(join(dir, 'missing.jsonl'))).to.throw(/ENOENT/);
  });
});
