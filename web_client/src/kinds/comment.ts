// The optional "why?" that likert and choice activities may ask for (docs/protocol.md: 1–500
// characters, note-text rules; a `vote` or `choose` without one removes an earlier one). Pure.

import { textProblem } from '../lib/plain_text';

export const COMMENT_MAX = 500;

/**
 * The comment to send with an answer: the draft (trimmed; '' for none) when the server would
 * take it, else the comment already stored, so a draft that is too long does not erase it.
 */
export function commentToSend(draft: string, stored: string): string {
  if (draft.trim() === '') return '';
  return textProblem(draft, COMMENT_MAX) === null ? draft.trim() : stored;
}
