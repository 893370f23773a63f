// Plain text that people type (notes, open-text answers, comments), checked as the server
// checks it (docs/security.md, "Text written by people"): trimmed and normalised to NFC, a
// length in characters (Unicode code points, not UTF-16 units), line breaks allowed; other
// control characters (C0, DEL, C1, U+2028/9), bidirectional controls, noncharacters, HTML tags
// (`<` followed by a letter, `/`, `!` or `?`) and invisible-only text refused. Pure (messages are
// passed in).

import type { Messages } from '../i18n/en';
import { formatNumber } from './stats_format';

export type TextProblem = 'empty' | 'too_long' | 'markup' | 'control';

// White space trimmed at both ends: Unicode's White_Space but U+0085, a C1 control the server
// refuses wherever it is.
const EDGE_SPACE = /^[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
// C0 but line feed, DEL, C1, the line and paragraph separators; bidirectional controls;
// noncharacters of the BMP (those of the other planes are checked by code point below).
// eslint-disable-next-line no-control-regex
const REFUSED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]/;
// Something that shows: not white space, a format character, default-ignorable or U+2800.
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** The text as the server keeps it: trimmed and in NFC. */
export function cleanText(text: string): string {
  return text.replace(EDGE_SPACE, '').normalize('NFC');
}

/** Length as the server counts it (characters, not UTF-16 units), after trimming and NFC. */
export function textLength(text: string): number {
  return [...cleanText(text)].length;
}

/** What the server would refuse in a text of at most `max` characters, or null. */
export function textProblem(text: string, max: number): TextProblem | null {
  const clean = cleanText(text);
  const points = [...clean];
  if (/<[A-Za-z/!?]/.test(clean)) return 'markup';
  if (REFUSED.test(clean) || points.some((c) => (c.codePointAt(0)! & 0xfffe) === 0xfffe)) return 'control';
  if (!VISIBLE.test(clean)) return 'empty';
  if (points.length > max) return 'too_long';
  return null;
}

/** Why a text cannot be sent, in words: about a sticky note, or about any other text (an answer, a comment). */
export function textProblemText(m: Messages, p: TextProblem, max: number, lang: string, what: 'note' | 'text' = 'note'): string {
  const note = what === 'note';
  switch (p) {
    case 'empty':
      return m.textEmpty;
    case 'too_long':
      return (note ? m.textTooLong : m.answerTooLong)(formatNumber(max, lang));
    case 'markup':
      return note ? m.textMarkup : m.answerMarkup;
    case 'control':
      return note ? m.textControl : m.answerControl;
  }
}
