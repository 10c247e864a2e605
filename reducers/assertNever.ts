/**
 * Exhaustiveness guard for reducer switches: with every case handled the argument has type
 * `never`, so a new line or event type is a compile error where it is not handled.
 *
 * @example
 * default: return assertNever(line);
 */
export function assertNever(value: never): never {
  throw new Error(`unhandled rollout variant: ${JSON.stringify(value)}`);
}
