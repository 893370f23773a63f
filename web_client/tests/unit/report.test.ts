// The report pages' durations, timings sentences and self-paced windows, in English and Welsh.
import { describe, expect, it } from 'vitest';
import { reportCy } from '../../src/i18n/report_cy';
import { reportEn } from '../../src/i18n/report_en';
import { formatDuration, openFor, spanText, windowText, type Timings } from '../../src/lib/report';

const MIN = 60_000;

describe('durations', () => {
  it('reads as a person says them', () => {
    expect(formatDuration(400, 'en')).toBe('under a second');
    expect(formatDuration(20_000, 'en')).toBe('20 seconds');
    expect(formatDuration(1_000, 'en')).toBe('1 second');
    expect(formatDuration(29_000, 'cy')).toBe('29 eiliad');
    expect(formatDuration(45_000, 'en')).toBe('45 seconds');
    expect(formatDuration(MIN, 'en')).toBe('1 minute');
    expect(formatDuration(12 * MIN, 'en')).toBe('12 minutes');
    expect(formatDuration(65 * MIN, 'en')).toBe('1 h 05 min');
    expect(formatDuration(50 * 60 * MIN, 'en')).toBe('2 d 2 h');
    expect(formatDuration(12 * MIN, 'cy')).toBe('12 munud');
    expect(formatDuration(65 * MIN, 'cy')).toBe('1 awr 05 mun');
    expect(formatDuration(100, 'cy')).toBe('llai nag eiliad');
  });
});

describe('timings', () => {
  const timings: Timings = {
    activities: [
      { activity: 'a_1', opened_at: 1000, closed_at: 1000 + 14 * MIN, answers: 3, first_answer_at: 2000, last_answer_at: 3000 },
      { activity: 'a_2', opened_at: 5000, closed_at: null, answers: 0, first_answer_at: null, last_answer_at: null },
      { activity: 'a_3', opened_at: null, closed_at: null, answers: 0, first_answer_at: null, last_answer_at: null },
    ],
    respondents: { n: 3, span_ms: { median: 12 * MIN, q1: 8 * MIN, q3: 20 * MIN } },
  };

  it('how long each activity was open', () => {
    expect(timings.activities.map((t) => openFor(t, 'en'))).toEqual(['14 minutes', 'still open', '–']);
    expect(openFor(timings.activities[1]!, 'cy')).toBe('yn dal ar agor');
  });

  it('the respondents’ median and quartiles', () => {
    expect(spanText(timings, 'en')).toBe(
      '3 respondents took a median of 12 minutes from their first to their last answer (quartiles 8 minutes to 20 minutes).',
    );
    expect(spanText(timings, 'cy')).toBe(
      'Cymerodd 3 o ymatebwyr ganolrif o 12 munud o’u hateb cyntaf i’w hateb olaf (chwartelau 8 munud i 20 munud).',
    );
    expect(spanText({ ...timings, respondents: { n: 0, span_ms: null } }, 'en')).toBe('No one has answered yet.');
    expect(spanText({ ...timings, respondents: { n: 1, span_ms: { median: 0, q1: 0, q3: 0 } } }, 'en')).toMatch(/^The one respondent took under a second/);
  });
});

describe('self-paced window', () => {
  it('both dates, in local time, or nothing', () => {
    expect(windowText('2026-12-01T09:00:00Z', '2026-12-14T17:00:00Z', 'en')).toMatch(/^\d+ (Nov|Dec) 2026 \d\d:\d\d to \d+ Dec 2026 \d\d:\d\d$/);
    expect(windowText('2026-12-01T09:00:00Z', '2026-12-14T17:00:00Z', 'cy')).toMatch(/ hyd .* Rhag 2026/);
    expect(windowText(undefined, '2026-12-14T17:00:00Z', 'en')).toBeNull();
  });

  it('the Welsh strings have every English key', () => {
    expect(Object.keys(reportCy).sort()).toEqual(Object.keys(reportEn).sort());
  });
});

describe('a compared statement in every language', () => {
  it('adds the languages of the other workshops’ agendas; the comparison’s own text wins', async () => {
    const { statementInAllLanguages } = await import('../../src/lib/report');
    const rows = [
      { workshop: 'w_a', activity: 'a_1' },
      { workshop: 'w_b', activity: 'a_9' },
    ];
    const agendas = new Map([
      ['w_a', [{ id: 'a_1', statement: { en: 'Same text.' } }]],
      ['w_b', [{ id: 'a_2', statement: { en: 'Other.', cy: 'Arall.' } }, { id: 'a_9', statement: { en: 'Same  text.', cy: 'Yr un testun.' } }]],
    ]);
    expect(statementInAllLanguages({ en: 'Same text.' }, rows, agendas)).toEqual({ en: 'Same text.', cy: 'Yr un testun.' });
    expect(statementInAllLanguages({ en: 'Same text.' }, rows, new Map())).toEqual({ en: 'Same text.' });
  });
});
