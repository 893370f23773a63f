// What SelfPacedLikert.svelte is given (a type of its own, so that SelfPacedParticipant can name
// it without importing the component: see its `likert` prop).
import type { LikertActivity } from '../../lib/protocol';
import type { WorkshopSession } from '../../lib/session.svelte';

export interface SelfPacedLikertProps {
  activity: LikertActivity;
  session: WorkshopSession;
  lang: string;
  languages: readonly string[];
  offline: boolean;
}
