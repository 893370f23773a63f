import { describe, expect, it } from 'vitest';
import { dropIndex, moveBy, moveTo, rankColour, rankingRows, sameOrder, startOrder } from '../../src/kinds/ranking/ranking';
import type { LabelledId, RankingActivity } from '../../src/lib/protocol';
import { formatNumber } from '../../src/lib/stats_format';

const items: LabelledId[] = [
  { id: 'convene', label: { en: 'Convening people', cy: 'Dod â phobl ynghyd' } },
  { id: 'platform', label: { en: 'A shared platform' } },
  { id: 'embed', label: { en: 'Embedding innovation' } },
];
const ranking: RankingActivity = {
  id: 'a_r',
  kind: 'ranking',
  position: 1,
  state: 'open',
  question: { en: 'Which action area should come first?' },
  items,
  results: 'on_reveal',
};

describe('the participant’s order', () => {
  it('starts from the stored order when it names every item once, else from the activity’s', () => {
    expect(startOrder(items, null)).toEqual(['convene', 'platform', 'embed']);
    expect(startOrder(items, ['embed', 'convene', 'platform'])).toEqual(['embed', 'convene', 'platform']);
    expect(startOrder(items, ['embed', 'convene'])).toEqual(['convene', 'platform', 'embed']);
    expect(startOrder(items, ['embed', 'embed', 'platform'])).toEqual(['convene', 'platform', 'embed']);
    expect(startOrder(items, ['embed', 'convene', 'gone'])).toEqual(['convene', 'platform', 'embed']);
  });

  it('moves an item one place up or down with the keyboard buttons, and not past either end', () => {
    const order = ['convene', 'platform', 'embed'];
    expect(moveBy(order, 'embed', -1)).toEqual({ order: ['convene', 'embed', 'platform'], index: 1 });
    expect(moveBy(order, 'convene', 1)).toEqual({ order: ['platform', 'convene', 'embed'], index: 1 });
    expect(moveBy(order, 'convene', -1)).toBeNull();
    expect(moveBy(order, 'embed', 1)).toBeNull();
    expect(moveBy(order, 'gone', 1)).toBeNull();
    expect(order).toEqual(['convene', 'platform', 'embed']); // never changed in place
  });

  it('moves an item to any place (a drop), clamped', () => {
    expect(moveTo(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveTo(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveTo(['a', 'b', 'c'], 1, 9)).toEqual(['a', 'c', 'b']);
    expect(moveTo(['a', 'b', 'c'], 5, 0)).toEqual(['a', 'b', 'c']);
  });

  it('drops a dragged item after every other item whose middle is above the pointer', () => {
    // Other items' middles at 50, 150, 250 (px).
    expect(dropIndex([50, 150, 250], 10)).toBe(0);
    expect(dropIndex([50, 150, 250], 160)).toBe(2);
    expect(dropIndex([50, 150, 250], 400)).toBe(3);
  });

  it('compares orders', () => {
    expect(sameOrder(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameOrder(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameOrder(['a', 'b'], null)).toBe(false);
  });
});

describe('ranking results', () => {
  const summary = {
    n: 14,
    mean_rank: { convene: 1.57, platform: 2.36, embed: 2.07 },
    borda: { convene: 20, platform: 9, embed: 13 },
    rank_counts: { convene: [8, 4, 2], platform: [2, 5, 7], embed: [4, 5, 5] },
  };

  it('orders items by mean rank, with their Borda scores and counts per place', () => {
    const rows = rankingRows(ranking, summary, 'cy', ['en', 'cy']);
    expect(rows.map((r) => [r.label.text, r.meanRank, r.borda, r.counts])).toEqual([
      ['Dod â phobl ynghyd', 1.57, 20, [8, 4, 2]],
      ['Embedding innovation', 2.07, 13, [4, 5, 5]],
      ['A shared platform', 2.36, 9, [2, 5, 7]],
    ]);
  });

  it('breaks ties by Borda score, then the activity’s order; items without answers go last', () => {
    const tied = rankingRows(
      ranking,
      { n: 2, mean_rank: { convene: 2, platform: 2, embed: null }, borda: { convene: 2, platform: 3, embed: 0 } },
      'en',
      [],
    );
    expect(tied.map((r) => r.id)).toEqual(['platform', 'convene', 'embed']);
    const empty = rankingRows(ranking, { n: 0, mean_rank: { convene: null, platform: null, embed: null } }, 'en', []);
    expect(empty.map((r) => [r.id, r.counts])).toEqual([
      ['convene', [0, 0, 0]],
      ['platform', [0, 0, 0]],
      ['embed', [0, 0, 0]],
    ]);
  });

  it('shows a mean rank with two decimals in either language', () => {
    expect(formatNumber(1.57, 'en', 2)).toBe('1.57');
    expect(formatNumber(2, 'cy', 2)).toBe('2.00');
  });

  it('colours first places darkest', () => {
    expect(rankColour(1, 3)).toBe('hsl(176 45% 28%)');
    expect(rankColour(3, 3)).toBe('hsl(176 45% 86%)');
  });
});
