// The kinds of the second round (choice, ranking, open text), which the phones, the console and
// the projector load as chunks of their own; likert and boards have their own screens.

import type { ChoiceActivity, Group, KnownActivity, OpenTextActivity, RankingActivity, Request } from '../lib/protocol';
import type { WorkshopSession } from '../lib/session.svelte';

export type NewKindActivity = ChoiceActivity | RankingActivity | OpenTextActivity;

export function isNewKind(a: KnownActivity | null): a is NewKindActivity {
  return !!a && (a.kind === 'choice' || a.kind === 'ranking' || a.kind === 'open_text');
}

/** What a phone's question component of these kinds is given. */
export interface QuestionProps<A extends NewKindActivity> {
  activity: A;
  session: WorkshopSession;
  lang: string;
  languages: readonly string[];
  /** Not connected: answers wait to be sent. */
  offline: boolean;
}

/** Who a results view is for: a phone, the facilitator's console (everything), the projector (large). */
export type ResultsDetail = 'participant' | 'facilitator' | 'presenter';

/** What a results component of these kinds is given. */
export interface ResultsProps<S, A extends NewKindActivity> {
  summary: S;
  activity: A;
  lang: string;
  languages?: readonly string[];
  /** The workshop's groups, for the console's breakdown. */
  groups?: readonly Group[];
  detail: ResultsDetail;
}

/** How the console's kind views send the facilitator's requests (Facilitator.svelte tracks them). */
export interface ConsoleSend {
  /** Ids whose requests await an answer (their buttons are disabled). */
  busy: ReadonlySet<string>;
  /** Sends `req` for the thing `id` names; a refusal is shown at the top of the console. */
  send: (id: string, req: Request) => void;
}
