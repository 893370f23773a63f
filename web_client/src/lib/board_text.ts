// Words for boards that several screens need: a note's accessible name, why a change was
// refused, a column's title. Pure (the messages are passed in), so they are unit-tested.

import type { Messages } from '../i18n/en';
import type { Lane, Move } from './board';
import type { BoardFailure } from './board_model.svelte';
import { formatNumber } from './stats_format';
import type { BoardColumn, Cluster, Note } from './protocol';
import { pick, type Picked } from './text';

export { textProblemText } from './plain_text';

export function colourName(m: Messages, colour: string): string {
  return (m.colours as Record<string, string | undefined>)[colour] ?? colour;
}

export function columnTitle(column: BoardColumn | null, m: Messages, lang: string, languages: readonly string[]): Picked {
  return column ? pick(column.title, lang, languages) : { text: m.noColumn, lang };
}

export function clusterLabel(cluster: Cluster, lang: string, languages: readonly string[]): Picked {
  return pick(cluster.label, lang, languages);
}

/** What a screen reader says for a note: colour, column, cluster, text, dots (as shown: when there are any), whose, hidden. */
export function noteName(
  m: Messages,
  note: Note,
  ctx: {
    lang: string;
    languages: readonly string[];
    columns: readonly BoardColumn[];
    clusters: readonly Cluster[];
    showDots: boolean;
  },
): string {
  const column = ctx.columns.find((c) => c.id === note.column);
  const cluster = ctx.clusters.find((c) => c.id === note.cluster);
  return m.noteName({
    colour: colourName(m, note.colour),
    text: note.text,
    column: column ? pick(column.title, ctx.lang, ctx.languages).text : undefined,
    cluster: cluster ? pick(cluster.label, ctx.lang, ctx.languages).text : undefined,
    dots: ctx.showDots && note.dots !== null && note.dots > 0 ? formatNumber(note.dots, ctx.lang) : undefined,
    mine: note.mine,
    hidden: note.hidden === true,
  });
}

/** Why the server refused a change, in words. */
export function failureText(m: Messages, f: BoardFailure): string {
  switch (f.code) {
    case 'closed':
      return m.errBoardClosed;
    case 'not_found':
      return m.errNoteGone;
    case 'not_allowed':
      if (f.action === 'add') return m.errNoteLimit;
      if (f.action === 'dot') return m.errNoDots;
      return m.errNotAllowedBoard;
    case 'queue_full':
    default:
      return m.errBoardGeneric;
  }
}

/** The announcement after a note was moved with the keyboard. */
export function moveText(m: Messages, move: Move, lang: string, languages: readonly string[]): string {
  const e = move.effect;
  if (e.kind === 'column') return m.movedToColumn(pick(e.column.title, lang, languages).text);
  const other = shorten(e.past.text);
  return e.kind === 'earlier' ? m.movedBefore(other) : m.movedAfter(other);
}

/** A short form of a note's text for announcements and labels (first 60 characters). */
export function shorten(text: string, max = 60): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** A lane's heading: its column title, or "No column" (null on boards without columns). */
export function laneTitle(lane: Lane<Note>, m: Messages, lang: string, languages: readonly string[], hasColumns: boolean): Picked | null {
  if (!hasColumns) return null;
  return columnTitle(lane.column, m, lang, languages);
}
