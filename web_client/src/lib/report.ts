// The staff report pages' words and numbers: their strings in the UI language, durations as a
// person reads them, and the timings of GET /api/workshops/{id}/results (staff view). Pure.
import { reportCy } from '../i18n/report_cy';
import { reportEn, type ReportMessages } from '../i18n/report_en';
import { formatWhen } from './staff';
import { formatNumber } from './stats_format';

export function reportMessages(lang: string): ReportMessages {
  return lang === 'cy' ? reportCy : reportEn;
}

/** One activity's times in the results (ms since 1970; null: never). */
export interface ActivityTiming {
  activity: string;
  opened_at: number | null;
  closed_at: number | null;
  answers: number;
  first_answer_at: number | null;
  last_answer_at: number | null;
}

/** `timings` of GET …/results: per activity, and each respondent's span from first to last answer. */
export interface Timings {
  activities: ActivityTiming[];
  respondents: { n: number; span_ms: { median: number; q1: number; q3: number } | null };
}

const MINUTE = 60_000;

/** A length of time as a person reads it: "40 seconds", "12 minutes", "1 h 05 min", "2 d 3 h". */
export function formatDuration(ms: number, lang: string): string {
  const r = reportMessages(lang);
  const minutes = Math.round(ms / MINUTE);
  if (ms < 1000) return r.durUnderSecond;
  if (ms < MINUTE) return r.durSeconds(formatNumber(Math.min(59, Math.round(ms / 1000)), lang));
  if (minutes < 60) return r.durMinutes(formatNumber(minutes, lang));
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return r.durHours(formatNumber(hours, lang), String(minutes % 60).padStart(2, '0'));
  return r.durDays(formatNumber(Math.floor(hours / 24), lang), formatNumber(hours % 24, lang));
}

/** A self-paced workshop's window, "1 Dec 2026 09:00 to 14 Dec 2026 17:00" (local time); null without dates. */
export function windowText(opensAt: string | undefined, closesAt: string | undefined, lang: string): string | null {
  const opens = opensAt ? Date.parse(opensAt) : NaN;
  const closes = closesAt ? Date.parse(closesAt) : NaN;
  if (Number.isNaN(opens) || Number.isNaN(closes)) return null;
  return reportMessages(lang).window(formatWhen(opens, lang), formatWhen(closes, lang));
}

/** How long an activity was open: closed − opened, "still open", or "not opened". */
export function openFor(t: ActivityTiming, lang: string): string {
  const r = reportMessages(lang);
  if (t.opened_at === null) return r.timingsNone;
  if (t.closed_at === null) return r.timingsStillOpen;
  return formatDuration(t.closed_at - t.opened_at, lang);
}

/** The respondents' sentence: "N respondents took a median of X … (quartiles Y to Z)." */
export function spanText(t: Timings, lang: string): string {
  const r = reportMessages(lang);
  const s = t.respondents.span_ms;
  if (!s || t.respondents.n === 0) return r.timingsNoSpan;
  const d = (ms: number) => formatDuration(ms, lang);
  if (t.respondents.n === 1) return r.timingsSpanOne(d(s.median));
  return r.timingsSpan(formatNumber(t.respondents.n, lang), d(s.median), d(s.q1), d(s.q3));
}

/**
 * A compared statement in every language its workshops wrote it in. GET /api/compare gives the
 * text of the first workshop that asked it; the others' agendas (GET /api/workshops/{id}) may
 * have more languages (an English-only workshop compared with a bilingual one). The compare
 * answer's own texts come first and win.
 */
export function statementInAllLanguages(
  statement: Record<string, string>,
  rows: readonly { workshop: string; activity: string }[],
  agendas: ReadonlyMap<string, readonly { id: string; statement?: Record<string, string> }[]>,
): Record<string, string> {
  const out: Record<string, string> = { ...statement };
  for (const r of rows) {
    const a = agendas.get(r.workshop)?.find((x) => x.id === r.activity);
    for (const [lang, text] of Object.entries(a?.statement ?? {})) if (!(lang in out) && text) out[lang] = text;
  }
  return out;
}
