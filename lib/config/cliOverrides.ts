import { parse } from 'smol-toml';

/** One `-c key=value` override: a dotted key path and its value. */
export interface ConfigOverride {
  readonly path: readonly string[];
  readonly value: unknown;
}

/**
 * Parses a `-c key=value` flag: the value is read as a TOML value (`-c model="o3"`,
 * `-c sandbox_workspace_write.network_access=true`, `-c x=[1,2]`), falling back to the raw
 * string when it isn't one (`-c model=o3`), as the reference does.
 *
 * @example
 * parseCliOverride('features.unified_exec=false'); // { path: ['features','unified_exec'], value: false }
 */
export const parseCliOverride = (flag: string): ConfigOverride => {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new Error(`invalid -c override \`${flag}\`; expected key=value`);
  const key = flag.slice(0, eq).trim();
  const raw = flag.slice(eq + 1).trim();
  const path = key.split('.').map((part) => part.trim());
  if (path.some((part) => part === '')) throw new Error(`invalid -c override key \`${key}\``);
  return { path, value: parseTomlValue(raw) };
};

const parseTomlValue = (raw: string): unknown => {
  try {
    return parse(`value = ${raw}`).value;
  } catch {
    return raw;
  }
};
