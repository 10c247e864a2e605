import { expect } from 'chai';
import { formatShellReportJson, formatShellReportText, formatUnifiedExecReport } from '../../../../lib/tools/exec/modelOutput.js';
import { rolloutJson, rolloutFiles } from '../../../reducers/referenceFixtures.js';

/** The function_call_output texts the reference wrote in the shell-approval-accept rollout. */
const referenceOutputs = (): string[] =>
  rolloutFiles('shell-approval-accept').flatMap((file) =>
    rolloutJson(file).flatMap((line) => {
      const payload = (line as { payload?: { type?: string; output?: unknown } }).payload;
      return payload?.type === 'function_call_output' && typeof payload.output === 'string' ? [payload.output] : [];
    }),
  );

describe('formatUnifiedExecReport', () => {
  it("lays out a finished command exactly like the reference's rollout", () => {
    const [reference] = referenceOutputs();
    expect(reference).to.be.a('string');
    const ours = formatUnifiedExecReport({ chunkId: '9d6b19', wallTimeMs: 205.4, exitCode: 0, sessionId: null, output: 'one\ntwo\n', maxOutputTokens: 10_000 });
    expect(ours).to.equal(reference);
  });

  it('gives the session id instead of an exit code while the command runs', () => {
    const text = formatUnifiedExecReport({ chunkId: 'abc123', wallTimeMs: 250, exitCode: null, sessionId: 4242, output: '', maxOutputTokens: 100 });
    expect(text).to.equal('Chunk ID: abc123\nWall time: 0.2500 seconds\nProcess running with session ID 4242\nOriginal token count: 0\nOutput:\n');
  });

  it('cuts the output to the budget but counts the tokens of all of it', () => {
    const text = formatUnifiedExecReport({ chunkId: 'x', wallTimeMs: 1, exitCode: 0, sessionId: null, output: 'y\n'.repeat(1000), maxOutputTokens: 10 });
    expect(text).to.include('Original token count: 500\nOutput:\nTotal output lines: 1000\n\n');
    expect(text).to.match(/…\d+ tokens truncated…/);
    expect(text.length).to.be.lessThan(200);
  });
});

describe('shell tool reports', () => {
  const report = { output: 'hi\n', exitCode: 0, durationMs: 120, timedOut: false, timeoutMs: null, maxOutputTokens: 10_000 };

  it('renders JSON with output and metadata', () => {
    expect(JSON.parse(formatShellReportJson(report))).to.deep.equal({ output: 'hi\n', metadata: { exit_code: 0, duration_seconds: 0.1 } });
  });

  it('renders plain text with exit code and wall time', () => {
    expect(formatShellReportText(report)).to.equal('Exit code: 0\nWall time: 0.1 seconds\nOutput:\nhi\n');
  });

  it('says when the command timed out', () => {
    const timedOut = { ...report, exitCode: 124, durationMs: 1000, timedOut: true, timeoutMs: 1000 };
    expect(JSON.parse(formatShellReportJson(timedOut)).output).to.equal('command timed out after 1000 milliseconds\nhi\n');
    expect(formatShellReportText(timedOut)).to.include('Output:\ncommand timed out after 1000 milliseconds\nhi\n');
  });

  it('adds the total line count to the text form when it cuts', () => {
    const text = formatShellReportText({ ...report, output: 'z\n'.repeat(500), maxOutputTokens: 5 });
    expect(text).to.match(/^Exit code: 0\nWall time: 0.1 seconds\nTotal output lines: 500\nOutput:\nz\n/);
  });
});
