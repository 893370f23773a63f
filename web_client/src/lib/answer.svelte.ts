// A participant's answer to the current question (Likert, choice, ranking or open text) and
// its optional comment: what they gave, and whether the server has durably stored it. "Saved"
// is shown only after the server's ack for the latest request; on an error the answer goes
// back to the stored one. An answer changed while offline is sent once, when the connection
// is back (the requests share the key `answer:{activity}`: last one wins).
//
// What differs per kind is only how the answer reads from `mine` and which request saves it:
// an AnswerCodec. The comment rides with the answer (docs/protocol.md: a `vote` or `choose`
// without `comment` removes an earlier one), so a changed comment is saved by sending the
// answer again.

import type { ErrorCode, Mine, Request } from './protocol';
import type { WorkshopSession } from './session.svelte';

export type AnswerStatus = 'idle' | 'sending' | 'saved' | 'cleared' | 'error';

/** How one kind's answer is read from the server's `mine` and sent. */
export interface AnswerCodec<T> {
  /** The answer held by the server, or null when there is none. */
  read(mine: Mine): T | null;
  /** The request that stores `value`; `comment` is given only when non-empty. */
  request(activity: string, value: T, comment: string | undefined): Request;
  /** `value` as the server would give it back in `mine` (self-paced: remembered after the ack). */
  write(value: T, comment: string | undefined): Mine;
}

const withComment = (comment: string | undefined) => (comment ? { comment } : {});

export const likertCodec: AnswerCodec<number> = {
  read: (mine) => (typeof mine.value === 'number' ? mine.value : null),
  request: (activity, value, comment) => ({ type: 'vote', activity, value, ...withComment(comment) }),
  write: (value, comment) => ({ value, ...withComment(comment) }),
};

export const choiceCodec: AnswerCodec<string[]> = {
  read: (mine) => (Array.isArray(mine.options) && mine.options.length > 0 ? mine.options : null),
  request: (activity, options, comment) => ({ type: 'choose', activity, options, ...withComment(comment) }),
  write: (options, comment) => ({ options, ...withComment(comment) }),
};

export const rankingCodec: AnswerCodec<string[]> = {
  read: (mine) => (Array.isArray(mine.order) && mine.order.length > 0 ? mine.order : null),
  request: (activity, order) => ({ type: 'rank', activity, order }),
  write: (order) => ({ order }),
};

export const openTextCodec: AnswerCodec<string> = {
  read: (mine) => (typeof mine.text === 'string' && mine.text !== '' ? mine.text : null),
  request: (activity, text) => ({ type: 'answer', activity, text }),
  write: (text) => ({ text }),
};

export class AnswerModel<T = number> {
  /** The answer as shown (a scale point, option ids, an order, a text), or null. */
  value = $state<T | null>(null);
  /** The comment sent with the answer as shown ('' when none). */
  comment = $state('');
  status = $state<AnswerStatus>('idle');
  errorCode = $state<ErrorCode | null>(null);
  errorMessage = $state<string | null>(null);

  private activityId: string | null = null;
  private savedValue: T | null = null;
  private savedComment = '';
  private latestOp: string | null = null;
  private readonly session: WorkshopSession;
  private readonly codec: AnswerCodec<T>;

  /** The activity this answer belongs to (null: none). */
  get activity(): string | null {
    return this.activityId;
  }

  constructor(session: WorkshopSession, codec?: AnswerCodec<T>) {
    this.session = session;
    this.codec = codec ?? (likertCodec as unknown as AnswerCodec<T>);
  }

  /** The server's view of our answer (welcome / activity push). */
  sync(activityId: string | null, mine: Mine): void {
    const server = this.codec.read(mine);
    if (activityId !== this.activityId) {
      this.activityId = activityId;
      this.latestOp = null;
      this.errorCode = this.errorMessage = null;
    }
    this.savedValue = server;
    this.savedComment = server !== null ? (mine.comment ?? '') : '';
    if (this.latestOp !== null) return; // our newer request is still on its way
    this.value = server;
    this.comment = this.savedComment;
    if (this.status !== 'cleared' || server !== null) this.status = server !== null ? 'saved' : 'idle';
  }

  /** Likert: picks scale point `value`, keeping the comment as it was sent. */
  choose(value: T): void {
    this.submit(value, this.comment);
  }

  /** Stores `value` with `comment` (trimmed; empty: none). */
  submit(value: T, comment = ''): void {
    const activity = this.activityId;
    if (!activity) return;
    const trimmed = comment.trim();
    this.value = value;
    this.comment = trimmed;
    this.send(this.codec.request(activity, value, trimmed || undefined), activity, value, trimmed);
  }

  clear(): void {
    const activity = this.activityId;
    if (!activity) return;
    this.value = null;
    this.comment = '';
    this.send({ type: 'vote.clear', activity }, activity, null, '');
  }

  private send(req: Request, activity: string, value: T | null, comment: string): void {
    this.status = 'sending';
    this.errorCode = this.errorMessage = null;
    const op = this.session.request(req, {
      key: `answer:${activity}`,
      onAck: () => {
        if (this.latestOp !== op) return;
        this.latestOp = null;
        this.session.rememberAnswer(activity, value === null ? {} : this.codec.write(value, comment || undefined));
        if (this.activityId !== activity) return;
        this.savedValue = value;
        this.savedComment = comment;
        this.status = value === null ? 'cleared' : 'saved';
      },
      onError: (e) => {
        if (this.latestOp !== op) return;
        this.latestOp = null;
        if (this.activityId !== activity) return;
        this.value = this.savedValue;
        this.comment = this.savedComment;
        this.status = 'error';
        this.errorCode = e.code;
        this.errorMessage = e.message ?? null;
      },
    });
    this.latestOp = op;
  }
}
