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

/**
 * One column per group of the workshop, headed by its label and "Answers: n"; a group too small
 * for shared screens (`withheld`, the summary's small-cell mark) also says it is not shown on
 * the projector.
 */
export function groupColumns(
  groups: readonly Group[],
  n: (group: string) => number,
  m: Messages,
  lang: string,
  languages: readonly string[],
  withheld: (group: string) => boolean = () => false,
): TableColumn[] {
  return groups.map((g) => {
    const answers = m.answers(formatNumber(n(g.id), lang));
    return { key: g.id, head: pick(g.label, lang, languages), sub: withheld(g.id) ? `${answers} (${m.notOnProjector})` : answers };
  });
}
