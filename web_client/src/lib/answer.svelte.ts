// A participant's answer to the current Likert activity: what they picked, and whether the
// server has durably stored it. "Saved" is shown only after the server's ack for the latest
// request; an answer changed while offline is sent once, when the connection is back.

import type { ErrorCode, Mine } from './protocol';
import type { WorkshopSession } from './session.svelte';

export type AnswerStatus = 'idle' | 'sending' | 'saved' | 'cleared' | 'error';

export class AnswerModel {
  /** The selected scale point (1-based) as shown, or null. */
  value = $state<number | null>(null);
  status = $state<AnswerStatus>('idle');
  errorCode = $state<ErrorCode | null>(null);
  errorMessage = $state<string | null>(null);

  private activityId: string | null = null;
  private savedValue: number | null = null;
  private latestOp: string | null = null;
  private readonly session: WorkshopSession;

  /** The activity this answer belongs to (null: none). */
  get activity(): string | null {
    return this.activityId;
  }

  constructor(session: WorkshopSession) {
    this.session = session;
  }

  /** The server's view of our answer (welcome / activity push). */
  sync(activityId: string | null, mine: Mine): void {
    const server = typeof mine.value === 'number' ? mine.value : null;
    if (activityId !== this.activityId) {
      this.activityId = activityId;
      this.latestOp = null;
      this.errorCode = this.errorMessage = null;
    }
    this.savedValue = server;
    if (this.latestOp !== null) return; // our newer request is still on its way
    this.value = server;
    if (this.status !== 'cleared' || server !== null) this.status = server !== null ? 'saved' : 'idle';
  }

  choose(value: number): void {
    const activity = this.activityId;
    if (!activity) return;
    this.value = value;
    this.send({ type: 'vote', activity, value }, activity, value);
  }

  clear(): void {
    const activity = this.activityId;
    if (!activity) return;
    this.value = null;
    this.send({ type: 'vote.clear', activity }, activity, null);
  }

  private send(
    req: { type: 'vote'; activity: string; value: number } | { type: 'vote.clear'; activity: string },
    activity: string,
    value: number | null,
  ): void {
    this.status = 'sending';
    this.errorCode = this.errorMessage = null;
    const op = this.session.request(req, {
      key: `answer:${activity}`,
      onAck: () => {
        if (this.latestOp !== op) return;
        this.latestOp = null;
        if (this.activityId !== activity) return;
        this.savedValue = value;
        this.status = value === null ? 'cleared' : 'saved';
      },
      onError: (e) => {
        if (this.latestOp !== op) return;
        this.latestOp = null;
        if (this.activityId !== activity) return;
        this.value = this.savedValue;
        this.status = 'error';
        this.errorCode = e.code;
        this.errorMessage = e.message ?? null;
      },
    });
    this.latestOp = op;
  }
}
