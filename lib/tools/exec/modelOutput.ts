import { approxTokenCount, countLines, formattedTruncate, truncateMiddle } from './truncate.js';

/** Output budget for a tool result when the call sets none (tokens, ≈ 4 bytes each). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;

/** One `exec_command` / `write_stdin` answer as the model reads it. */
export interface UnifiedExecReport {
  /** A short random id, so the model can tell successive reads of one session apart. */
  readonly chunkId: string;
  readonly wallTimeMs: number;
  /** Set once the process has exited. */
  readonly exitCode: number | null;
  /** Set while the process still runs: the id to pass to `write_stdin`. */
  readonly sessionId: number | null;
  /** What the process printed since the last read (untruncated). */
  readonly output: string;
  readonly maxOutputTokens: number;
}

/**
 * The text a unified-exec tool call returns to the model, in the reference's layout:
 * `Chunk ID`, `Wall time` (4 decimals), the exit code or the session id, the token count of the
 * full output, then `Output:` and the output cut to `maxOutputTokens`.
 *
 * @example
 * formatUnifiedExecReport({ chunkId: '9d6b19', wallTimeMs: 205.4, exitCode: 0, sessionId: null, output: 'one\ntwo\n', maxOutputTokens: 10000 });
 * // 'Chunk ID: 9d6b19\nWall time: 0.2054 seconds\nProcess exited with code 0\nOriginal token count: 2\nOutput:\none\ntwo\n'
 */
export function formatUnifiedExecReport(report: UnifiedExecReport): string {
  const lines = [`Chunk ID: ${report.chunkId}`, `Wall time: ${(report.wallTimeMs / 1000).toFixed(4)} seconds`];
  if (report.exitCode !== null) lines.push(`Process exited with code ${report.exitCode}`);
  if (report.sessionId !== null) lines.push(`Process running with session ID ${report.sessionId}`);
  lines.push(`Original token count: ${approxTokenCount(report.output)}`, 'Output:', formattedTruncate(report.output, report.maxOutputTokens));
  return lines.join('\n');
}

/** A finished `shell` run, as reported to the model. */
export interface ShellReport {
  readonly output: string;
  readonly exitCode: number;
  readonly durationMs: number;
  readonly timedOut: boolean;
  /** The timeout that fired, for the message when `timedOut`. */
  readonly timeoutMs: number | null;
  readonly maxOutputTokens: number;
}

const withTimeoutNote = (report: ShellReport) =>
  report.timedOut ? `command timed out after ${report.timeoutMs ?? report.durationMs} milliseconds\n${report.output}` : report.output;

const durationSeconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * The `shell` tool result as JSON: `{"output", "metadata": {"exit_code", "duration_seconds"}}`,
 * the output cut to the budget (with a line count when cut) and prefixed with a note on timeout.
 *
 * @example
 * formatShellReportJson({ output: 'hi\n', exitCode: 0, durationMs: 120, timedOut: false, timeoutMs: null, maxOutputTokens: 10000 });
 * // '{"output":"hi\\n","metadata":{"exit_code":0,"duration_seconds":0.1}}'
 */
export function formatShellReportJson(report: ShellReport): string {
  return JSON.stringify({
    output: formattedTruncate(withTimeoutNote(report), report.maxOutputTokens),
    metadata: { exit_code: report.exitCode, duration_seconds: durationSeconds(report.durationMs) },
  });
}

/**
 * The `shell` tool result as plain text (what the model gets when the freeform `apply_patch`
 * tool is offered): `Exit code`, `Wall time`, the line count when the output was cut, `Output:`.
 *
 * @example
 * formatShellReportText({ output: 'hi\n', exitCode: 0, durationMs: 120, timedOut: false, timeoutMs: null, maxOutputTokens: 10000 });
 * // 'Exit code: 0\nWall time: 0.1 seconds\nOutput:\nhi\n'
 */
export function formatShellReportText(report: ShellReport): string {
  const content = withTimeoutNote(report);
  const output = truncateMiddle(content, report.maxOutputTokens);
  const lines = [`Exit code: ${report.exitCode}`, `Wall time: ${durationSeconds(report.durationMs)} seconds`];
  if (output !== content) lines.push(`Total output lines: ${countLines(content)}`);
  lines.push('Output:', output);
  return lines.join('\n');
}
