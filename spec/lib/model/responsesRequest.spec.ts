import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { responsesBody, type ResponsesRequest } from '../../../lib/model/responsesRequest.js';
import { RolloutResponseItem } from '../../../lib/rollout/responseItem.js';

const FIXTURES = fileURLToPath(new URL('../../../../../shared/fixtures/reference-0.101.0/', import.meta.url));

/** Every request body the reference sent in the recorded scenarios. */
const referenceBodies = (): { scenario: string; body: Record<string, any> }[] =>
  readdirSync(FIXTURES)
    .filter((scenario) => existsSync(`${FIXTURES}${scenario}/model-requests.jsonl`))
    .flatMap((scenario) =>
      readFileSync(`${FIXTURES}${scenario}/model-requests.jsonl`, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => ({ scenario, body: JSON.parse(line).body })),
    );

describe('responsesBody', () => {
  it('writes, byte for byte, every request body the reference sent, from the decoded request', () => {
    const bodies = referenceBodies();
    expect(bodies).to.have.length.greaterThan(10);
    for (const { scenario, body } of bodies) {
      const input = body.input.map((item: unknown) => {
        const decoded = RolloutResponseItem.decode(item);
        if (E.isLeft(decoded)) throw new Error(`${scenario}: cannot decode ${JSON.stringify(item).slice(0, 120)}`);
        return decoded.right;
      });
      const request: ResponsesRequest = {
        model: body.model,
        instructions: body.instructions,
        input,
        tools: body.tools,
        parallelToolCalls: body.parallel_tool_calls,
        reasoning: body.reasoning,
        store: body.store,
        include: body.include,
        promptCacheKey: body.prompt_cache_key,
        ...(body.text === undefined ? {} : { text: body.text }),
      };
      expect(JSON.stringify(responsesBody(request)), scenario).to.equal(JSON.stringify(body));
    }
  });

  it('omits prompt_cache_key and text when the request has none', () => {
    const body = responsesBody({ model: 'm', instructions: '', input: [], tools: [], parallelToolCalls: false, reasoning: null, store: false, include: [] });
    expect(Object.keys(body)).to.deep.equal(['model', 'instructions', 'input', 'tools', 'tool_choice', 'parallel_tool_calls', 'reasoning', 'store', 'stream', 'include']);
  });
});
