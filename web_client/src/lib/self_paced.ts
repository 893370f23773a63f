// A self-paced questionnaire (docs/protocol.md, "Self-paced workshops"), pure: where the
// questionnaire stands (before it opens, open, closed), where a participant resumes, how many
// questions they answered, the kiosk's questions and pass ids, and dates in words. The screens
// (screens/self_paced/, Kiosk.svelte, the console and the projector) hold no such logic.

import { kioskMode } from '../kinds/kind';
import type { Activity, Mine, Workshop } from './protocol';

/** Before `opens_at` (no activities yet), open, or closed (after `closes_at`, or ended early). */
export type QuestionnairePhase = 'before' | 'open' | 'closed';

/**
 * Where the questionnaire stands for a participant or kiosk, from what the server sent: it
 * opens and closes the activities, so their states decide, not this device's clock.
 */
export function questionnairePhase(workshop: Pick<Workshop, 'state'>, activities: readonly Activity[]): QuestionnairePhase {
  if (workshop.state === 'ended') return 'closed';
  if (activities.length === 0) return 'before';
  return activities.some((a) => a.state === 'open') ? 'open' : 'closed';
}

/**
 * Where the questionnaire stands for staff (the console and projector have the agenda, whose
 * states the server sets; before the opening every activity is pending).
 */
export function staffPhase(workshop: Pick<Workshop, 'state'>, agenda: readonly Activity[]): QuestionnairePhase {
  if (workshop.state === 'ended') return 'closed';
  if (agenda.some((a) => a.state === 'open')) return 'open';
  return agenda.length > 0 && agenda.every((a) => a.state === 'pending') ? 'before' : 'closed';
}

/** An RFC 3339 time as ms since the epoch, or null when absent or not a time. */
export function parseTime(s: string | null | undefined): number | null {
  if (!s) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

/** Whether `mine` holds an answer (a scale point, options, an order or a text). */
export function isAnswered(mine: Mine | null | undefined): boolean {
  if (!mine) return false;
  return (
    typeof mine.value === 'number' ||
    (Array.isArray(mine.options) && mine.options.length > 0) ||
    (Array.isArray(mine.order) && mine.order.length > 0) ||
    (typeof mine.text === 'string' && mine.text !== '')
  );
}

/** How many of `activities` the participant has answered. */
export function answeredCount(activities: readonly Activity[], answers: Readonly<Record<string, Mine>>): number {
  return activities.filter((a) => isAnswered(answers[a.id])).length;
}

/**
 * Where a participant starts (or resumes): the first question they have not answered, or
 * `activities.length` (the check-your-answers screen) when they answered every one.
 */
export function resumeIndex(activities: readonly Activity[], answers: Readonly<Record<string, Mine>>): number {
  const i = activities.findIndex((a) => !isAnswered(answers[a.id]));
  return i < 0 ? activities.length : i;
}

/**
 * The participant's place after the list changed (the `activities` push): the same activity
 * if it is still there, else the same index within the new list (at most the review screen).
 */
export function keepPlace(before: readonly Activity[], after: readonly Activity[], index: number): number {
  const id = before[index]?.id;
  const same = id === undefined ? -1 : after.findIndex((a) => a.id === id);
  if (same >= 0) return same;
  return Math.min(Math.max(0, index), after.length);
}

// ---- kiosks ----

/** The activities a kiosk takes in a pass, in agenda order: open Likert statements and single-answer choices. */
export function kioskSteps(activities: readonly Activity[]): Activity[] {
  return activities.filter((a) => a.state === 'open' && kioskMode(a) !== 'phone');
}

/** A pass id as the server accepts it: 1–64 of A–Z a–z 0–9 _ - (docs/protocol.md). */
export const PASS_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const PASS_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/**
 * A new random pass id: 22 characters of a 64-letter alphabet (132 bits), so two people at
 * two kiosks never share one. `random` fills a byte array (crypto.getRandomValues).
 */
export function newPassId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(22));
  let out = '';
  for (const b of bytes) out += PASS_ALPHABET[b & 63];
  return out;
}

// ---- dates ----

const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  cy: ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'],
} as const;

/**
 * A moment as "1 December 2026 at 09:00" / "1 Rhagfyr 2026 am 09:00", in this device's time
 * zone. Month names are written out here, as in lib/staff.ts: browsers often lack Welsh locale
 * data and fall back to English names.
 */
export function formatMoment(ms: number, lang: string): string {
  const d = new Date(ms);
  const cy = lang === 'cy';
  const months: readonly string[] = cy ? MONTHS.cy : MONTHS.en;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getDate()} ${months[d.getMonth()]} ${d.getFullYear()} ${cy ? 'am' : 'at'} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** `formatMoment` of an RFC 3339 time, or '' when there is none. */
export function formatTime(s: string | null | undefined, lang: string): string {
  const ms = parseTime(s);
  return ms === null ? '' : formatMoment(ms, lang);
}
