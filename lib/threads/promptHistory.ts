import type { ResponseItem } from '../protocol/index.js';
import { RolloutReadError } from '../rollout/rolloutReader.js';
import type { RolloutLine } from '../rollout/rolloutLine.js';
import { readLinesAt } from '../rollout/storedLines.js';
import { promptEntries, type ModelHistory, type StoredItem } from '../../reducers/historyReducer.js';

const storedItem = (source: string, entry: StoredItem, line: RolloutLine): ResponseItem => {
  if (line.type === 'response_item' && line.payload.type === entry.itemType) return line.payload;
  throw new RolloutReadError('io', source, `rollout ${source} changed under a loaded thread: no ${entry.itemType} item at byte ${entry.offset}`);
};

/**
 * The items of the next model request (`promptEntries`), the stored ones read back from the
 * rollout in one pass. Fails with a `RolloutReadError` if the file no longer holds them.
 *
 * @example
 * client.request({ input: (await historyForPrompt(thread.state.history)).map(RolloutResponseItem.encode) });
 */
export const historyForPrompt = async (history: ModelHistory): Promise<ResponseItem[]> => {
  const entries = promptEntries(history);
  const stored = entries.filter((entry): entry is StoredItem => entry.type === 'stored');
  if (stored.length === 0) return entries as ResponseItem[];
  const source = history.source;
  if (source === null) throw new Error('a history with stored items has no source rollout');
  const lines = await readLinesAt(source, stored);
  let next = 0;
  return entries.map((entry) => (entry.type === 'stored' ? storedItem(source, entry, lines[next++]!) : entry));
};
