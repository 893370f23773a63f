import { describe, expect, it } from 'vitest';
import { cy } from '../../src/i18n/cy';
import { en } from '../../src/i18n/en';
import {
  agreeCount,
  agreeText,
  consensusBand,
  consensusText,
  countsText,
  disagreeCount,
  formatNumber,
  medianText,
  neutralIndex,
  rangeText,
} from '../../src/lib/stats_format';

const labels5 = en.scale5;
const labels7 = en.scale7;

describe('counting agreement', () => {
  it('counts the points above and below the middle', () => {
    expect(agreeCount([0, 1, 2, 6, 5])).toBe(11);
    expect(disagreeCount([0, 1, 2, 6, 5])).toBe(1);
    expect(agreeCount([1, 1, 1, 1, 2, 3, 4])).toBe(9);
    expect(disagreeCount([1, 1, 1, 1, 2, 3, 4])).toBe(3);
    expect(agreeCount([1, 2, 3, 4])).toBe(7); // even scale: no middle point
    expect(neutralIndex(5)).toBe(2);
    expect(neutralIndex(4)).toBeNull();
  });
});

describe('agreeText', () => {
  const s = { n: 14, counts: [0, 1, 2, 6, 5], agree_pct: 78.6, agree_ci95: [52.4, 92.4] as [number, number] };

  it('reads "N of n agree (x%, 95% CI a–b%)" in whole percentages', () => {
    expect(agreeText(s, en, 'en')).toBe('11 of 14 agree (79%, 95% CI 52–92%)');
  });

  it('reads naturally in Welsh', () => {
    expect(agreeText(s, cy, 'cy')).toBe('11 o 14 yn cytuno (79%, cyfwng hyder 95%: 52–92%)');
  });

  it('says there are no answers when n = 0', () => {
    expect(agreeText({ n: 0, counts: [0, 0, 0, 0, 0], agree_pct: null, agree_ci95: null }, en, 'en')).toBe(
      'No answers yet',
    );
  });

  it('works out the share when the server gave none, and omits a missing interval', () => {
    expect(agreeText({ n: 3, counts: [0, 0, 1, 1, 1] }, en, 'en')).toBe('2 of 3 agree (67%)');
  });

  it('rounds half up and never shows -0', () => {
    expect(formatNumber(0.5, 'en')).toBe('1');
    expect(formatNumber(-0.2, 'en')).toBe('0');
    expect(formatNumber(0.714, 'cy', 2)).toBe('0.71');
    expect(formatNumber(1234, 'en')).toBe('1,234');
  });
});

describe('medianText', () => {
  it('names the scale point', () => {
    expect(medianText(4, labels5, en)).toBe('Agree');
    expect(medianText(1, labels7, en)).toBe('Strongly disagree');
  });

  it('reads a pair as "between"', () => {
    expect(medianText([2, 4], labels5, en)).toBe('between “Disagree” and “Agree”');
    expect(medianText([3, 3], labels5, en)).toBe('Neither agree nor disagree');
    expect(medianText(3.5, labels5, en)).toBe('between “Neither agree nor disagree” and “Agree”');
  });

  it('uses "ac" before a vowel in Welsh', () => {
    expect(medianText([4, 5], cy.scale5, cy)).toBe("rhwng “Cytuno” a “Cytuno'n gryf”");
    expect(medianText([2, 4], cy.scale5, cy)).toBe('rhwng “Anghytuno” a “Cytuno”');
    expect(medianText([4, 1], cy.scale5, cy)).toBe("rhwng “Cytuno” ac “Anghytuno'n gryf”");
  });

  it('says there are no answers for null', () => {
    expect(medianText(null, labels5, en)).toBe('No answers yet');
    expect(medianText(null, cy.scale5, cy)).toBe('Dim atebion eto');
  });

  it('falls back to the number when a label is missing', () => {
    expect(medianText(6, labels5, en)).toBe('6');
  });

  it('reads quartiles as a range', () => {
    expect(rangeText([3, 5], labels5, en)).toBe('“Neither agree nor disagree” to “Strongly agree”');
    expect(rangeText([4, 4], labels5, en)).toBe('Agree');
  });
});

describe('consensus in plain words', () => {
  it('bands the value', () => {
    expect(consensusBand(1)).toBe('strong');
    expect(consensusBand(0.8)).toBe('strong');
    expect(consensusBand(0.71)).toBe('moderate');
    expect(consensusBand(0.45)).toBe('weak');
    expect(consensusBand(0.1)).toBe('divided');
  });

  it('shows two decimals and the reading', () => {
    expect(consensusText(0.71, en, 'en')).toBe('0.71 — answers were fairly similar');
    expect(consensusText(0.2, cy, 'cy')).toBe("0.20 — mae'r farn yn rhanedig");
    expect(consensusText(null, en, 'en')).toBe('No answers yet');
  });
});

describe('countsText', () => {
  it('lists every point with its count', () => {
    expect(countsText([0, 1, 2, 6, 5], labels5, 'en')).toBe(
      'Strongly disagree 0, Disagree 1, Neither agree nor disagree 2, Agree 6, Strongly agree 5',
    );
  });
});
