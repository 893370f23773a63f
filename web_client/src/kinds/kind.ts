// What differs between activity kinds where screens share the code: the text an activity asks,
// its agenda label, whether its results wait for the facilitator's reveal, how a summary counts
// answers per group. Every function switches on `kind` with a `never` default, so a new kind
// does not compile until each of them says what it does; kinds this client does not know are
// turned away by `knownActivity` (the screens then say "not supported here"). Pure.

import type { Messages } from '../i18n/en';
import {
  isBoard,
  isRevealed,
  knownActivity,
  unreachable,
  type Activity,
  type KnownActivity,
  type LocalText,
  type ResultsPolicy,
  type Summary,
} from '../lib/protocol';

/** The statement, prompt or question of an activity. */
export function activityText(a: KnownActivity): LocalText {
  switch (a.kind) {
    case 'likert':
      return a.statement;
    case 'board':
      return a.prompt;
    case 'choice':
    case 'ranking':
    case 'open_text':
      return a.question;
    default:
      return unreachable(a);
  }
}

/** "Statement 3", "Board 4", "Choice 5" … for the agenda; "Activity 6" for a kind not known here. */
export function agendaLabel(a: Activity, m: Messages): (n: string) => string {
  const k = knownActivity(a);
  if (!k) return m.activityN;
  switch (k.kind) {
    case 'likert':
      return m.statementN;
    case 'board':
      return m.boardN;
    case 'choice':
      return m.choiceN;
    case 'ranking':
      return m.rankingN;
    case 'open_text':
      return m.openTextN;
    default:
      return unreachable(k);
  }
}

/** Who may see the results, for kinds that have such a policy (open text has none: its answers are shown one by one). */
export function resultsPolicy(a: KnownActivity): ResultsPolicy | null {
  switch (a.kind) {
    case 'likert':
    case 'choice':
    case 'ranking':
      return a.results;
    case 'board':
    case 'open_text':
      return null;
    default:
      return unreachable(a);
  }
}

/**
 * Whether something of this activity waits for the reveal (so the run of show reveals before it
 * moves on): results `on_reveal`, or a board that hides notes or dot totals.
 */
export function waitsForReveal(a: KnownActivity): boolean {
  if (isRevealed(a)) return false;
  switch (a.kind) {
    case 'likert':
    case 'choice':
    case 'ranking':
      return a.results === 'on_reveal';
    case 'board':
      return a.hidden_until_reveal === true || a.dot_totals === 'on_reveal';
    case 'open_text':
      return false;
    default:
      return unreachable(a);
  }
}

/**
 * Whether the facilitator can reveal the activity now: closed and not yet revealed, or a board
 * that hides notes or dot totals while it is open (it stays open for dots).
 */
export function canReveal(a: Activity): boolean {
  if (isRevealed(a)) return false;
  if (a.state === 'closed') return true;
  return a.state === 'open' && isBoard(a) && (a.hidden_until_reveal === true || a.dot_totals === 'on_reveal');
}

/** Respondents in all and per group, as the reach panel counts them (null: not known). */
export interface Answered {
  n: number;
  by_group?: Record<string, { n?: number }>;
}

/** A summary's respondents per group: from `by_group`, or for open text from the facilitator's list of answers. */
export function answeredByGroup(s: Summary | undefined): Answered | undefined {
  if (!s) return undefined;
  switch (s.kind) {
    case 'likert':
    case 'choice':
    case 'ranking':
      return { n: s.n, by_group: s.by_group };
    case 'open_text': {
      if (!s.answers) return { n: s.n };
      const by_group: Record<string, { n: number }> = {};
      for (const a of s.answers) if (a.group) by_group[a.group] = { n: (by_group[a.group]?.n ?? 0) + 1 };
      return { n: s.n, by_group };
    }
    default:
      return unreachable(s);
  }
}

/** Buttons on the kiosk page: as many as the longest standard scale (keys 1–7 answer too). */
export const KIOSK_BUTTONS = 7;

/**
 * How a kiosk takes an activity (docs/protocol.md): a Likert statement and a single-answer
 * choice with no more options than it has buttons are answered there; everything else on phones.
 */
export function kioskMode(a: Activity, buttons = KIOSK_BUTTONS): 'likert' | 'choice' | 'phone' {
  const k = knownActivity(a);
  if (!k) return 'phone';
  switch (k.kind) {
    case 'likert':
      return 'likert';
    case 'choice':
      return k.max <= 1 && k.options.length <= buttons ? 'choice' : 'phone';
    case 'board':
    case 'ranking':
    case 'open_text':
      return 'phone';
    default:
      return unreachable(k);
  }
}
