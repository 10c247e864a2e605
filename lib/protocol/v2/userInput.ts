// What a user sends in a turn: text (with UI text elements), images, skill and app mentions.

import * as t from 'io-ts';
import { uint } from '../codec.js';

/** A byte range (UTF-8) in the text of a text input. */
export const ByteRange = t.type({
  end: uint,
  start: uint,
}, 'ByteRange');
export type ByteRange = t.TypeOf<typeof ByteRange>;

/** A UI element (e.g. a mention) spanning a byte range of a text input (SPEC §11.2). */
export const TextElement = t.intersection([
  t.type({
    /** Byte range in the parent `text` buffer that this element occupies. */
    byteRange: ByteRange,
  }),
  t.partial({
    /** Optional human-readable placeholder for the element, displayed in the UI. */
    placeholder: t.union([t.string, t.null]),
  }),
], 'TextElement');
export type TextElement = t.TypeOf<typeof TextElement>;

/** One piece of user input in a turn, tagged by `type`. */
export const UserInput = t.union([
  t.intersection([
    t.type({
      text: t.string,
      type: t.literal('text'),
    }),
    t.partial({
      /** UI-defined spans within `text` used to render or persist special elements. */
      text_elements: t.array(TextElement),
    }),
  ], 'TextUserInput'),
  t.type({
    type: t.literal('image'),
    url: t.string,
  }, 'ImageUserInput'),
  t.type({
    path: t.string,
    type: t.literal('localImage'),
  }, 'LocalImageUserInput'),
  t.type({
    name: t.string,
    path: t.string,
    type: t.literal('skill'),
  }, 'SkillUserInput'),
  t.type({
    name: t.string,
    path: t.string,
    type: t.literal('mention'),
  }, 'MentionUserInput'),
], 'UserInput');
export type UserInput = t.TypeOf<typeof UserInput>;
