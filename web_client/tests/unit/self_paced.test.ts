// Self-paced questionnaires (docs/protocol.md, "Self-paced workshops"): where a participant
// resumes, the phases, answers in words, dates in both languages, the kiosk's passes, and how
// the session reads the new frames.
import { describe, expect, it } from 'vitest';
import { KioskModel } from '../../src/lib/kiosk.svelte';
import { resolveKioskSetup } from '../../src/lib/kiosk_config';
import { KioskPass } from '../../src/lib/kiosk_pass.svelte';
import { MemoryPressStore, pressRequest, type QueuedPress } from '../../src/lib/press_queue';
import type { Activity, ServerMessage } from '../../src/lib/protocol';
import {
  answeredCount,
  formatMoment,
  formatTime,
  isAnswered,
  keepPlace,
  kioskSteps,
  newPassId,
  PASS_PATTERN,
  parseTime,
  questionnairePhase,
  resumeIndex,
  staffPhase,
} from '../../src/lib/self_paced';
import { answerText } from '../../src/lib/self_paced_answers';
import { WorkshopSession } from '../../src/lib/session.svelte';
import { ManualTimers } from './fake_socket';

(globalThis as { location?: unknown }).location ??= { protocol: 'http:', host: 'localhost' };

const likert = (id: string, position: number, state = 'open'): Activity =>
  ({ id, kind: 'likert', position, state, statement: { en: `S ${id}` }, scale: { points: 5, labels: {} }, results: 'live' }) as Activity;
const choice = (id: string, position: number, max = 1, n = 3): Activity =>
  ({
    id,
    kind: 'choice',
    position,
    state: 'open',
    question: { en: `Q ${id}` },
    options: Array.from({ length: n }, (_, i) => ({ id: `o${i}`, label: { en: `Option ${i}`, cy: `Dewis ${i}` } })),
    max,
    results: 'live',
  }) as Activity;
const ranking = (id: string, position: number): Activity =>
  ({
    id,
    kind: 'ranking',
    position,
    state: 'open',
    question: { en: 'R' },
    items: [
      { id: 'x', label: { en: 'Ex' } },
      { id: 'y', label: { en: 'Why' } },
      { id: 'z', label: { en: 'Zed' } },
    ],
    results: 'live',
  }) as Activity;
const open = (id: string, position: number): Activity =>
  ({ id, kind: 'open_text', position, state: 'open', question: { en: 'O' }, max_length: 200 }) as Activity;

const list = [likert('a_1', 0), choice('a_2', 1), ranking('a_3', 2), open('a_4', 3)];

describe('where a participant is in a self-paced questionnaire', () => {
  it('an answer is a scale point, options, an order or a text; {} is none', () => {
    expect(isAnswered({})).toBe(false);
    expect(isAnswered(undefined)).toBe(false);
    expect(isAnswered({ comment: 'only a comment' })).toBe(false);
    expect(isAnswered({ value: 1 })).toBe(true);
    expect(isAnswered({ options: [] })).toBe(false);
    expect(isAnswered({ options: ['o1'] })).toBe(true);
    expect(isAnswered({ order: ['x', 'y', 'z'] })).toBe(true);
    expect(isAnswered({ text: '' })).toBe(false);
    expect(isAnswered({ text: 'yes' })).toBe(true);
  });

  it('starts at the first question, resumes at the first one not answered, and ends at the review', () => {
    expect(resumeIndex(list, {})).toBe(0);
    expect(resumeIndex(list, { a_1: { value: 4 } })).toBe(1);
    // Skipped questions come first: a person who answered 1 and 3 resumes at 2.
    expect(resumeIndex(list, { a_1: { value: 4 }, a_3: { order: ['x', 'y', 'z'] } })).toBe(1);
    const all = { a_1: { value: 4 }, a_2: { options: ['o1'] }, a_3: { order: ['z', 'y', 'x'] }, a_4: { text: 'hi' } };
    expect(resumeIndex(list, all)).toBe(4); // the check-your-answers screen
    expect(answeredCount(list, all)).toBe(4);
    expect(answeredCount(list, { a_2: { options: ['o1'] }, gone: { value: 1 } })).toBe(1);
  });

  it('keeps its place when the list comes again (a push, a reconnect)', () => {
    const again = list.map((a) => ({ ...a, state: 'closed' as const }));
    expect(keepPlace(list, again, 2)).toBe(2);
    expect(keepPlace(list, again, 4)).toBe(4); // on the review
    expect(keepPlace(list, [list[0]!, list[2]!], 2)).toBe(1); // the same question, now second
    expect(keepPlace(list, [list[0]!], 3)).toBe(1); // gone: at most the review
  });

  it('the phase comes from the server: no activities before the opening, none open after the closing', () => {
    const live = { state: 'live' as const };
    expect(questionnairePhase(live, [])).toBe('before');
    expect(questionnairePhase(live, list)).toBe('open');
    expect(questionnairePhase(live, list.map((a) => ({ ...a, state: 'closed' as const })))).toBe('closed');
    expect(questionnairePhase({ state: 'ended' }, list)).toBe('closed');
    // Staff have the whole agenda: pending before the opening.
    expect(staffPhase(live, list.map((a) => ({ ...a, state: 'pending' as const })))).toBe('before');
    expect(staffPhase(live, list)).toBe('open');
    expect(staffPhase(live, list.map((a) => ({ ...a, state: 'revealed' as const })))).toBe('closed');
    expect(staffPhase({ state: 'ended' }, list)).toBe('closed');
  });

  it('says one’s own answers in words for the review', () => {
    const std = () => ['SD', 'D', 'N', 'A', 'SA'];
    expect(answerText(list[0]!, { value: 4 }, 'en', ['en'], std)).toBe('A');
    expect(answerText(list[1]!, { options: ['o2'] }, 'cy', ['en', 'cy'], std)).toBe('Dewis 2');
    expect(answerText(list[2]!, { order: ['z', 'x', 'y'] }, 'en', ['en'], std)).toBe('1. Zed, 2. Ex, 3. Why');
    expect(answerText(list[3]!, { text: 'My words' }, 'en', ['en'], std)).toBe('My words');
    expect(answerText(list[3]!, {}, 'en', ['en'], std)).toBe('');
  });
});

describe('dates in words', () => {
  it('reads RFC 3339 with a zone, and refuses what is not a time', () => {
    expect(parseTime('2026-12-01T09:00:00Z')).toBe(Date.UTC(2026, 11, 1, 9));
    expect(parseTime('2026-12-14T17:00:00+01:00')).toBe(Date.UTC(2026, 11, 14, 16));
    expect(parseTime('soon')).toBeNull();
    expect(parseTime(undefined)).toBeNull();
    expect(formatTime(undefined, 'en')).toBe('');
  });

  it('writes the month out in English and in Welsh (local time)', () => {
    const ms = new Date(2026, 11, 1, 9, 5).getTime(); // local
    expect(formatMoment(ms, 'en')).toBe('1 December 2026 at 09:05');
    expect(formatMoment(ms, 'cy')).toBe('1 Rhagfyr 2026 am 09:05');
    expect(formatMoment(new Date(2027, 1, 14, 17, 0).getTime(), 'cy')).toBe('14 Chwefror 2027 am 17:00');
  });
});

describe('kiosk passes', () => {
  it('a kiosk takes open Likert statements and single-answer choices of up to 7 options, in order', () => {
    const acts = [likert('a_1', 0), choice('a_2', 1, 2), choice('a_3', 2, 1, 8), ranking('a_4', 3), choice('a_5', 4), likert('a_6', 5, 'closed')];
    expect(kioskSteps(acts).map((a) => a.id)).toEqual(['a_1', 'a_5']);
  });

  it('pass ids are what the server accepts, and differ', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newPassId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(PASS_PATTERN);
    expect(newPassId((b) => b.fill(255))).toBe('-'.repeat(22));
  });

  it('a pass goes forward on an answer or a skip, back on Back, and ends after the last question', () => {
    let n = 0;
    const pass = new KioskPass({ idleMs: 60_000, timers: new ManualTimers(), newId: () => `pass-${++n}` });
    expect(pass.id).toBeNull();
    pass.start();
    expect([pass.id, pass.step]).toEqual(['pass-1', 0]);
    expect(pass.answered('a_1', 4, 3)).toBe(false);
    expect(pass.step).toBe(1);
    pass.back();
    expect(pass.step).toBe(0);
    expect(pass.given).toEqual({ a_1: 4 });
    expect(pass.answered('a_1', 2, 3)).toBe(false); // going back replaces
    expect(pass.given).toEqual({ a_1: 2 });
    expect(pass.skip(3)).toBe(false);
    expect(pass.answered('a_3', { option: 'o1' }, 3)).toBe(true);
    expect([pass.id, pass.step, pass.given]).toEqual([null, 0, {}]);
    pass.start();
    expect(pass.id).toBe('pass-2'); // the next person is another respondent
  });

  it('a pass left alone for `idle` is abandoned; a touch starts the wait again', () => {
    const timers = new ManualTimers();
    let timedOut = 0;
    const pass = new KioskPass({ idleMs: 30_000, timers, newId: () => 'p', onTimeout: () => timedOut++ });
    pass.start();
    timers.advance(29_000);
    pass.touch();
    timers.advance(29_000);
    expect(pass.id).toBe('p');
    pass.answered('a_1', 1, 5);
    timers.advance(29_999);
    expect(pass.id).toBe('p');
    timers.advance(1);
    expect(pass.id).toBeNull();
    expect(timedOut).toBe(1);
    timers.advance(120_000);
    expect(timedOut).toBe(1); // no timer at the welcome screen
  });

  it('presses of a pass are stored and sent with the pass id, without the interval guard or a thank-you', async () => {
    const timers = new ManualTimers();
    const data = new Map<string, QueuedPress>();
    const sent: QueuedPress[] = [];
    let n = 0;
    const model = new KioskModel({
      store: new MemoryPressStore(data),
      sender: { send: (p) => sent.push(p) },
      timers,
      newOp: () => `kiosk-test-op-${++n}-000000`,
      log: () => {},
      resetSeconds: 5,
      intervalSeconds: 3,
    });
    expect(await model.pressInPass('a_1', 4, 'pass-A')).toBe('counted');
    expect(await model.pressInPass('a_2', { option: 'o1' }, 'pass-A')).toBe('counted'); // at once: no interval
    expect(model.phase).toBe('question');
    expect([...data.values()].map((p) => p.pass)).toEqual(['pass-A', 'pass-A']);
    expect(sent.map(pressRequest)).toEqual([
      { type: 'vote', activity: 'a_1', value: 4, pressed_at: 0, pass: 'pass-A' },
      { type: 'choose', activity: 'a_2', options: ['o1'], pressed_at: 0, pass: 'pass-A' },
    ]);
    model.thank();
    expect(model.phase).toBe('thanks');
    expect(await model.pressInPass('a_1', 1, 'pass-B')).toBe('busy');
    timers.advance(5_000);
    expect(model.phase).toBe('question');
    // A press without a pass (live, or stored by an older page) has no `pass` field.
    expect(pressRequest({ op: 'o', activity: 'a_1', value: 2, pressed_at: 7, seq: 1 })).toEqual({
      type: 'vote',
      activity: 'a_1',
      value: 2,
      pressed_at: 7,
    });
    model.dispose();
  });

  it('the kiosk link may set the idle time (5–3600 s), kept only when given', () => {
    const withIdle = resolveKioskSetup('#kiosk=k_1&token=tok&idle=20', null);
    expect(withIdle.config?.idleSeconds).toBe(20);
    const later = resolveKioskSetup('', withIdle.save);
    expect(later.config?.idleSeconds).toBe(20);
    expect(resolveKioskSetup('#kiosk=k_1&token=tok&idle=2', null).config?.idleSeconds).toBeUndefined();
    expect(JSON.parse(resolveKioskSetup('#kiosk=k_1&token=tok', null).save!)).toEqual({
      kiosk: 'k_1',
      token: 'tok',
      resetSeconds: 5,
      intervalSeconds: 3,
    });
  });
});

describe('the session reads a self-paced workshop', () => {
  function participant() {
    const s = new WorkshopSession(() => ({ type: 'hello', v: 1, role: 'participant', code: '482913', token: null, lang: 'en' }));
    const feed = (m: object) => (s as unknown as { apply(m: ServerMessage): void }).apply(m as ServerMessage);
    return { s, feed };
  }
  const workshop = {
    id: 'w_1',
    title: { en: 'T' },
    state: 'live',
    groups: [],
    mode: 'self_paced',
    opens_at: '2026-12-01T09:00:00Z',
    closes_at: '2026-12-14T17:00:00Z',
  };

  it('welcome: every activity in agenda order and one’s own answers; no current activity', () => {
    const { s, feed } = participant();
    feed({
      type: 'welcome',
      v: 1,
      you: { id: 'p_1', role: 'participant' },
      workshop,
      activity: null,
      activities: [likert('a_2', 1), likert('a_1', 0)],
      answers: { a_2: { value: 3 } },
    });
    expect(s.selfPaced).toBe(true);
    expect(s.activities.map((a) => a.id)).toEqual(['a_1', 'a_2']);
    expect(s.mineOf('a_2')).toEqual({ value: 3 });
    expect(s.mineOf('a_1')).toEqual({});
    expect(s.findActivity('a_1')?.id).toBe('a_1');
    expect(s.activity).toBeNull();
  });

  it('the activities push replaces the list; an answer acknowledged is remembered', () => {
    const { s, feed } = participant();
    feed({ type: 'welcome', v: 1, you: { id: 'p_1', role: 'participant' }, workshop, activity: null, activities: [] });
    expect(s.activities).toEqual([]);
    feed({ type: 'activities', activities: [likert('a_1', 0), likert('a_2', 1)] });
    expect(s.activities.map((a) => [a.id, a.state])).toEqual([
      ['a_1', 'open'],
      ['a_2', 'open'],
    ]);
    s.rememberAnswer('a_1', { value: 5 });
    expect(s.mineOf('a_1')).toEqual({ value: 5 });
    s.rememberAnswer('a_1', {});
    expect(s.mineOf('a_1')).toEqual({});
    // An `activity` push about one of them changes it in the list, never a "current" one.
    feed({ type: 'activity', activity: likert('a_2', 1, 'closed'), mine: {} });
    expect(s.activities.map((a) => a.state)).toEqual(['open', 'closed']);
    expect(s.activity).toBeNull();
    feed({ type: 'activities', activities: [likert('a_1', 0, 'closed'), likert('a_2', 1, 'closed')] });
    expect(s.activities.every((a) => a.state === 'closed')).toBe(true);
  });

  it('a live workshop is unchanged: mine belongs to the current activity, nothing is remembered', () => {
    const { s, feed } = participant();
    feed({ type: 'welcome', v: 1, you: { id: 'p_1', role: 'participant' }, workshop: { ...workshop, mode: 'live' }, activity: likert('a_1', 0), mine: { value: 2 } });
    expect(s.selfPaced).toBe(false);
    expect(s.mineOf('a_1')).toEqual({ value: 2 });
    expect(s.mineOf('a_2')).toEqual({});
    s.rememberAnswer('a_2', { value: 1 });
    expect(s.answers).toEqual({});
  });
});

describe('what a question holds unsent (self-paced: Next sends it)', () => {
  it('is sent once on leaving, and forgotten when the question goes away', async () => {
    const { hasUnsent, holdUnsent, sendUnsent } = await import('../../src/kinds/unsent.svelte');
    let sent = 0;
    const release = holdUnsent('a_9', true, () => sent++);
    expect(hasUnsent('a_9')).toBe(true);
    sendUnsent('a_9');
    expect(sent).toBe(1);
    const again = holdUnsent('a_9', false, () => sent++); // the draft was sent: nothing pending
    release(); // the older registration no longer owns it
    expect(hasUnsent('a_9')).toBe(false);
    sendUnsent('a_9');
    expect(sent).toBe(1);
    again();
    sendUnsent('a_9');
    expect(sent).toBe(1);
    expect(hasUnsent('a_other')).toBe(false);
  });
});
