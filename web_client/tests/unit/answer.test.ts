import { describe, expect, it } from 'vitest';
import { AnswerModel, choiceCodec, openTextCodec, rankingCodec } from '../../src/lib/answer.svelte';
import type { RequestOptions } from '../../src/lib/connection';
import type { Request } from '../../src/lib/protocol';
import type { WorkshopSession } from '../../src/lib/session.svelte';

/** Records requests; the test answers them. */
function fakeSession() {
  const sent: { op: string; req: Request; opts: RequestOptions }[] = [];
  let n = 0;
  const remembered: Record<string, unknown> = {};
  const session = {
    request(req: Request, opts: RequestOptions = {}) {
      const op = `op-${++n}`;
      sent.push({ op, req, opts });
      return op;
    },
    rememberAnswer(id: string, mine: unknown) {
      remembered[id] = mine;
    },
  } as unknown as WorkshopSession;
  const ack = (i: number) => sent[i]!.opts.onAck?.(sent[i]!.op);
  const fail = (i: number, code: string) => sent[i]!.opts.onError?.({ type: 'error', op: sent[i]!.op, code });
  return { session, sent, ack, fail, remembered };
}

describe('AnswerModel', () => {
  it('tells the session each acknowledged answer as `mine` would read (self-paced: kept per activity)', () => {
    const { session, ack, remembered } = fakeSession();
    const a = new AnswerModel(session);
    a.sync('a_1', {});
    a.submit(4, ' because ');
    expect(remembered).toEqual({});
    ack(0);
    expect(remembered).toEqual({ a_1: { value: 4, comment: 'because' } });
    a.clear();
    ack(1);
    expect(remembered).toEqual({ a_1: {} });
    const c = new AnswerModel(session, choiceCodec);
    c.sync('a_2', {});
    c.submit(['x', 'y']);
    ack(2);
    expect(remembered['a_2']).toEqual({ options: ['x', 'y'] });
  });

  it('shows "sending" until the ack, then "saved"', () => {
    const { session, sent, ack } = fakeSession();
    const a = new AnswerModel(session);
    a.sync('a_1', {});
    expect(a.status).toBe('idle');
    a.choose(4);
    expect(a.value).toBe(4);
    expect(a.status).toBe('sending');
    expect(sent[0]!.req).toEqual({ type: 'vote', activity: 'a_1', value: 4 });
    expect(sent[0]!.opts.key).toBe('answer:a_1');
    ack(0);
    expect(a.status).toBe('saved');
  });

  it('is saved only when the latest change is acked', () => {
    const { session, ack } = fakeSession();
    const a = new AnswerModel(session);
    a.sync('a_1', {});
    a.choose(2);
    a.choose(5);
    ack(0); // the older one
    expect(a.status).toBe('sending');
    ack(1);
    expect(a.status).toBe('saved');
    expect(a.value).toBe(5);
  });

  it('keeps the pending choice when the server repeats the old answer', () => {
    const { session, ack } = fakeSession();
    const a = new AnswerModel(session);
    a.sync('a_1', { value: 3 });
    expect(a.status).toBe('saved');
    a.choose(1);
    a.sync('a_1', { value: 3 }); // e.g. a welcome after a reconnect, before the resend is acked
    expect(a.value).toBe(1);
    expect(a.status).toBe('sending');
    ack(0);
    expect(a.status).toBe('saved');
  });

  it('goes back to the stored answer on an error and says why', () => {
    const { session, fail } = fakeSession();
    const a = new AnswerModel(session);
    a.sync('a_1', { value: 3 });
    a.choose(5);
    fail(0, 'closed');
    expect(a.value).toBe(3);
    expect(a.status).toBe('error');
    expect(a.errorCode).toBe('closed');
  });

  it('starts afresh for a new activity and ignores answers to the old one', () => {
    const { session, ack } = fakeSession();
    const a = new AnswerModel(session);
    a.sync('a_1', {});
    a.choose(2);
    a.sync('a_2', {});
    expect(a.value).toBeNull();
    expect(a.status).toBe('idle');
    ack(0);
    expect(a.status).toBe('idle');
  });

  it('clears an answer', () => {
    const { session, sent, ack } = fakeSession();
    const a = new AnswerModel(session);
    a.sync('a_1', { value: 4 });
    a.clear();
    expect(sent[0]!.req).toEqual({ type: 'vote.clear', activity: 'a_1' });
    ack(0);
    expect(a.value).toBeNull();
    expect(a.status).toBe('cleared');
  });

  it('sends a comment with a vote, and a vote without one removes it', () => {
    const { session, sent, ack } = fakeSession();
    const a = new AnswerModel(session);
    a.sync('a_1', { value: 2, comment: 'old' });
    expect(a.comment).toBe('old');
    a.submit(4, '  because  ');
    expect(sent[0]!.req).toEqual({ type: 'vote', activity: 'a_1', value: 4, comment: 'because' });
    ack(0);
    expect(a.comment).toBe('because');
    a.choose(5); // keeps the comment as sent
    expect(sent[1]!.req).toEqual({ type: 'vote', activity: 'a_1', value: 5, comment: 'because' });
    a.submit(5, '');
    expect(sent[2]!.req).toEqual({ type: 'vote', activity: 'a_1', value: 5 });
  });

  it('goes back to the stored comment on an error', () => {
    const { session, fail } = fakeSession();
    const a = new AnswerModel(session);
    a.sync('a_1', { value: 3, comment: 'stored' });
    a.submit(3, 'new');
    fail(0, 'bad_request');
    expect(a.comment).toBe('stored');
    expect(a.errorCode).toBe('bad_request');
  });
});

describe('AnswerModel for the other question kinds', () => {
  it('chooses options (with a comment) and reads them from mine', () => {
    const { session, sent, ack } = fakeSession();
    const a = new AnswerModel(session, choiceCodec);
    a.sync('a_c', { options: ['visionary'], comment: 'I like big pictures' });
    expect(a.value).toEqual(['visionary']);
    expect(a.comment).toBe('I like big pictures');
    expect(a.status).toBe('saved');
    a.submit(['connector', 'visionary'], 'Both');
    expect(sent[0]!.req).toEqual({ type: 'choose', activity: 'a_c', options: ['connector', 'visionary'], comment: 'Both' });
    expect(sent[0]!.opts.key).toBe('answer:a_c');
    ack(0);
    expect(a.status).toBe('saved');
    a.sync('a_c', { options: [] });
    expect(a.value).toBeNull();
  });

  it('ranks every item', () => {
    const { session, sent } = fakeSession();
    const a = new AnswerModel(session, rankingCodec);
    a.sync('a_r', {});
    expect(a.value).toBeNull();
    a.submit(['embed', 'convene', 'platform']);
    expect(sent[0]!.req).toEqual({ type: 'rank', activity: 'a_r', order: ['embed', 'convene', 'platform'] });
  });

  it('answers an open question and clears any kind with vote.clear', () => {
    const { session, sent, ack } = fakeSession();
    const a = new AnswerModel(session, openTextCodec);
    a.sync('a_o', { text: 'Examples from Wales' });
    expect(a.value).toBe('Examples from Wales');
    a.submit('More examples');
    expect(sent[0]!.req).toEqual({ type: 'answer', activity: 'a_o', text: 'More examples' });
    ack(0);
    a.clear();
    expect(sent[1]!.req).toEqual({ type: 'vote.clear', activity: 'a_o' });
  });
});
