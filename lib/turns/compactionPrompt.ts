import type { ResponseItem } from '../protocol/index.js';

// rxagent's own compaction texts (SPEC §4.14, local compaction): the request that asks the
// model for a hand-off summary, and the prefix the summary carries in the new history.

const COMPACTION_PROMPT = `Summarize this conversation so far so that another assistant can continue the task without the earlier messages. Write a concise hand-off note covering:
- the user's goal and any constraints or preferences they stated;
- what has been done: files read or changed, commands run and their results;
- decisions made and why;
- what remains to be done, and the next concrete step.
Include exact file paths, names and error messages that matter. Do not add anything that did not happen.`;

/** Starts the summary message in the compacted history, so the model knows what it is reading. */
export const SUMMARY_PREFIX = 'Earlier parts of this conversation were compacted. A summary of them, written by the assistant that did the work, follows:';

/** The user message appended to the history for a local compaction request. */
export const compactionRequest = (): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text: COMPACTION_PROMPT }] });
