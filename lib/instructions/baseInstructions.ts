import type { ModelInfo } from '../model/modelCatalog.js';
import type { Personality } from '../protocol/index.js';

/**
 * A model's instructions for a personality (SPEC §10.6, step 3): the model's template with
 * `{{ personality }}` replaced (`none` → empty, unset → the default personality text, a missing
 * variable → empty), or its plain base instructions when it has no template.
 *
 * @example
 * modelInstructions(modelInfo('gpt-5.2-codex'), 'pragmatic');
 */
export const modelInstructions = (info: ModelInfo, personality: Personality | null): string => {
  const messages = info.model_messages;
  if (!messages) return info.base_instructions;
  const vars = messages.instructions_variables;
  const text =
    personality === 'none'
      ? ''
      : ((personality === null ? vars.personality_default : vars[`personality_${personality}`]) ?? '');
  return messages.instructions_template.split('{{ personality }}').join(text);
};
