// The kinds of the second round (choice, ranking, open text), which the phones, the console and
// the projector load as chunks of their own; likert and boards have their own screens.

import type { ChoiceActivity, KnownActivity, OpenTextActivity, RankingActivity } from '../lib/protocol';

export type NewKindActivity = ChoiceActivity | RankingActivity | OpenTextActivity;

export function isNewKind(a: KnownActivity | null): a is NewKindActivity {
  return !!a && (a.kind === 'choice' || a.kind === 'ranking' || a.kind === 'open_text');
}
