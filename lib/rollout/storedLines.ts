import { open } from 'node:fs/promises';
import { RolloutReadError, toReadError } from './rolloutReader.js';
import { RolloutLine } from './rolloutLine.js';

/** Where a line sits in its rollout: the offset of its first byte and its length in bytes, without the `\n`. */
export interface LineRef {
  readonly offset: number;
  readonly length: number;
}

/** A decoded line, where it was read from and its text as read (`readRolloutAt`). */
export interface PositionedLine {
  readonly line: RolloutLine;
  readonly at: LineRef;
  /** The line as it is in the file (without its line ending), for copying it verbatim. */
  readonly text: string;
}

// Neighbouring lines are read together, up to this many bytes per read.
const WINDOW_BYTES = 1024 * 1024;

const changed = (path: string, at: LineRef, why: string): RolloutReadError =>
  new RolloutReadError('io', path, `rollout ${path} changed under a loaded thread: ${why} at byte ${at.offset}`);

/**
 * Reads back lines a `readRolloutAt` pass found at `refs`, in the order of `refs`. Nearby lines
 * are read together, so reading most of a file costs about one sequential read. A rollout is only
 * ever appended to, so a ref stays valid; if the file was cut or rewritten anyway, the read fails
 * with a {@link RolloutReadError} rather than returning some other line.
 *
 * @example
 * const [line] = await readLinesAt(path, [{ offset: 1024, length: 310 }]);
 */
export const readLinesAt = async (path: string, refs: readonly LineRef[]): Promise<RolloutLine[]> => {
  if (refs.length === 0) return [];
  const order = refs.map((_, index) => index).sort((a, b) => refs[a]!.offset - refs[b]!.offset);
  const lines = new Array<RolloutLine>(refs.length);
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw toReadError(path, error);
  });
  try {
    let buffer = Buffer.alloc(0);
    for (let first = 0; first < order.length; ) {
      const start = refs[order[first]!]!.offset;
      let end = start;
      let next = first;
      while (next < order.length) {
        const ref = refs[order[next]!]!;
        const refEnd = ref.offset + ref.length;
        if (next > first && refEnd - start > WINDOW_BYTES) break;
        end = Math.max(end, refEnd);
        next += 1;
      }
      if (buffer.length < end - start) buffer = Buffer.allocUnsafe(Math.max(end - start, WINDOW_BYTES));
      let filled = 0;
      while (filled < end - start) {
        const { bytesRead } = await handle.read(buffer, filled, end - start - filled, start + filled).catch((error: unknown) => {
          throw toReadError(path, error);
        });
        if (bytesRead === 0) throw changed(path, refs[order[first]!]!, 'the file ends');
        filled += bytesRead;
      }
      for (let k = first; k < next; k++) {
        const ref = refs[order[k]!]!;
        let json: unknown;
        try {
          json = JSON.parse(buffer.toString('utf8', ref.offset - start, ref.offset - start + ref.length));
        } catch {
          throw changed(path, ref, 'no JSON line');
        }
        const decoded = RolloutLine.decode(json);
        if (decoded._tag === 'Left') throw changed(path, ref, 'no rollout line');
        lines[order[k]!] = decoded.right;
      }
      first = next;
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
  return lines;
};
