// Turning a Likert summary into words and numbers a room can read. Pure functions.
// Percentages are shown as whole numbers: with 9–14 people one decimal is false precision.

import type { Messages } from '../i18n/en';
import type { Median } from './protocol';

/** Index (0-based) of the middle point of an odd scale, or null for an even scale. */
export function neutralIndex(points: number): number | null {
  return points % 2 === 1 ? (points - 1) / 2 : null;
}

/** Answers above the middle of the scale ("agree" in any strength). */
export function agreeCount(counts: readonly number[]): number {
  const p = counts.length;
  let sum = 0;
  for (let i = p % 2 === 1 ? (p + 1) / 2 : p / 2; i < p; i++) sum += counts[i] ?? 0;
  return sum;
}

/** Answers below the middle of the scale. */
export function disagreeCount(counts: readonly number[]): number {
  const p = counts.length;
  let sum = 0;
  for (let i = 0; i < Math.floor(p / 2); i++) sum += counts[i] ?? 0;
  return sum;
}

function formatter(lang: string, digits: number): Intl.NumberFormat {
  const opts: Intl.NumberFormatOptions = { minimumFractionDigits: digits, maximumFractionDigits: digits };
  try {
    return new Intl.NumberFormat(lang === 'cy' ? ['cy', 'en-GB'] : [lang, 'en-GB'], opts);
  } catch {
    return new Intl.NumberFormat('en-GB', opts);
  }
}

/** A number for display in `lang`, rounded to `digits` decimals; never "-0". */
export function formatNumber(x: number, lang: string, digits = 0): string {
  const f = 10 ** digits;
  let r = Math.round(x * f) / f;
  if (Object.is(r, -0)) r = 0;
  return formatter(lang, digits).format(r);
}

export interface AgreeInput {
  n: number;
  counts?: readonly number[];
  agree_pct?: number | null;
  agree_ci95?: readonly [number, number] | null;
}

/** "11 of 14 agree (79%, 95% CI 52–92%)", or "No answers yet" when n = 0. */
export function agreeText(s: AgreeInput, m: Messages, lang: string): string {
  if (!s.n) return m.noAnswersYet;
  const agree = s.counts ? agreeCount(s.counts) : null;
  const pct = s.agree_pct ?? (agree !== null ? (100 * agree) / s.n : null);
  const agreeN = agree ?? (pct !== null ? Math.round((pct * s.n) / 100) : 0);
  const fmt = (x: number) => formatNumber(x, lang);
  if (pct === null) return m.answers(fmt(s.n));
  if (s.agree_ci95) {
    return m.agreeSentence(fmt(agreeN), fmt(s.n), fmt(pct), fmt(s.agree_ci95[0]), fmt(s.agree_ci95[1]));
  }
  return m.agreeSentenceNoCi(fmt(agreeN), fmt(s.n), fmt(pct));
}

/** The label of scale point `value` (1-based), or the number when the scale has no label for it. */
export function pointLabel(value: number, labels: readonly string[]): string {
  return labels[value - 1] ?? String(value);
}

/** The median in words: a scale label, "between X and Y", or "No answers yet". */
export function medianText(median: Median | undefined, labels: readonly string[], m: Messages): string {
  if (median === null || median === undefined) return m.noAnswersYet;
  let lo: number;
  let hi: number;
  if (Array.isArray(median)) [lo, hi] = median;
  else [lo, hi] = [Math.floor(median), Math.ceil(median)];
  if (lo === hi) return pointLabel(lo, labels);
  return m.medianBetween(pointLabel(lo, labels), pointLabel(hi, labels));
}

/** The quartiles in words: "“Disagree” to “Agree”". */
export function rangeText(q: readonly [number, number], labels: readonly string[], m: Messages): string {
  const lab = (x: number) =>
    Number.isInteger(x) ? pointLabel(x, labels) : medianText(x, labels, m);
  if (q[0] === q[1]) return lab(q[0]);
  return m.fromTo(lab(q[0]), lab(q[1]));
}

export type ConsensusBand = 'strong' | 'moderate' | 'weak' | 'divided';

/** Plain-words band of a consensus value in [0, 1] (1 = everyone gave the same answer). */
export function consensusBand(c: number): ConsensusBand {
  if (c >= 0.8) return 'strong';
  if (c >= 0.6) return 'moderate';
  if (c >= 0.4) return 'weak';
  return 'divided';
}

/** "0.71 — answers were fairly similar". */
export function consensusText(c: number | null | undefined, m: Messages, lang: string): string {
  if (c === null || c === undefined) return m.noAnswersYet;
  const words = {
    strong: m.consensusStrong,
    moderate: m.consensusModerate,
    weak: m.consensusWeak,
    divided: m.consensusDivided,
  }[consensusBand(c)];
  return `${formatNumber(c, lang, 2)} — ${words}`;
}

/** "Strongly disagree 0, Disagree 1, …" for a text alternative of a bar. */
export function countsText(counts: readonly number[], labels: readonly string[], lang: string): string {
  return counts.map((c, i) => `${pointLabel(i + 1, labels)} ${formatNumber(c, lang)}`).join(', ');
}
