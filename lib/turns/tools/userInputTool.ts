import { catchError, firstValueFrom, of, takeUntil } from 'rxjs';
import { ToolRequestUserInputResponse } from '../../protocol/v2/serverRequests.js';
import type { ToolCallItem, ToolContext, ToolResult } from '../toolRouter.js';
import { callIdOf, parseArguments, toolOutput } from './toolOutput.js';

/** The `request_user_input` function the model is offered (rxagent's own description). */
export const REQUEST_USER_INPUT_SPEC = {
  type: 'function',
  name: 'request_user_input',
  description:
    'Ask the user one to three short questions and wait for the answers. Only available in plan mode. Give every question two or three mutually exclusive options, the recommended one first; the user may also answer in their own words.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      questions: {
        type: 'array',
        description: 'The questions to ask (prefer one)',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string', description: 'Stable snake_case identifier used to match the answer' },
            header: { type: 'string', description: 'A label of at most 12 characters' },
            question: { type: 'string', description: 'The question, in one sentence' },
            options: {
              type: 'array',
              description: 'Two or three choices, the recommended one first',
              items: {
                type: 'object',
                properties: {
                  label: { type: 'string', description: 'One to five words' },
                  description: { type: 'string', description: 'One sentence on what choosing it means' },
                },
                required: ['label', 'description'],
                additionalProperties: false,
              },
            },
          },
          required: ['id', 'header', 'question', 'options'],
          additionalProperties: false,
        },
      },
    },
    required: ['questions'],
    additionalProperties: false,
  },
};

interface Question {
  id: string;
  header: string;
  question: string;
  options: Array<{ label: string; description: string }>;
}

const questionsOf = (raw: unknown): Question[] | string => {
  if (!Array.isArray(raw) || raw.length === 0) return 'request_user_input needs at least one question';
  const out: Question[] = [];
  for (const q of raw as Array<Record<string, unknown>>) {
    if (typeof q?.id !== 'string' || typeof q.header !== 'string' || typeof q.question !== 'string') {
      return 'failed to parse function arguments: each question needs `id`, `header` and `question` strings';
    }
    if (!Array.isArray(q.options) || q.options.length === 0) return 'request_user_input requires non-empty options for every question';
    const options = (q.options as Array<Record<string, unknown>>).map((o) => ({ label: String(o?.label ?? ''), description: String(o?.description ?? '') }));
    out.push({ id: q.id, header: q.header, question: q.question, options });
  }
  return out;
};

/**
 * `request_user_input` (SPEC §5.3): plan mode only; asks the subscribed clients with
 * `item/tool/requestUserInput` (every question gets `isOther: true`) and gives the model the
 * answers as JSON. A client error, no client, or an undecodable answer yields empty answers.
 */
export const runRequestUserInput = async (call: ToolCallItem, ctx: ToolContext): Promise<ToolResult> => {
  if (!ctx.planMode) return { output: toolOutput(call, 'request_user_input is unavailable in Default mode', false) };
  const parsed = parseArguments(call);
  if (!parsed.ok) return { output: toolOutput(call, parsed.message, false) };
  const questions = questionsOf(parsed.args.questions);
  if (typeof questions === 'string') return { output: toolOutput(call, questions, false) };
  const params = {
    threadId: ctx.thread.id,
    turnId: ctx.turnId,
    itemId: callIdOf(call),
    questions: questions.map((q) => ({ ...q, isOther: true, isSecret: false })),
  };
  const empty = { answers: {} };
  const answer = await firstValueFrom(
    ctx.serverRequests.request([...ctx.thread.subscribers], 'item/tool/requestUserInput', params).pipe(
      takeUntil(ctx.interrupted$),
      catchError(() => of(empty)),
    ),
    { defaultValue: empty },
  );
  const response = ToolRequestUserInputResponse.is(answer) ? answer : empty;
  return { output: toolOutput(call, JSON.stringify(response), true) };
};
