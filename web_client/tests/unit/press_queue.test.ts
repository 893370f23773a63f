import { describe, expect, it } from 'vitest';
import { Connection } from '../../src/lib/connection';
import {
  MemoryPressStore,
  PressOutbox,
  pressRequest,
  type PressSender,
  type PressStore,
  type QueuedPress,
} from '../../src/lib/press_queue';
import type { ErrorMessage } from '../../src/lib/protocol';
import { FakeSocket, ManualTimers, welcome } from './fake_socket';

let opSeq = 0; // shared by every outbox of a test file, like random op ids

/** Records what the outbox hands over; the test answers. */
function fakeSender() {
  const sent: { press: QueuedPress; ack: () => void; fail: (code: string) => void }[] = [];
  const sender: PressSender = {
    send(press, onAck, onError) {
      sent.push({
        press,
        ack: onAck,
        fail: (code) => onError({ type: 'error', op: press.op, code, message: `refused: ${code}` }),
      });
    },
  };
  return { sender, sent };
}

function setup(opts: { data?: Map<string, QueuedPress>; window?: number; max?: number; store?: PressStore } = {}) {
  const data = opts.data ?? new Map<string, QueuedPress>();
  const store = opts.store ?? new MemoryPressStore(data);
  const timers = new ManualTimers();
  const { sender, sent } = fakeSender();
  const logs: string[] = [];
  let rejected = 0;
  const outbox = new PressOutbox({
    store,
    sender,
    timers,
    window: opts.window,
    max: opts.max,
    newOp: () => `press-${String(++opSeq).padStart(12, '0')}`,
    rejected: { get: () => rejected, set: (v) => (rejected = v) },
    log: (m) => logs.push(m),
  });
  return { outbox, data, store, timers, sent, logs, rejectedStored: () => rejected };
}

/** Lets pending promise callbacks (store reads and writes) run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PressOutbox (the kiosk’s durable queue)', () => {
  it('stores a choice press with its option and sends it as choose with that one option', async () => {
    const { outbox, data, sent } = setup();
    await outbox.add('a_c', { option: 'visionary' }, 1_700_000_000_500);
    const [stored] = [...data.values()];
    expect(stored).toMatchObject({ activity: 'a_c', option: 'visionary', pressed_at: 1_700_000_000_500 });
    expect(stored!.value).toBeUndefined();
    expect(pressRequest(sent[0]!.press)).toEqual({
      type: 'choose',
      activity: 'a_c',
      options: ['visionary'],
      pressed_at: 1_700_000_000_500,
    });
    // A press stored by an older page (value only) is still a vote.
    expect(pressRequest({ op: 'o', activity: 'a_1', value: 3, pressed_at: 1, seq: 1 })).toEqual({
      type: 'vote',
      activity: 'a_1',
      value: 3,
      pressed_at: 1,
    });
  });

  it('stores a press before add() resolves, then sends it with its op and press time', async () => {
    const { outbox, data, sent } = setup();
    await outbox.whenReady();
    const result = await outbox.add('a_1', 4, 1_700_000_000_000);
    expect(result).toBe('queued');
    expect([...data.values()]).toEqual([
      { op: sent[0]!.press.op, activity: 'a_1', value: 4, pressed_at: 1_700_000_000_000, seq: 1 },
    ]);
    expect(sent.map((s) => s.press.value)).toEqual([4]);
    expect(outbox.waiting).toBe(1);
  });

  it('removes a press only on the ack for its op', async () => {
    const { outbox, data, sent } = setup();
    await outbox.add('a_1', 2, 10);
    await outbox.add('a_1', 5, 20);
    sent[1]!.ack();
    await settle();
    expect(outbox.queued.map((p) => p.value)).toEqual([2]);
    expect([...data.values()].map((p) => p.value)).toEqual([2]);
    sent[1]!.ack(); // a duplicate answer changes nothing
    sent[0]!.ack();
    await settle();
    expect(outbox.waiting).toBe(0);
    expect(data.size).toBe(0);
  });

  it('survives a reload: a new outbox over the same store resends every press, in order, with the same op ids', async () => {
    const first = setup();
    await first.outbox.add('a_1', 1, 100);
    await first.outbox.add('a_1', 3, 200);
    await first.outbox.add('a_2', 5, 300);
    const ops = first.sent.map((s) => s.press.op);
    first.sent[0]!.ack();
    await settle();
    first.outbox.close(); // the page goes away with two presses unacknowledged

    const second = setup({ data: first.data });
    await second.outbox.whenReady();
    expect(second.outbox.waiting).toBe(2);
    expect(second.sent.map((s) => s.press.op)).toEqual([ops[1], ops[2]]);
    expect(second.sent.map((s) => [s.press.activity, s.press.value, s.press.pressed_at])).toEqual([
      ['a_1', 3, 200],
      ['a_2', 5, 300],
    ]);
    // New presses come after the stored ones.
    await second.outbox.add('a_2', 4, 400);
    expect(second.outbox.queued.map((p) => p.seq)).toEqual([2, 3, 4]);
  });

  it('drops a press the server refuses for good, counts it as rejected and logs it', async () => {
    const { outbox, data, sent, logs, rejectedStored } = setup();
    await outbox.add('a_1', 1, 1);
    await outbox.add('a_1', 2, 2);
    await outbox.add('a_9', 3, 3);
    sent[0]!.fail('closed');
    sent[1]!.fail('bad_request');
    sent[2]!.fail('not_found');
    await settle();
    expect(outbox.waiting).toBe(0);
    expect(data.size).toBe(0);
    expect(outbox.rejected).toBe(3);
    expect(rejectedStored()).toBe(3);
    expect(logs.filter((l) => l.includes('rejected'))).toHaveLength(3);
    expect(logs[0]).toContain('(closed)');
  });

  it('keeps a press after server_error or rate_limited and resends it later with the same op', async () => {
    const { outbox, data, sent, timers } = setup();
    await outbox.add('a_1', 4, 1);
    sent[0]!.fail('server_error');
    expect(outbox.waiting).toBe(1);
    expect(outbox.rejected).toBe(0);
    timers.advance(2_999);
    expect(sent).toHaveLength(1);
    timers.advance(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.press.op).toBe(sent[0]!.press.op);
    sent[1]!.fail('rate_limited');
    timers.advance(3_000);
    expect(sent).toHaveLength(3);
    sent[2]!.ack();
    await settle();
    expect(data.size).toBe(0);
  });

  it('hands over at most `window` presses at a time, in order', async () => {
    const { outbox, sent } = setup({ window: 2 });
    for (let v = 1; v <= 5; v++) await outbox.add('a_1', v, v);
    expect(sent.map((s) => s.press.value)).toEqual([1, 2]);
    sent[0]!.ack();
    await settle();
    expect(sent.map((s) => s.press.value)).toEqual([1, 2, 3]);
    sent[1]!.ack();
    sent[2]!.ack();
    await settle();
    expect(sent.map((s) => s.press.value)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses new presses at its bound instead of dropping stored ones', async () => {
    const { outbox, data } = setup({ max: 2 });
    expect(await outbox.add('a_1', 1, 1)).toBe('queued');
    expect(await outbox.add('a_1', 2, 2)).toBe('queued');
    expect(await outbox.add('a_1', 3, 3)).toBe('full');
    expect(data.size).toBe(2);
  });

  it('keeps a press in memory and says so when the store fails', async () => {
    const store: PressStore = {
      durable: true,
      load: async () => [],
      add: async () => {
        throw new Error('QuotaExceededError');
      },
      remove: async () => {},
    };
    const { outbox, sent } = setup({ store });
    expect(outbox.storeFailed).toBe(false);
    expect(await outbox.add('a_1', 2, 1)).toBe('queued');
    expect(outbox.storeFailed).toBe(true);
    expect(sent).toHaveLength(1);
  });
});

describe('PressOutbox over the real Connection', () => {
  function kiosk(data: Map<string, QueuedPress>) {
    const sockets: FakeSocket[] = [];
    const timers = new ManualTimers();
    const conn = new Connection({
      url: 'ws://test/ws',
      hello: () => ({ type: 'hello', v: 1, role: 'kiosk', kiosk: 'k_1', token: 'tok', clock: timers.now() }),
      onMessage: () => {},
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      timers,
      random: () => 0.5,
    });
    let n = 0;
    const outbox = new PressOutbox({
      store: new MemoryPressStore(data),
      timers,
      newOp: () => `kiosk-op-${String(++n).padStart(10, '0')}`,
      log: () => {},
      sender: {
        send: (p, onAck, onError: (e: ErrorMessage) => void) =>
          conn.request(pressRequest(p), { op: p.op, onAck: () => onAck(), onError }),
      },
    });
    const last = () => sockets[sockets.length - 1]!;
    return { conn, outbox, timers, last, sockets };
  }

  it('sends presses made offline once connected, resends them after a drop, and forgets them on ack', async () => {
    const data = new Map<string, QueuedPress>();
    const { conn, outbox, timers, last } = kiosk(data);
    conn.start();
    await outbox.add('a_1', 4, 1_000);
    await outbox.add('a_1', 2, 2_000);
    last().open();
    expect(last().sent).toEqual([{ type: 'hello', v: 1, role: 'kiosk', kiosk: 'k_1', token: 'tok', clock: 0 }]);
    last().receive({ ...welcome, you: { id: 'k_1', role: 'kiosk' } });
    const votes = last().sentOfType('vote');
    expect(votes).toEqual([
      { type: 'vote', activity: 'a_1', value: 4, pressed_at: 1_000, op: 'kiosk-op-0000000001' },
      { type: 'vote', activity: 'a_1', value: 2, pressed_at: 2_000, op: 'kiosk-op-0000000002' },
    ]);
    last().receive({ type: 'ack', op: votes[0]!.op });
    last().drop();
    timers.advance(1_000);
    last().open();
    last().receive({ ...welcome, you: { id: 'k_1', role: 'kiosk' } });
    expect(last().sentOfType('vote').map((v) => v.op)).toEqual(['kiosk-op-0000000002']);
    last().receive({ type: 'ack', op: 'kiosk-op-0000000002' });
    await settle();
    expect(outbox.waiting).toBe(0);
    expect(data.size).toBe(0);
  });

  it('a reloaded page resends the stored presses with their op ids', async () => {
    const data = new Map<string, QueuedPress>();
    const before = kiosk(data);
    before.conn.start();
    await before.outbox.add('a_1', 5, 3_000); // pressed while offline, then the page reloads
    before.conn.stop();
    before.outbox.close();

    const after = kiosk(data);
    after.conn.start();
    await after.outbox.whenReady();
    after.last().open();
    after.last().receive({ ...welcome, you: { id: 'k_1', role: 'kiosk' } });
    expect(after.last().sentOfType('vote')).toEqual([
      { type: 'vote', activity: 'a_1', value: 5, pressed_at: 3_000, op: 'kiosk-op-0000000001' },
    ]);
  });
});
