// Self-paced questionnaires: what a question has that is not sent yet (an open answer typed, a
// ranking reordered) and how to send it, so that moving to another question saves it, as a
// person pressing Next expects, instead of dropping it. The question registers while it is
// shown (`holdUnsent`); the self-paced screen asks `hasUnsent` for its Next button's label and
// calls `sendUnsent` before it moves on. Live workshops never register anything.

/** Activity ids whose question holds something unsent (reactive). */
const unsent = $state<Record<string, boolean>>({});
const senders = new Map<string, () => void>();

/**
 * While a question is shown: whether it holds something unsent, and how to send it. Returns
 * the function that unregisters it (call it when the question goes away).
 */
export function holdUnsent(activity: string, pending: boolean, send: () => void): () => void {
  unsent[activity] = pending;
  senders.set(activity, send);
  return () => {
    if (senders.get(activity) === send) {
      senders.delete(activity);
      delete unsent[activity];
    }
  };
}

export function hasUnsent(activity: string): boolean {
  return unsent[activity] === true;
}

/** Sends what the question of `activity` holds unsent, if anything. */
export function sendUnsent(activity: string): void {
  if (unsent[activity]) senders.get(activity)?.();
}
