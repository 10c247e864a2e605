import type * as t from 'io-ts';
import { shapeOf } from './structure.js';

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * `value` as `codec` describes it: the object members it declares, all the way down, and nothing
 * else — what a serde struct keeps of the JSON it reads. In a union, the first member the value
 * `is` decides; a value no member takes is returned as it is.
 *
 * io-ts codecs keep members they do not declare, so an item a model sends with extra members
 * (`status`, `annotations`) would otherwise be written and sent back with them, where the
 * reference writes and sends only what its types hold.
 *
 * @example
 * project(ResponseItem, { type: 'message', role: 'assistant', status: 'completed',
 *   content: [{ type: 'output_text', text: 'Hi', annotations: [] }] });
 * // { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] }
 */
export const project = <C extends t.Mixed>(codec: C, value: t.TypeOf<C>): t.TypeOf<C> => projectValue(codec, value) as t.TypeOf<C>;

const projectValue = (codec: t.Mixed, value: unknown): unknown => {
  const shape = shapeOf(codec);
  switch (shape.kind) {
    case 'alias':
      return projectValue(shape.type, value);
    case 'array':
      return Array.isArray(value) ? value.map((v) => projectValue(shape.items, v)) : value;
    case 'record':
      return isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, projectValue(shape.values, v)])) : value;
    case 'union': {
      const member = shape.types.find((m) => m.is(value));
      return member === undefined ? value : projectValue(member, value);
    }
    case 'object': {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const field of shape.fields) if (Object.hasOwn(value, field.name)) out[field.name] = projectValue(field.type, value[field.name]);
      return out;
    }
    default:
      return value;
  }
};
