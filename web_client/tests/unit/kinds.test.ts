import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en';
import { cy } from '../../src/i18n/cy';
import { activityText, agendaLabel, answeredByGroup, kioskMode, resultsPolicy, waitsForReveal } from '../../src/kinds/kind';
import { isNewKind } from '../../src/kinds/question_kinds';
import {
  knownActivity,
  type Activity,
  type BoardActivity,
  type ChoiceActivity,
  type LikertActivity,
  type OpenTextActivity,
  type RankingActivity,
} from '../../src/lib/protocol';

const base = { position: 0, state: 'open' as const };
const likert: LikertActivity = {
  ...base,
  id: 'a_l',
  kind: 'likert',
  statement: { en: 'I would use the personas.' },
  scale: { points: 5, labels: {} },
  results: 'on_reveal',
};
const board: BoardActivity = { ...base, id: 'a_b', kind: 'board', prompt: { en: 'What helps?' }, hidden_until_reveal: true };
const options = ['visionary', 'connector', 'experimenter'].map((id) => ({ id, label: { en: id } }));
const choice: ChoiceActivity = { ...base, id: 'a_c', kind: 'choice', question: { en: 'Which profile?' }, options, max: 1, results: 'live' };
const ranking: RankingActivity = {
  ...base,
  id: 'a_r',
  kind: 'ranking',
  question: { en: 'Which first?' },
  items: options,
  results: 'on_reveal',
};
const openText: OpenTextActivity = { ...base, id: 'a_o', kind: 'open_text', question: { en: 'What would help?' }, max_length: 500 };
const future: Activity = { ...base, id: 'a_x', kind: 'hologram', whatever: 1 };

describe('dispatch on kind', () => {
  it('knows the five kinds and turns others away', () => {
    for (const a of [likert, board, choice, ranking, openText]) expect(knownActivity(a)).toBe(a);
    expect(knownActivity(future)).toBeNull();
    expect(knownActivity(null)).toBeNull();
  });

  it('finds the text each kind asks', () => {
    expect(activityText(likert).en).toBe('I would use the personas.');
    expect(activityText(board).en).toBe('What helps?');
    expect(activityText(choice).en).toBe('Which profile?');
    expect(activityText(ranking).en).toBe('Which first?');
    expect(activityText(openText).en).toBe('What would help?');
  });

  it('labels the agenda by kind, and unknown kinds as "Activity"', () => {
    const label = (a: Activity) => agendaLabel(a, en)('3');
    expect([likert, board, choice, ranking, openText, future].map(label)).toEqual([
      'Statement 3',
      'Board 3',
      'Choice 3',
      'Ranking 3',
      'Open question 3',
      'Activity 3',
    ]);
  });

  it('says which results wait for the reveal', () => {
    expect(waitsForReveal(likert)).toBe(true);
    expect(waitsForReveal(board)).toBe(true);
    expect(waitsForReveal(choice)).toBe(false); // live
    expect(waitsForReveal(ranking)).toBe(true);
    expect(waitsForReveal({ ...ranking, state: 'revealed' })).toBe(false);
    expect(waitsForReveal({ ...ranking, state: 'open', revealed: true })).toBe(false);
    expect(waitsForReveal(openText)).toBe(false); // shown answer by answer
    expect(resultsPolicy(openText)).toBeNull();
    expect(resultsPolicy(board)).toBeNull();
    expect(resultsPolicy(choice)).toBe('live');
  });

  it('loads the second-round screens only for choice, ranking and open text', () => {
    expect([likert, board, choice, ranking, openText, null].map((a) => isNewKind(a))).toEqual([false, false, true, true, true, false]);
  });

  it('answers a single-answer choice with few enough options on the kiosk, everything else on phones', () => {
    expect(kioskMode(likert)).toBe('likert');
    expect(kioskMode(choice)).toBe('choice');
    expect(kioskMode({ ...choice, max: 2 })).toBe('phone');
    expect(kioskMode(choice, 2)).toBe('phone'); // three options, two buttons
    expect(kioskMode(ranking)).toBe('phone');
    expect(kioskMode(openText)).toBe('phone');
    expect(kioskMode(board)).toBe('phone');
    expect(kioskMode(future)).toBe('phone');
  });

  it('counts respondents per group for the reach panel, from the answers of an open question', () => {
    expect(answeredByGroup(undefined)).toBeUndefined();
    expect(
      answeredByGroup({ type: 'summary', activity: 'a_c', kind: 'choice', n: 3, by_group: { innovator: { n: 2 } } }),
    ).toEqual({ n: 3, by_group: { innovator: { n: 2 } } });
    const answer = (id: string, group: string | null) => ({ id, text: id, group, shown: false, hidden: false });
    expect(
      answeredByGroup({
        type: 'summary',
        activity: 'a_o',
        kind: 'open_text',
        n: 3,
        answers: [answer('t1', 'innovator'), answer('t2', null), answer('t3', 'innovator')],
      }),
    ).toEqual({ n: 3, by_group: { innovator: { n: 2 } } });
    expect(answeredByGroup({ type: 'summary', activity: 'a_o', kind: 'open_text', n: 2, shown: [] })).toEqual({ n: 2 });
  });
});

describe('group columns of the facilitator’s results tables', () => {
  it('say which groups the projector withholds', async () => {
    const { groupColumns } = await import('../../src/kinds/groups');
    const groups = [
      { id: 'a', label: { en: 'Innovator' } },
      { id: 'b', label: { en: 'Enabler' } },
    ];
    const cells: Record<string, { n?: number; suppressed?: boolean }> = { a: { n: 5 }, b: { n: 1, suppressed: true } };
    const cols = groupColumns(groups, (g) => cells[g], 3, en, 'en', ['en']);
    expect(cols.map((c) => c.sub)).toEqual(['Answers: 5', 'Answers: 1 (not shown on the projector)']);
  });
  it('say "fewer than" with no number where a summary for publication withholds the group', async () => {
    const { groupColumns, cellCount } = await import('../../src/kinds/groups');
    const groups = [
      { id: 'a', label: { en: 'Innovator' } },
      { id: 'b', label: { en: 'Enabler' } },
      { id: 'c', label: { en: 'Citizen' } },
    ];
    const cells: Record<string, { n?: number; suppressed?: boolean }> = { a: { n: 10 }, b: { suppressed: true } };
    expect(groupColumns(groups, (g) => cells[g], 4, en, 'en', ['en']).map((c) => c.sub)).toEqual(['Answers: 10', 'fewer than 4', 'Answers: 0']);
    expect(groupColumns(groups, (g) => cells[g], 4, cy, 'cy', ['en']).map((c) => c.sub)[1]).toBe('llai na 4');
    expect(cellCount({ suppressed: true }, 3, en, 'en')).toBe('fewer than 3');
    expect(cellCount({ n: 2, suppressed: true }, 3, en, 'en')).toBe('2');
    expect(cellCount(undefined, 3, en, 'en')).toBe('0');
  });
});
