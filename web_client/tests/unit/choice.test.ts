import { describe, expect, it } from 'vitest';
import { cy } from '../../src/i18n/cy';
import { en } from '../../src/i18n/en';
import { choiceRows, optionLabels, shareText, toggleOption } from '../../src/kinds/choice/choice';
import type { ChoiceActivity, LabelledId } from '../../src/lib/protocol';

const options: LabelledId[] = [
  { id: 'visionary', label: { en: 'Visionary', cy: 'Gweledydd' } },
  { id: 'connector', label: { en: 'Connector' } },
  { id: 'experimenter', label: { en: 'Experimenter', cy: 'Arbrofwr' } },
];
const choice: ChoiceActivity = {
  id: 'a_c',
  kind: 'choice',
  position: 0,
  state: 'open',
  question: { en: 'Which profile is most like you?' },
  options,
  max: 2,
  results: 'live',
};

describe('ticking options', () => {
  it('replaces a single answer', () => {
    expect(toggleOption(options, ['visionary'], 'connector', 1)).toEqual(['connector']);
  });

  it('adds up to max, in the activity’s order, and takes away', () => {
    expect(toggleOption(options, [], 'experimenter', 2)).toEqual(['experimenter']);
    expect(toggleOption(options, ['experimenter'], 'visionary', 2)).toEqual(['visionary', 'experimenter']);
    expect(toggleOption(options, ['visionary', 'experimenter'], 'connector', 2)).toBeNull(); // the limit
    expect(toggleOption(options, ['visionary', 'experimenter'], 'visionary', 2)).toEqual(['experimenter']);
    expect(toggleOption(options, ['experimenter'], 'experimenter', 2)).toEqual([]);
  });
});

describe('choice results in words', () => {
  const summary = {
    n: 14,
    counts: { visionary: 5, connector: 9, experimenter: 0 },
    share_pct: { visionary: 35.7, connector: 64.3, experimenter: 0 },
    share_ci95: { visionary: [16.3, 61.2] as [number, number], connector: [38.8, 83.7] as [number, number], experimenter: [0, 21.5] as [number, number] },
  };

  it('gives one row per option, in the activity’s order, in the chosen language', () => {
    const rows = choiceRows(choice, summary, 'cy', ['en', 'cy']);
    expect(rows.map((r) => [r.id, r.label.text, r.label.lang, r.count])).toEqual([
      ['visionary', 'Gweledydd', 'cy', 5],
      ['connector', 'Connector', 'en', 9],
      ['experimenter', 'Arbrofwr', 'cy', 0],
    ]);
  });

  it('reads "count (share%, 95% CI a–b%)" in whole percentages, in English and Welsh', () => {
    const [visionary] = choiceRows(choice, summary, 'en', ['en', 'cy']);
    expect(shareText(visionary!, en, 'en')).toBe('5 (36%, 95% CI 16–61%)');
    expect(shareText(visionary!, cy, 'cy')).toBe('5 (36%, cyfwng hyder 95%: 16–61%)');
  });

  it('computes shares from counts when the server gave none, and shows only the count without answers', () => {
    const rows = choiceRows(choice, { n: 4, counts: { visionary: 1, connector: 3, experimenter: 0 } }, 'en', []);
    expect(rows.map((r) => shareText(r, en, 'en'))).toEqual(['1 (25%)', '3 (75%)', '0 (0%)']);
    const none = choiceRows(choice, { n: 0, counts: { visionary: 0, connector: 0, experimenter: 0 }, share_pct: { visionary: null } }, 'en', []);
    expect(none.map((r) => shareText(r, en, 'en'))).toEqual(['0', '0', '0']);
  });

  it('lists options missing from the counts as 0', () => {
    expect(choiceRows(choice, { n: 1, counts: { visionary: 1 } }, 'en', []).map((r) => r.count)).toEqual([1, 0, 0]);
  });

  it('names chosen options for a comment or one’s own answer', () => {
    expect(optionLabels(choice, ['experimenter', 'visionary'], 'cy', ['en', 'cy'])).toBe('Arbrofwr, Gweledydd');
    expect(optionLabels(choice, ['gone'], 'en', ['en'])).toBe('gone');
  });
});
