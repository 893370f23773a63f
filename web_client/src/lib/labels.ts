// Names of states and policies in the UI language.

import type { Messages } from '../i18n/en';
import { isRevealed, type ActivityState, type ResultsPolicy } from './protocol';

export function stateName(s: ActivityState, m: Messages): string {
  return { pending: m.statePending, open: m.stateOpen, closed: m.stateClosed, revealed: m.stateRevealed }[s] ?? s;
}

export function policyName(p: ResultsPolicy, m: Messages): string {
  return { live: m.resultsLive, on_reveal: m.resultsOnReveal, hidden: m.resultsHidden }[p] ?? p;
}

/** Whether participants (and so the projector) may see this activity's results now. */
export function resultsVisible(a: { results: ResultsPolicy; state: ActivityState; revealed?: boolean }): boolean {
  if (a.state === 'pending') return false;
  if (a.results === 'live') return true;
  return isRevealed(a);
}
