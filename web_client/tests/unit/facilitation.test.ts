import { describe, expect, it } from 'vitest';
import { cy } from '../../src/i18n/cy';
import { en } from '../../src/i18n/en';
import { canReveal } from '../../src/kinds/kind';
import { overviewRow } from '../../src/lib/overview';
import type { BoardActivity, ChoiceActivity, LikertActivity, OpenTextActivity, RankingActivity } from '../../src/lib/protocol';
import { isTyping, SHORTCUTS, shortcutOf } from '../../src/lib/shortcuts';

const base = { position: 0, state: 'closed' as const };
const likert: LikertActivity = { ...base, id: 'a_l', kind: 'likert', statement: { en: 'S' }, scale: { points: 5, labels: {} }, results: 'live' };
const choice: ChoiceActivity = {
  ...base,
  id: 'a_c',
  kind: 'choice',
  question: { en: 'Q' },
  options: [
    { id: 'v', label: { en: 'Visionary', cy: 'Gweledydd' } },
    { id: 'c', label: { en: 'Connector', cy: 'Cysylltydd' } },
  ],
  max: 1,
  results: 'live',
};
const ranking: RankingActivity = {
  ...base,
  id: 'a_r',
  kind: 'ranking',
  question: { en: 'R' },
  items: ['x', 'y', 'z'].map((id) => ({ id, label: { en: id.toUpperCase() } })),
  results: 'live',
};
const open: OpenTextActivity = { ...base, id: 'a_o', kind: 'open_text', question: { en: 'O' }, max_length: 500 } as OpenTextActivity;
const board: BoardActivity = { ...base, id: 'a_b', kind: 'board', prompt: { en: 'B' } };

// A stand-in for a DOM element (the unit tests run in Node): `inside` lists the selectors that it
// or one of its ancestors matches.
function el(...inside: string[]): EventTarget {
  return {
    closest: (selector: string) => (selector.split(',').some((s) => inside.includes(s.trim())) ? {} : null),
  } as unknown as EventTarget;
}

describe('console shortcuts', () => {
  it('maps the documented keys, in either case', () => {
    const target = el();
    expect(shortcutOf({ key: 'n', target })).toBe('next');
    expect(shortcutOf({ key: 'N', target })).toBe('next');
    expect(shortcutOf({ key: 'r', target })).toBe('reveal');
    expect(shortcutOf({ key: 'c', target })).toBe('close');
    expect(shortcutOf({ key: 'o', target })).toBe('open');
    expect(shortcutOf({ key: 'g', target })).toBe('goto');
    expect(shortcutOf({ key: 'p', target })).toBe('preview');
    expect(shortcutOf({ key: 'ArrowUp', target })).toBe('up');
    expect(shortcutOf({ key: 'j', target })).toBe('down');
    expect(shortcutOf({ key: '?', target })).toBe('help');
    expect(shortcutOf({ key: 'x', target })).toBeNull();
  });

  it('never fires while typing, with a modifier, or on arrows a note needs', () => {
    for (const tag of ['input', 'textarea', 'select']) expect(shortcutOf({ key: 'n', target: el(tag) })).toBeNull();
    expect(isTyping(el('[contenteditable="true"]'))).toBe(true);
    expect(isTyping(el())).toBe(false);
    expect(shortcutOf({ key: 'n', ctrlKey: true, target: el() })).toBeNull();
    expect(shortcutOf({ key: 'r', metaKey: true, target: el() })).toBeNull();
    const note = el('.board-lanes');
    expect(shortcutOf({ key: 'ArrowUp', target: note })).toBeNull();
    expect(shortcutOf({ key: 'n', target: note })).toBe('next');
  });

  it('every shortcut is explained in English and Welsh', () => {
    for (const s of SHORTCUTS) {
      expect(en.shortcutText[s.action]).toBeTruthy();
      expect(cy.shortcutText[s.action]).toBeTruthy();
      expect(cy.shortcutText[s.action]).not.toBe(en.shortcutText[s.action]);
    }
  });
});

describe('reveal is offered only when it would do something', () => {
  it('closed and not revealed, or a board that hides something while open', () => {
    expect(canReveal(likert)).toBe(true);
    expect(canReveal({ ...likert, revealed: true })).toBe(false);
    expect(canReveal({ ...likert, state: 'open' })).toBe(false);
    expect(canReveal({ ...board, state: 'open' })).toBe(false);
    expect(canReveal({ ...board, state: 'open', hidden_until_reveal: true })).toBe(true);
    expect(canReveal({ ...board, state: 'open', dot_totals: 'on_reveal' })).toBe(true);
  });
});

describe('results overview rows', () => {
  it('Likert: n, the distribution and agree % with its CI', () => {
    const row = overviewRow(
      likert,
      { type: 'summary', activity: 'a_l', kind: 'likert', n: 14, counts: [0, 1, 2, 6, 5], agree_pct: 78.6, agree_ci95: [52.4, 92.4] },
      null,
      en,
      'en',
      ['en'],
    );
    expect(row.n).toBe(14);
    expect(row.bar.map((x) => Math.round(x * 14))).toEqual([0, 1, 2, 6, 5]);
    expect(row.headline).toBe('11 of 14 agree (79%, 95% CI 52–92%)');
  });

  it('choice: the leading option, in the language asked for', () => {
    const s = { type: 'summary' as const, activity: 'a_c', kind: 'choice' as const, n: 14, counts: { v: 5, c: 9 } };
    expect(overviewRow(choice, s, null, en, 'en', ['en', 'cy']).headline).toBe('Most chosen: Connector (64%)');
    expect(overviewRow(choice, s, null, cy, 'cy', ['en', 'cy']).headline).toBe('Y dewis mwyaf poblogaidd: Cysylltydd (64%)');
  });

  it('a summary for publication with too few answers: the count and "withheld", no bar', () => {
    const s = { type: 'summary' as const, activity: 'a_c', kind: 'choice' as const, n: 2, suppressed: true, min_cell: 3 };
    expect(overviewRow(choice, s, null, en, 'en', ['en'])).toEqual({ n: 2, bar: [], headline: 'Withheld: fewer than 3 answers' });
    const l = { type: 'summary' as const, activity: 'a_l', kind: 'likert' as const, n: 1, suppressed: true, min_cell: 4 };
    expect(overviewRow(likert, l, null, cy, 'cy', ['en']).headline).toBe('Heb eu dangos: llai na 4 o atebion');
  });

  it('ranking: the item ranked first on average', () => {
    const s = { type: 'summary' as const, activity: 'a_r', kind: 'ranking' as const, n: 3, mean_rank: { x: 2.33, y: 1.33, z: 2.33 }, borda: { x: 2, y: 5, z: 2 } };
    expect(overviewRow(ranking, s, null, en, 'en', ['en']).headline).toBe('First: Y (mean rank 1.33)');
  });

  it('open text: how many answered; a board: notes and dots, hidden notes left out', () => {
    expect(overviewRow(open, { type: 'summary', activity: 'a_o', kind: 'open_text', n: 4 }, null, en, 'en', ['en']).headline).toBe('Answers: 4');
    const notes = [
      { text: 'a', dots: 3 },
      { text: 'b', dots: 1 },
      { text: 'c', dots: 2, hidden: true },
    ];
    const row = overviewRow(board, undefined, { notes }, en, 'en', ['en']);
    expect(row.n).toBe(2);
    expect(row.headline).toBe('2 notes, 4 dots');
  });

  it('nothing yet', () => {
    expect(overviewRow(likert, undefined, null, en, 'en', ['en'])).toEqual({ n: null, bar: [], headline: en.noAnswersYet });
  });
});
