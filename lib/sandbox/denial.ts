/** What a finished sandboxed run looked like, as far as denial detection cares. */
export interface SandboxedOutcome {
  readonly sandboxed: boolean;
  readonly exitCode: number | null;
  /** Everything the command printed (stdout and stderr). */
  readonly output: string;
}

// Lower-case fragments of the errors a command meets when bubblewrap stops it: EROFS from the
// read-only base, EPERM/EACCES, and the ENETUNREACH / resolver failures of an empty network
// namespace (bubblewrap has no seccomp filter, so network denials look like an unplugged cable).
const DENIAL_MARKERS = [
  'read-only file system',
  'operation not permitted',
  'permission denied',
  'network is unreachable',
  'temporary failure in name resolution',
  'could not resolve host',
  'sandbox',
];

/**
 * Whether a failed run was probably stopped by the sandbox rather than by its own bug, so that
 * under the `on-failure` approval policy the user can be asked to retry it without the sandbox.
 * Only sandboxed runs that exited non-zero qualify, and only when the output carries a typical
 * denial message (a command that was not found is its own fault, whatever its exit code).
 *
 * @example
 * isLikelySandboxDenied({ sandboxed: true, exitCode: 1, output: "touch: cannot touch '/etc/x': Read-only file system\n" }); // true
 * isLikelySandboxDenied({ sandboxed: true, exitCode: 127, output: 'sh: nope: not found\n' }); // false
 */
export function isLikelySandboxDenied(outcome: SandboxedOutcome): boolean {
  if (!outcome.sandboxed || outcome.exitCode === null || outcome.exitCode === 0) return false;
  const text = outcome.output.toLowerCase();
  return DENIAL_MARKERS.some((marker) => text.includes(marker));
}
