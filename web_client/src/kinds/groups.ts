// Groups in words for the facilitator: a respondent's group in the lists of comments and answers,
// and the group columns of the results tables. Pure.

import type { Messages } from '../i18n/en';
import type { Group } from '../lib/protocol';
import { formatNumber } from '../lib/stats_format';
import { pick, type Picked } from '../lib/text';

/** The group's label, or "No group given" for none (or a group the workshop no longer has). */
export function groupName(id: string | null, groups: readonly Group[], m: Messages, lang: string, languages: readonly string[]): Picked {
  const g = id ? groups.find((x) => x.id === id) : undefined;
  return g ? pick(g.label, lang, languages) : { text: id ?? m.ungrouped, lang };
}

/** A column of a results table: its heading and, under it, a smaller line. */
export interface TableColumn {
  key: string;
  head: Picked;
  sub?: string;
}

/** One cell of a breakdown (a group, a channel) as a summary carries it. */
export interface BreakdownCell {
  n?: number;
  suppressed?: boolean;
}

/**
 * How a cell may be shown: `shown`; `marked` (the facilitator's numbers, which shared screens
 * withhold); `withheld` (a shared screen's or a publication's `{"suppressed":true}`, no numbers).
 */
export type CellShowing = 'shown' | 'marked' | 'withheld';

export function cellShowing(cell: BreakdownCell | undefined): CellShowing {
  if (!cell?.suppressed) return 'shown';
  return typeof cell.n === 'number' ? 'marked' : 'withheld';
}

/** A cell's respondents in words: "Answers: 4", "Answers: 2 (not shown on the projector)", "fewer than 3". */
export function cellAnswers(cell: BreakdownCell | undefined, minCell: number, m: Messages, lang: string): string {
  const showing = cellShowing(cell);
  if (showing === 'withheld') return m.fewerThan(minCell);
  const answers = m.answers(formatNumber(cell?.n ?? 0, lang));
  return showing === 'marked' ? `${answers} (${m.notOnProjector})` : answers;
}

/** A cell's count alone: "4", or "fewer than 3" where it is withheld. */
export function cellCount(cell: BreakdownCell | undefined, minCell: number, m: Messages, lang: string): string {
  return cellShowing(cell) === 'withheld' ? m.fewerThan(minCell) : formatNumber(cell?.n ?? 0, lang);
}

/**
 * One column per group of the workshop, headed by its label and, under it, its respondents
 * (`cellAnswers`: marked or withheld where the group is too small for shared screens).
 */
export function groupColumns(
  groups: readonly Group[],
  cell: (group: string) => BreakdownCell | undefined,
  minCell: number,
  m: Messages,
  lang: string,
  languages: readonly string[],
): TableColumn[] {
  return groups.map((g) => ({ key: g.id, head: pick(g.label, lang, languages), sub: cellAnswers(cell(g.id), minCell, m, lang) }));
}
