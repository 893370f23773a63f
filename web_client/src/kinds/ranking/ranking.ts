// Ranking questions, pure: the participant's order and its moves (keyboard Up/Down and drops),
// and the results (mean rank, Borda score, how many put each item in each place) ordered by
// mean rank.

import type { LabelledId, RankingActivity, RankingCounts } from '../../lib/protocol';
import { pick, type Picked } from '../../lib/text';

/** The order to start from: one's own stored order when it names every item once, else the activity's. */
export function startOrder(items: readonly LabelledId[], mine: readonly string[] | null): string[] {
  const ids = items.map((i) => i.id);
  if (mine && mine.length === ids.length && new Set(mine).size === ids.length && mine.every((id) => ids.includes(id))) {
    return [...mine];
  }
  return ids;
}

/** The order with the item at `from` moved to `to` (both 0-based, clamped); the same order when nothing moves. */
export function moveTo(order: readonly string[], from: number, to: number): string[] {
  const out = [...order];
  if (from < 0 || from >= out.length) return out;
  const target = Math.max(0, Math.min(out.length - 1, to));
  const [id] = out.splice(from, 1);
  out.splice(target, 0, id!);
  return out;
}

/** One place up (-1) or down (+1): the new order and the item's new index, or null at either end. */
export function moveBy(order: readonly string[], id: string, delta: -1 | 1): { order: string[]; index: number } | null {
  const from = order.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= order.length) return null;
  return { order: moveTo(order, from, to), index: to };
}

export function sameOrder(a: readonly string[] | null, b: readonly string[] | null): boolean {
  return !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface RankingRow {
  id: string;
  label: Picked;
  meanRank: number | null;
  borda: number;
  /** counts[r − 1]: how many put the item r-th (always one per item of the activity). */
  counts: number[];
}

/** The items, best mean rank first (ties: higher Borda score, then the activity's order); items without answers last. */
export function rankingRows(activity: RankingActivity, s: RankingCounts, lang: string, languages: readonly string[]): RankingRow[] {
  const k = activity.items.length;
  const rows = activity.items.map((item, i) => ({
    i,
    row: {
      id: item.id,
      label: pick(item.label, lang, languages),
      meanRank: s.mean_rank?.[item.id] ?? null,
      borda: s.borda?.[item.id] ?? 0,
      counts: Array.from({ length: k }, (_, r) => s.rank_counts?.[item.id]?.[r] ?? 0),
    },
  }));
  rows.sort((a, b) => {
    const ma = a.row.meanRank ?? Infinity;
    const mb = b.row.meanRank ?? Infinity;
    return ma !== mb ? ma - mb : b.row.borda !== a.row.borda ? b.row.borda - a.row.borda : a.i - b.i;
  });
  return rows.map((r) => r.row);
}

/**
 * Where a dragged item lands: the number of the other items whose middle is above the pointer
 * (`middles`: the vertical middles of the other items, in list order).
 */
export function dropIndex(middles: readonly number[], y: number): number {
  return middles.filter((mid) => mid < y).length;
}

/** The colour of rank r (1-based) of k in the distribution bars: dark (first) to light (last). */
export function rankColour(r: number, k: number): string {
  const lightness = k <= 1 ? 30 : 28 + ((r - 1) * (86 - 28)) / (k - 1);
  return `hsl(176 45% ${Math.round(lightness)}%)`;
}
