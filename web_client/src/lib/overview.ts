// The facilitator's results overview: one compact row per activity (how many answered, a small
// distribution, the line that sums it up). Pure: the console passes the activity, its latest
// summary (pushed, or from GET /api/workshops/{id}/results) and, for boards, its notes.

import type { Messages } from '../i18n/en';
import { choiceRows } from '../kinds/choice/choice';
import { rankingRows } from '../kinds/ranking/ranking';
import { isFullChoice, isFullRanking, isFullSummary, knownActivity, unreachable, type Activity, type Summary } from './protocol';
import { agreeText, formatNumber } from './stats_format';

/** What a board row needs: its notes (hidden ones are not counted) and their dots. */
export interface BoardNotes {
  notes: readonly { text: string; dots: number | null; hidden?: boolean | null }[];
}

export interface OverviewRow {
  /** Respondents (boards: notes); null when nothing is known yet. */
  n: number | null;
  /** Shares of a small bar, each 0..1, in scale or option order (empty: no bar). */
  bar: number[];
  /** The line that sums the activity up: agree % with its CI, the leading option or item, … */
  headline: string;
}

/** Summarises one activity for the overview. */
export function overviewRow(
  a: Activity,
  summary: Summary | null | undefined,
  board: BoardNotes | null | undefined,
  m: Messages,
  lang: string,
  languages: readonly string[],
): OverviewRow {
  const k = knownActivity(a);
  const fmt = (x: number) => formatNumber(x, lang);
  if (!k) return { n: null, bar: [], headline: m.unsupportedKind };
  // A summary for publication with fewer answers than min_cell: its count, and why nothing more.
  if (summary && summary.kind !== 'open_text' && summary.suppressed && !isFullSummary(summary) && !isFullChoice(summary) && !isFullRanking(summary)) {
    return { n: summary.n, bar: [], headline: m.overviewWithheld(fmt(summary.min_cell ?? 3)) };
  }
  switch (k.kind) {
    case 'likert': {
      if (!isFullSummary(summary)) return { n: summary?.n ?? null, bar: [], headline: summary?.n ? m.answers(fmt(summary.n)) : m.noAnswersYet };
      const total = summary.counts.reduce((x, y) => x + y, 0);
      return { n: summary.n, bar: total ? summary.counts.map((c) => c / total) : [], headline: agreeText(summary, m, lang) };
    }
    case 'choice': {
      if (!isFullChoice(summary) || !summary.n) return { n: summary?.n ?? null, bar: [], headline: m.noAnswersYet };
      const rows = choiceRows(k, summary, lang, languages);
      const total = rows.reduce((x, r) => x + r.count, 0);
      const top = rows.reduce((best, r) => (r.count > best.count ? r : best), rows[0]!);
      return {
        n: summary.n,
        bar: total ? rows.map((r) => r.count / total) : [],
        headline: m.overviewLeading(top.label.text, fmt(top.pct ?? 0)),
      };
    }
    case 'ranking': {
      if (!isFullRanking(summary) || !summary.n) return { n: summary?.n ?? null, bar: [], headline: m.noAnswersYet };
      const rows = rankingRows(k, summary, lang, languages);
      const first = rows[0];
      const mean = first?.meanRank;
      return {
        n: summary.n,
        bar: [],
        headline: first && mean !== null && mean !== undefined ? m.overviewFirst(first.label.text, formatNumber(mean, lang, 2)) : m.noAnswersYet,
      };
    }
    case 'open_text': {
      const n = summary?.kind === 'open_text' ? summary.n : null;
      return { n, bar: [], headline: n ? m.answers(fmt(n)) : m.noAnswersYet };
    }
    case 'board': {
      const notes = (board?.notes ?? []).filter((x) => !x.hidden);
      const dots = notes.reduce((s, x) => s + (x.dots ?? 0), 0);
      return { n: board ? notes.length : null, bar: [], headline: m.overviewNotes(fmt(notes.length), fmt(dots)) };
    }
    default:
      return unreachable(k);
  }
}
