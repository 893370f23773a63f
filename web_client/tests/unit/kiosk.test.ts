import { describe, expect, it } from 'vitest';
import { KioskModel, NOTE_MS } from '../../src/lib/kiosk.svelte';
import {
  DEFAULT_INTERVAL_SECONDS,
  DEFAULT_RESET_SECONDS,
  resolveKioskSetup,
  type KioskConfig,
} from '../../src/lib/kiosk_config';
import { kioskLabelSets, kioskUiLangs } from '../../src/lib/kiosk_text';
import { MemoryPressStore, type PressStore, type QueuedPress } from '../../src/lib/press_queue';
import { parseRoute } from '../../src/lib/routes';
import { ManualTimers } from './fake_socket';

function setup(opts: { reset?: number; interval?: number; store?: PressStore } = {}) {
  const data = new Map<string, QueuedPress>();
  const timers = new ManualTimers();
  const sent: QueuedPress[] = [];
  let n = 0;
  const model = new KioskModel({
    store: opts.store ?? new MemoryPressStore(data),
    sender: { send: (p) => sent.push(p) },
    timers,
    newOp: () => `kiosk-test-op-${++n}-000000`,
    log: () => {},
    resetSeconds: opts.reset ?? 5,
    intervalSeconds: opts.interval ?? 3,
  });
  return { model, data, timers, sent };
}

describe('KioskModel (what a press does on the screen)', () => {
  it('thanks the person for `reset` seconds after a counted press, then shows the question again', async () => {
    const { model, timers, data, sent } = setup({ reset: 5 });
    expect(await model.press('a_1', 4)).toBe('counted');
    expect(model.phase).toBe('thanks');
    expect(data.size).toBe(1);
    expect(sent.map((p) => [p.activity, p.value])).toEqual([['a_1', 4]]);
    expect(model.waiting).toBe(1);
    timers.advance(4_999);
    expect(model.phase).toBe('thanks');
    timers.advance(1);
    expect(model.phase).toBe('question');
  });

  it('stores the press before thanking (a press whose write has not finished is not thanked yet)', async () => {
    let finish: () => void = () => {};
    const written: QueuedPress[] = [];
    const store: PressStore = {
      durable: true,
      load: async () => [],
      add: (p) =>
        new Promise<void>((resolve) => {
          finish = () => {
            written.push(p);
            resolve();
          };
        }),
      remove: async () => {},
    };
    const { model } = setup({ store });
    await model.outbox.whenReady();
    const pressing = model.press('a_1', 2);
    await new Promise((r) => setTimeout(r, 0));
    expect(model.phase).toBe('question');
    expect(await model.press('a_1', 5)).toBe('busy'); // a second tap while storing is ignored
    finish();
    expect(await pressing).toBe('counted');
    expect(written.map((p) => p.value)).toEqual([2]);
    expect(model.phase).toBe('thanks');
  });

  it('ignores presses while the thank-you screen shows', async () => {
    const { model, data } = setup({ reset: 5, interval: 0 });
    await model.press('a_1', 1);
    expect(await model.press('a_1', 2)).toBe('busy');
    expect(data.size).toBe(1);
  });

  it('ignores a press within `interval` seconds of the last counted one, with a note', async () => {
    const { model, timers, data } = setup({ reset: 1, interval: 3 });
    expect(await model.press('a_1', 5)).toBe('counted');
    timers.advance(1_000); // the question is back after 1 s
    expect(model.phase).toBe('question');
    expect(await model.press('a_1', 5)).toBe('too_soon');
    expect(model.note).toBe('too_soon');
    expect(data.size).toBe(1);
    timers.advance(NOTE_MS);
    expect(model.note).toBe(null);
    timers.advance(1_999 - NOTE_MS); // 2.999 s after the counted press
    expect(await model.press('a_1', 5)).toBe('too_soon');
    timers.advance(1);
    expect(await model.press('a_1', 1)).toBe('counted');
    expect(model.note).toBe(null);
    expect(data.size).toBe(2);
  });

  it('stamps presses with the wall clock but measures the interval on the monotonic one', async () => {
    const timers = new ManualTimers();
    let wall = 1_800_000_000_000;
    const sent: QueuedPress[] = [];
    const model = new KioskModel({
      store: new MemoryPressStore(),
      sender: { send: (p) => sent.push(p) },
      timers,
      clock: () => wall,
      log: () => {},
      resetSeconds: 1,
      intervalSeconds: 3,
    });
    await model.press('a_1', 3);
    wall -= 3_600_000; // NTP steps the wall clock back an hour
    timers.advance(3_000);
    expect(await model.press('a_1', 4)).toBe('counted');
    expect(sent.map((p) => p.pressed_at)).toEqual([1_800_000_000_000, 1_799_996_400_000]);
  });

  it('says so when the queue is full, and does not thank', async () => {
    const data = new Map<string, QueuedPress>();
    for (let i = 0; i < 5_000; i++) {
      data.set(`op-${i}-0000000000000`, { op: `op-${i}-0000000000000`, activity: 'a_1', value: 1, pressed_at: i, seq: i + 1 });
    }
    const { model } = setup({ store: new MemoryPressStore(data) });
    await model.outbox.whenReady();
    expect(model.waiting).toBe(5_000);
    expect(await model.press('a_1', 3)).toBe('full');
    expect(model.phase).toBe('question');
    expect(model.note).toBe('full');
  });
});

describe('kiosk set-up from the link', () => {
  const stored = (c: Partial<KioskConfig>) => JSON.stringify(c);

  it('reads the credentials and settings from the fragment and asks to store them', () => {
    const s = resolveKioskSetup('#kiosk=k_abc&token=T0k-en_1&reset=2&interval=0.5', null);
    expect(s.config).toEqual({ kiosk: 'k_abc', token: 'T0k-en_1', resetSeconds: 2, intervalSeconds: 0.5 });
    expect(JSON.parse(s.save!)).toEqual(s.config);
  });

  it('uses the defaults, and the stored set-up after a reboot (nothing new to store)', () => {
    const first = resolveKioskSetup('#kiosk=k_abc&token=tok', null);
    expect(first.config).toMatchObject({ resetSeconds: DEFAULT_RESET_SECONDS, intervalSeconds: DEFAULT_INTERVAL_SECONDS });
    const again = resolveKioskSetup('', first.save);
    expect(again.config).toEqual(first.config);
    expect(again.save).toBe(null);
  });

  it('changes only the settings given; ignores out-of-range ones', () => {
    const before = stored({ kiosk: 'k_abc', token: 'tok', resetSeconds: 8, intervalSeconds: 4 });
    expect(resolveKioskSetup('#interval=1', before).config).toEqual({ kiosk: 'k_abc', token: 'tok', resetSeconds: 8, intervalSeconds: 1 });
    expect(resolveKioskSetup('#reset=0&interval=-1', before).config).toMatchObject({ resetSeconds: 8, intervalSeconds: 4 });
    expect(resolveKioskSetup('#reset=abc&interval=99999', before).config).toMatchObject({ resetSeconds: 8, intervalSeconds: 4 });
  });

  it('new credentials replace the stored ones', () => {
    const before = stored({ kiosk: 'k_old', token: 'old', resetSeconds: 5, intervalSeconds: 3 });
    expect(resolveKioskSetup('#kiosk=k_new&token=new', before).config).toMatchObject({ kiosk: 'k_new', token: 'new' });
  });

  it('explains a missing set-up and an incomplete or malformed link', () => {
    expect(resolveKioskSetup('', null)).toEqual({ config: null, problem: 'missing', save: null });
    expect(resolveKioskSetup('#reset=3', 'not json')).toMatchObject({ config: null, problem: 'missing' });
    expect(resolveKioskSetup('#kiosk=k_abc', null)).toMatchObject({ config: null, problem: 'bad_link' });
    expect(resolveKioskSetup('#kiosk=w_abc&token=t', null)).toMatchObject({ config: null, problem: 'bad_link' });
    expect(resolveKioskSetup('#kiosk=k_abc&token=a%20b', null)).toMatchObject({ config: null, problem: 'bad_link' });
  });

  it('is routed at /k and /k/…, whatever the fragment holds', () => {
    expect(parseRoute('/k', '')).toEqual({ name: 'kiosk', hash: '' });
    expect(parseRoute('/k/', '#kiosk=k_1&token=t')).toEqual({ name: 'kiosk', hash: '#kiosk=k_1&token=t' });
    expect(parseRoute('/k/anything', '#%E0%A4%A')).toEqual({ name: 'kiosk', hash: '#%E0%A4%A' });
  });
});

describe('kiosk languages', () => {
  it('shows fixed texts in English and Welsh, the workshop’s first language first', () => {
    expect(kioskUiLangs(['cy', 'en'])).toEqual(['cy', 'en']);
    expect(kioskUiLangs(['en'])).toEqual(['en', 'cy']);
    expect(kioskUiLangs(['fr', 'cy'])).toEqual(['cy', 'en']);
    expect(kioskUiLangs(undefined)).toEqual(['en', 'cy']);
  });

  it('labels every point in each language that has its own labels', () => {
    const labels = { en: ['No', 'Maybe', 'Yes'], cy: ['Na', 'Efallai', 'Ie'] };
    expect(kioskLabelSets(labels, 3, ['en', 'cy'])).toEqual([
      { lang: 'en', labels: ['No', 'Maybe', 'Yes'] },
      { lang: 'cy', labels: ['Na', 'Efallai', 'Ie'] },
    ]);
    // Welsh fell back to English: shown once.
    expect(kioskLabelSets({ en: labels.en }, 3, ['en', 'cy'])).toEqual([{ lang: 'en', labels: ['No', 'Maybe', 'Yes'] }]);
    // No labels from the server: the standard ones in both languages.
    const std = kioskLabelSets(undefined, 5, ['en']);
    expect(std.map((s) => s.lang)).toEqual(['en', 'cy']);
    expect(std[1]!.labels[4]).toBe("Cytuno'n gryf");
    expect(kioskLabelSets(undefined, 7, ['cy'])[0]!.labels[2]).toBe('Anghytuno rhywfaint');
  });
});
