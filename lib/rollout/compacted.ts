import * as t from 'io-ts';
import { RolloutResponseItem } from './responseItem.js';

/**
 * Payload of a `compacted` line (core `CompactedItem`, SPEC §6.3, §4.14): local compaction stores
 * the summary text only (`message` = summary prefix + summary); remote compaction stores
 * `message: ""` plus the whole `replacement_history`.
 *
 * @example
 * Compacted.decode({ message: 'summary…' });
 * Compacted.decode({ message: '', replacement_history: [{ type: 'compaction', encrypted_content: '…' }] });
 */
export const Compacted = t.intersection(
  [
    t.type({ message: t.string }),
    t.partial({ replacement_history: t.union([t.array(RolloutResponseItem), t.null]) }),
  ],
  'Compacted',
);
export type Compacted = t.TypeOf<typeof Compacted>;
