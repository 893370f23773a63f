// Choice questions, pure: which options a tap leaves ticked (never more than `max`), and the
// rows of the results (count, share and its 95 % interval per option) in words and numbers.

import type { Messages } from '../../i18n/en';
import type { ChoiceActivity, ChoiceCounts, LabelledId } from '../../lib/protocol';
import { formatNumber } from '../../lib/stats_format';
import { pick, type Picked } from '../../lib/text';

/**
 * The options ticked after a tap on `id`: a single-answer choice replaces the answer; otherwise
 * the option is added (up to `max`) or taken away. Returned in the activity's order; null when
 * the tap would pass `max` (nothing changes).
 */
export function toggleOption(options: readonly LabelledId[], ticked: readonly string[], id: string, max: number): string[] | null {
  if (max <= 1) return [id];
  const on = new Set(ticked);
  if (on.has(id)) on.delete(id);
  else if (on.size >= max) return null;
  else on.add(id);
  return options.map((o) => o.id).filter((o) => on.has(o));
}

export interface ChoiceRow {
  id: string;
  label: Picked;
  count: number;
  /** Percent of respondents, or null when nobody answered. */
  pct: number | null;
  ci: readonly [number, number] | null;
}

/** One row per option in the activity's order; shares computed from counts when the server gave none. */
export function choiceRows(activity: ChoiceActivity, s: ChoiceCounts, lang: string, languages: readonly string[]): ChoiceRow[] {
  return activity.options.map((o) => {
    const count = s.counts?.[o.id] ?? 0;
    const given = s.share_pct?.[o.id];
    const pct = typeof given === 'number' ? given : s.n > 0 ? (100 * count) / s.n : null;
    return { id: o.id, label: pick(o.label, lang, languages), count, pct, ci: s.share_ci95?.[o.id] ?? null };
  });
}

/** "5 (36%, 95% CI 16–61%)": whole percentages (with 9–14 people a decimal is false precision). */
export function shareText(row: Pick<ChoiceRow, 'count' | 'pct' | 'ci'>, m: Messages, lang: string): string {
  const fmt = (x: number) => formatNumber(x, lang);
  if (row.pct === null) return fmt(row.count);
  if (row.ci) return m.shareLine(fmt(row.count), fmt(row.pct), fmt(row.ci[0]), fmt(row.ci[1]));
  return m.shareLineNoCi(fmt(row.count), fmt(row.pct));
}

/** The option labels of ids (a comment's answer, one's own answer), joined; unknown ids as sent. */
export function optionLabels(activity: ChoiceActivity, ids: readonly string[], lang: string, languages: readonly string[]): string {
  return ids.map((id) => pick(activity.options.find((o) => o.id === id)?.label, lang, languages).text || id).join(', ');
}
