import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { parsePatch } from '../../../../lib/tools/applyPatch/parsePatch.js';
import { APPLY_PATCH_FREEFORM_TOOL, APPLY_PATCH_FUNCTION_TOOL, APPLY_PATCH_LARK_GRAMMAR } from '../../../../lib/tools/applyPatch/toolSpec.js';

const exampleOf = (description: string): string => description.slice(description.indexOf('Example:\n') + 'Example:\n'.length);

describe('apply_patch tool specs', () => {
  it('offers the freeform variant as a custom tool constrained by the Lark grammar', () => {
    expect(APPLY_PATCH_FREEFORM_TOOL).to.deep.include({ type: 'custom', name: 'apply_patch' });
    expect(APPLY_PATCH_FREEFORM_TOOL.format).to.deep.equal({ type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_LARK_GRAMMAR });
  });

  it('offers the function variant with a single required string `input`', () => {
    expect(APPLY_PATCH_FUNCTION_TOOL).to.deep.include({ type: 'function', name: 'apply_patch', strict: false });
    expect(APPLY_PATCH_FUNCTION_TOOL.parameters).to.deep.equal({
      type: 'object',
      properties: { input: { type: 'string', description: "The entire patch, from '*** Begin Patch' to '*** End Patch'." } },
      required: ['input'],
      additionalProperties: false,
    });
  });

  it('shows an example patch that the parser accepts', () => {
    for (const tool of [APPLY_PATCH_FREEFORM_TOOL, APPLY_PATCH_FUNCTION_TOOL]) {
      const parsed = parsePatch(exampleOf(tool.description));
      expect(E.isRight(parsed) && parsed.right.operations.map((op) => op.type), tool.type).to.deep.equal(['add', 'update', 'delete']);
    }
  });

  it('has a grammar whose rules are all defined', () => {
    const defined = new Set([...APPLY_PATCH_LARK_GRAMMAR.matchAll(/^([a-zA-Z_]+):/gm)].map((m) => m[1]));
    const body = APPLY_PATCH_LARK_GRAMMAR.replace(/"(?:[^"\\]|\\.)*"|\/(?:[^/\\]|\\.)*\//g, '');
    const used = new Set([...body.matchAll(/\b([a-zA-Z_]+)\b(?!:)/g)].map((m) => m[1]));
    expect([...used].filter((name) => !defined.has(name))).to.deep.equal([]);
    expect(defined.has('start')).to.equal(true);
  });
});
