import { describe, expect, it } from 'vitest';
import { Connection, MAX_QUEUE, socketUrl, type ConnectionStatus } from '../../src/lib/connection';
import type { ErrorMessage, Hello, ServerMessage } from '../../src/lib/protocol';
import { FakeSocket, ManualTimers, welcome } from './fake_socket';

function setup(opts: { token?: () => string | null } = {}) {
  const sockets: FakeSocket[] = [];
  const timers = new ManualTimers();
  const messages: ServerMessage[] = [];
  const statuses: ConnectionStatus[] = [];
  const rejected: ErrorMessage[] = [];
  let opSeq = 0;
  const conn = new Connection({
    url: 'ws://test/ws',
    hello: (): Hello => ({
      type: 'hello',
      v: 1,
      role: 'participant',
      code: '482913',
      token: opts.token ? opts.token() : null,
      lang: 'en',
    }),
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    onHelloRejected: (e) => rejected.push(e),
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    timers,
    random: () => 0.5,
    newOp: () => `op-${String(++opSeq).padStart(16, '0')}`,
  });
  const last = () => sockets[sockets.length - 1]!;
  return { conn, sockets, timers, messages, statuses, rejected, last };
}

describe('Connection', () => {
  it('builds the socket URL from the page origin', () => {
    expect(socketUrl({ protocol: 'http:', host: 'localhost:8080' })).toBe('ws://localhost:8080/ws');
    expect(socketUrl({ protocol: 'https:', host: 'cylch.example' })).toBe('wss://cylch.example/ws');
  });

  it('sends hello first and goes online on welcome', () => {
    const { conn, last, statuses, messages } = setup();
    conn.start();
    expect(conn.status).toBe('connecting');
    last().open();
    expect(last().sent).toEqual([{ type: 'hello', v: 1, role: 'participant', code: '482913', token: null, lang: 'en' }]);
    last().receive(welcome);
    expect(conn.status).toBe('online');
    expect(messages.map((m) => m.type)).toEqual(['welcome']);
  });

  it('holds requests until welcomed, then sends them with an op', () => {
    const { conn, last } = setup();
    conn.start();
    const op = conn.request({ type: 'vote', activity: 'a_1', value: 4 });
    last().open();
    expect(last().sentOfType('vote')).toEqual([]);
    last().receive(welcome);
    expect(last().sentOfType('vote')).toEqual([{ type: 'vote', activity: 'a_1', value: 4, op }]);
  });

  it('calls onAck once and forgets the op', () => {
    const { conn, last } = setup();
    conn.start();
    last().open();
    last().receive(welcome);
    const acked: string[] = [];
    const op = conn.request({ type: 'vote', activity: 'a_1', value: 2 }, { onAck: (o) => acked.push(o) });
    expect(conn.pending).toHaveLength(1);
    last().receive({ type: 'ack', op });
    last().receive({ type: 'ack', op }); // a duplicate ack is ignored
    expect(acked).toEqual([op]);
    expect(conn.pending).toHaveLength(0);
  });

  it('hands the ack frame to the caller (a note.add ack names the note) and a conflict’s note with the error', () => {
    const { conn, last } = setup();
    conn.start();
    last().open();
    last().receive(welcome);
    const acks: unknown[] = [];
    const errors: ErrorMessage[] = [];
    const add = conn.request(
      { type: 'note.add', activity: 'a_1', text: 'x', colour: 'yellow', x: 0.5, y: 0.5 },
      { onAck: (_op, ack) => acks.push(ack) },
    );
    const edit = conn.request({ type: 'note.edit', note: 'n_1', text: 'y', version: 1 }, { onError: (e) => errors.push(e) });
    last().receive({ type: 'ack', op: add, note: 'n_1' });
    const current = { id: 'n_1', text: 'z', colour: 'yellow', column: null, x: 0.5, y: 0.5, version: 2, cluster: null, dots: 0, my_dots: 0, mine: true };
    last().receive({ type: 'error', op: edit, code: 'conflict', message: 'stale', note: current });
    expect(acks).toEqual([{ type: 'ack', op: add, note: 'n_1' }]);
    expect(errors[0]?.note).toEqual(current);
  });

  it('passes an error for an op to that op only', () => {
    const { conn, last, messages } = setup();
    conn.start();
    last().open();
    last().receive(welcome);
    const errors: string[] = [];
    const op = conn.request({ type: 'vote', activity: 'a_1', value: 2 }, { onError: (e) => errors.push(e.code) });
    last().receive({ type: 'error', op, code: 'closed', message: 'This activity is closed.' });
    expect(errors).toEqual(['closed']);
    expect(conn.pending).toHaveLength(0);
    expect(messages.map((m) => m.type)).toEqual(['welcome']);
  });

  it('resends un-acked requests after a reconnect with the same op ids, in order', () => {
    const { conn, sockets, last, timers, statuses } = setup();
    conn.start();
    last().open();
    last().receive(welcome);
    const acked: string[] = [];
    const op1 = conn.request({ type: 'profile', consent: true }, { onAck: (o) => acked.push(o) });
    const op2 = conn.request({ type: 'vote', activity: 'a_1', value: 5 }, { onAck: (o) => acked.push(o) });
    last().drop();
    expect(conn.status).toBe('offline');
    expect(statuses).toEqual(['online', 'offline']);
    timers.advance(Math.min(...timers.delays())); // the retry only
    expect(sockets).toHaveLength(2);
    last().open();
    last().receive(welcome);
    expect(last().sent.map((m) => [m.type, m.op])).toEqual([
      ['hello', undefined],
      ['profile', op1],
      ['vote', op2],
    ]);
    // The server had applied the vote before the drop: it acks the repeat; we count it once.
    last().receive({ type: 'ack', op: op1 });
    last().receive({ type: 'ack', op: op2 });
    expect(acked).toEqual([op1, op2]);
    expect(conn.status).toBe('online');
  });

  it('after a drop, sends only the last of several requests with the same key', () => {
    const { conn, last, timers } = setup();
    conn.start();
    last().open();
    last().receive(welcome);
    const sentOp = conn.request({ type: 'vote', activity: 'a_1', value: 1 }, { key: 'vote:a_1' });
    last().drop();
    conn.request({ type: 'vote', activity: 'a_1', value: 2 }, { key: 'vote:a_1' });
    const lastOp = conn.request({ type: 'vote', activity: 'a_1', value: 3 }, { key: 'vote:a_1' });
    timers.advance(Math.min(...timers.delays())); // the retry only
    last().open();
    last().receive(welcome);
    // Whether or not the server applied the first, the last one is what it ends up with.
    expect(last().sentOfType('vote').map((m) => [m.op, m.value])).toEqual([[lastOp, 3]]);
    expect(conn.pending.map((p) => p.op)).not.toContain(sentOp);
  });

  it('keeps a request that is on the wire when a newer one with the same key comes', () => {
    const { conn, last } = setup();
    conn.start();
    last().open();
    last().receive(welcome);
    const a = conn.request({ type: 'vote', activity: 'a_1', value: 1 }, { key: 'vote:a_1' });
    const b = conn.request({ type: 'vote', activity: 'a_1', value: 2 }, { key: 'vote:a_1' });
    expect(conn.pending.map((p) => p.op)).toEqual([a, b]);
    expect(last().sentOfType('vote').map((m) => m.value)).toEqual([1, 2]);
  });

  it('resumes with the token the welcome gave', () => {
    let token: string | null = null;
    const { conn, last, timers } = setup({ token: () => token });
    conn.start();
    last().open();
    last().receive(welcome);
    token = 'tok-1';
    last().drop();
    timers.advance(Math.min(...timers.delays())); // the retry only
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'hello', token: 'tok-1' });
  });

  it('backs off exponentially with jitter, capped, and starts again after a stable connection', () => {
    const { conn, sockets, last, timers } = setup();
    conn.start();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      last().drop();
      delays.push(...timers.delays());
      timers.advance(timers.delays()[0]!);
    }
    // random() = 0.5 → 3/4 of the cap; caps 500, 1000, 2000, … 15000.
    expect(delays).toEqual([375, 750, 1500, 3000, 6000, 11250, 11250, 11250]);
    expect(sockets).toHaveLength(9);
    last().open();
    last().receive(welcome);
    timers.advance(5_000); // online long enough
    last().drop();
    expect(timers.delays()).toEqual([375]);
  });

  it('does not reset the backoff for a connection that drops right after its welcome', () => {
    const { conn, last, timers } = setup();
    conn.start();
    last().drop();
    timers.advance(375);
    last().open();
    last().receive(welcome);
    last().drop();
    expect(timers.delays()).toEqual([750]);
  });

  it('gives up on a connect attempt that hangs, and retries', () => {
    const { conn, sockets, timers } = setup();
    conn.start();
    timers.advance(10_000);
    expect(sockets[0]!.closed).toBe(true);
    expect(conn.status).toBe('offline');
    timers.advance(1_000);
    expect(sockets).toHaveLength(2);
  });

  it('reconnects at once when asked (browser back online)', () => {
    const { conn, sockets, last } = setup();
    conn.start();
    last().drop();
    expect(sockets).toHaveLength(1);
    conn.reconnectNow();
    expect(sockets).toHaveLength(2);
    conn.reconnectNow(); // already connecting: no second socket
    expect(sockets).toHaveLength(2);
  });

  it('interrupt() goes offline and resends after the next welcome', () => {
    const { conn, last, timers } = setup();
    conn.start();
    last().open();
    last().receive(welcome);
    const op = conn.request({ type: 'vote', activity: 'a_1', value: 3 });
    conn.interrupt();
    expect(conn.status).toBe('offline');
    timers.advance(Math.min(...timers.delays())); // the retry only
    last().open();
    last().receive(welcome);
    expect(last().sentOfType('vote').map((m) => m.op)).toEqual([op]);
  });

  it('stops retrying when the server refuses the hello', () => {
    const { conn, sockets, last, timers, rejected } = setup();
    conn.start();
    last().open();
    last().receive({ type: 'error', code: 'not_found', message: 'No workshop with this code.' });
    expect(conn.status).toBe('failed');
    expect(rejected.map((e) => e.code)).toEqual(['not_found']);
    last().drop();
    timers.advance(120_000);
    expect(sockets).toHaveLength(1);
    conn.start(); // the caller may try again (e.g. without a stale token)
    expect(conn.status).toBe('connecting');
    expect(sockets).toHaveLength(2);
  });

  it('keeps retrying when the server is only busy at hello', () => {
    const { conn, sockets, last, timers, rejected } = setup();
    conn.start();
    last().open();
    last().receive({ type: 'error', code: 'server_error', message: 'the workshop is being reloaded' });
    last().drop(1008);
    expect(conn.status).toBe('offline');
    expect(rejected).toEqual([]);
    timers.advance(Math.min(...timers.delays()));
    expect(sockets).toHaveLength(2);
  });

  it('waits the time the server names before retrying a throttled hello', () => {
    const { conn, sockets, last, timers, rejected } = setup();
    conn.start();
    last().open();
    last().receive({ type: 'error', code: 'rate_limited', message: 'too many wrong codes', retry_after_ms: 30_000 });
    last().drop(1008);
    expect(rejected).toEqual([]);
    expect(Math.min(...timers.delays())).toBe(30_000);
    timers.advance(29_999);
    expect(sockets).toHaveLength(1);
    timers.advance(1);
    expect(sockets).toHaveLength(2);
  });

  it('retries a rate-limited op later with the same op id', () => {
    const { conn, last, timers } = setup();
    conn.start();
    last().open();
    last().receive(welcome);
    const errors: string[] = [];
    const op = conn.request({ type: 'vote', activity: 'a_1', value: 3 }, { onError: (e) => errors.push(e.code) });
    last().receive({ type: 'error', op, code: 'rate_limited' });
    expect(errors).toEqual([]);
    timers.advance(2_000);
    expect(last().sentOfType('vote').map((m) => m.op)).toEqual([op, op]);
  });

  it('bounds the queue', () => {
    const { conn } = setup();
    conn.start();
    const errors: string[] = [];
    for (let i = 0; i < MAX_QUEUE + 3; i++) {
      conn.request({ type: 'vote', activity: `a_${i}`, value: 1 }, { onError: (e) => errors.push(e.code) });
    }
    expect(conn.pending).toHaveLength(MAX_QUEUE);
    expect(errors).toEqual(['queue_full', 'queue_full', 'queue_full']);
  });

  it('sends a request with an op id the caller chose, and does not queue it twice', () => {
    const { conn, last } = setup();
    conn.start();
    const acked: string[] = [];
    const op = 'kiosk-press-0000000001';
    expect(conn.request({ type: 'vote', activity: 'a_1', value: 3, pressed_at: 1000 }, { op })).toBe(op);
    conn.request({ type: 'vote', activity: 'a_1', value: 3, pressed_at: 1000 }, { op, onAck: (o) => acked.push(o) });
    expect(conn.pending).toHaveLength(1);
    last().open();
    last().receive(welcome);
    expect(last().sentOfType('vote')).toEqual([{ type: 'vote', activity: 'a_1', value: 3, pressed_at: 1000, op }]);
    last().receive({ type: 'ack', op });
    expect(acked).toEqual([op]); // the callbacks of the latest call
  });

  it('stop() closes the socket and never reconnects', () => {
    const { conn, sockets, last, timers } = setup();
    conn.start();
    last().open();
    conn.stop();
    expect(sockets[0]!.closed).toBe(true);
    timers.advance(120_000);
    expect(sockets).toHaveLength(1);
  });
});
