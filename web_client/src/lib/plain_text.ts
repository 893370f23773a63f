// Plain text that people type (notes, open-text answers, comments), checked as the server
// checks it (docs/protocol.md, Boards, "note-text rules"): a length in characters (Unicode code
// points, not UTF-16 units) after trimming, line breaks allowed, other control characters and
// HTML tags (`<` followed by a letter, `/`, `!` or `?`) refused. Pure (messages are passed in).

import type { Messages } from '../i18n/en';
import { formatNumber } from './stats_format';

export type TextProblem = 'empty' | 'too_long' | 'markup' | 'control';

/** Length as the server counts it (characters, not UTF-16 units), after trimming. */
export function textLength(text: string): number {
  return [...text.trim()].length;
}

/** What the server would refuse in a text of at most `max` characters, or null. */
export function textProblem(text: string, max: number): TextProblem | null {
  const n = textLength(text);
  if (n === 0) return 'empty';
  if (n > max) return 'too_long';
  if (/<[A-Za-z/!?]/.test(text)) return 'markup';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return 'control';
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
