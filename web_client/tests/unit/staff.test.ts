import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../src/lib/routes';
import { cy } from '../../src/i18n/cy';
import { en } from '../../src/i18n/en';
import {
  AUDIT_ACTIONS,
  auditQuery,
  comparedIds,
  formatDay,
  formatWhen,
  nextPage,
  programmesOf,
  titleIn,
  type WorkshopListing,
} from '../../src/lib/staff';

describe('the data dictionary', () => {
  it('describes every column of both files in English and in Welsh', async () => {
    const { BOARD_COLUMNS, EXPORT_COLUMNS } = await import('../../src/lib/dictionary');
    for (const [columns, pick] of [
      [EXPORT_COLUMNS, (m: typeof en) => m.dictionaryExport as Record<string, string>],
      [BOARD_COLUMNS, (m: typeof en) => m.dictionaryBoards as Record<string, string>],
    ] as const) {
      for (const c of columns) {
        expect(pick(en)[c], c).toMatch(/\w/);
        expect(pick(cy)[c], c).toMatch(/\w/);
        expect(pick(cy)[c], c).not.toBe(pick(en)[c]);
      }
      expect(Object.keys(pick(en)).sort()).toEqual([...columns].sort());
      expect(Object.keys(pick(cy)).sort()).toEqual([...columns].sort());
    }
  });
});

describe('staff pages', () => {
  it('routes /s, /s/login and /s/users, and nothing else under /s', () => {
    expect(parseRoute('/s', '')).toEqual({ name: 'workshops' });
    expect(parseRoute('/s/', '')).toEqual({ name: 'workshops' });
    expect(parseRoute('/s/login', '')).toEqual({ name: 'login' });
    expect(parseRoute('/s/users', '')).toEqual({ name: 'users' });
    expect(parseRoute('/s/audit', '')).toEqual({ name: 'audit' });
    expect(parseRoute('/s/dictionary', '')).toEqual({ name: 'dictionary' });
    expect(nextPage('?next=/s/audit')).toBe('/s/audit');
    expect(parseRoute('/s/other', '')).toEqual({ name: 'not_found' });
    expect(parseRoute('/s/users/x', '')).toEqual({ name: 'not_found' });
    expect(parseRoute('/s/w/w_abc', '')).toEqual({ name: 'review', workshop: 'w_abc' });
    expect(parseRoute('/s/w', '')).toEqual({ name: 'not_found' });
    expect(parseRoute('/s/w/w_abc/x', '')).toEqual({ name: 'not_found' });
  });

  it('goes back only to a staff page after signing in (no open redirect)', () => {
    expect(nextPage('')).toBe('/s');
    expect(nextPage('?next=/s/users')).toBe('/s/users');
    expect(nextPage('?next=%2Fs%2Fusers')).toBe('/s/users');
    expect(nextPage('?next=https://evil.example/s')).toBe('/s');
    expect(nextPage('?next=//evil.example')).toBe('/s');
    // A console or big screen opened by the sign-in (no token in the address).
    expect(nextPage('?next=/f/w_x')).toBe('/f/w_x');
    expect(nextPage('?next=/p/w_x')).toBe('/p/w_x');
    expect(nextPage('?next=/f/w_x/../../x')).toBe('/s');
    expect(nextPage('?next=/f/')).toBe('/s');
    // A workshop's results page.
    expect(nextPage('?next=/s/w/w_x')).toBe('/s/w/w_x');
    expect(nextPage('?next=/s/w/w_x/../x')).toBe('/s');
  });

  it('shows a title in the UI language, else the workshop’s first language', () => {
    expect(titleIn({ en: 'Personas', cy: 'Personâu' }, ['en', 'cy'], 'cy')).toBe('Personâu');
    expect(titleIn({ en: 'Personas' }, ['en', 'cy'], 'cy')).toBe('Personas');
    expect(titleIn({ cy: 'Dim ond Cymraeg' }, ['cy'], 'en')).toBe('Dim ond Cymraeg');
  });

  it('writes dates with Welsh month names in Welsh', () => {
    const ms = new Date(2026, 10, 28, 12).getTime();
    expect(formatDay(ms, 'cy')).toBe('28 Tach 2026');
    expect(formatDay(ms, 'en')).toBe('28 Nov 2026');
  });

  it('asks the audit log for whole local days, the next page and only the filters given', () => {
    const none = { action: '' as const, workshop: '', from: '', to: '' };
    expect(auditQuery(none)).toBe('');
    const q = new URLSearchParams(
      auditQuery({ action: 'sign_in_failed', workshop: ' w_abc ', from: '2026-11-27', to: '2026-11-28' }, { before: 42, limit: 100 }).slice(1),
    );
    expect(q.get('action')).toBe('sign_in_failed');
    expect(q.get('workshop')).toBe('w_abc');
    expect(Number(q.get('from'))).toBe(new Date(2026, 10, 27).getTime());
    expect(Number(q.get('to'))).toBe(new Date(2026, 10, 29).getTime()); // the "to" day is included
    expect(q.get('before')).toBe('42');
    expect(q.get('limit')).toBe('100');
    expect(auditQuery({ ...none, from: 'yesterday' })).toBe('');
  });

  it('names every audit action in both languages, and writes times with Welsh months', () => {
    for (const a of AUDIT_ACTIONS) {
      expect(en.auditActions[a]).toBeTruthy();
      expect(cy.auditActions[a]).toBeTruthy();
      expect(cy.auditActions[a]).not.toBe(en.auditActions[a]);
    }
    const ms = new Date(2026, 10, 28, 9, 5).getTime();
    expect(formatWhen(ms, 'cy')).toBe('28 Tach 2026 09:05');
    expect(formatWhen(ms, 'en')).toBe('28 Nov 2026 09:05');
  });
});

describe('comparing workshops', () => {
  it('keeps the chosen workshops in the address, each once', () => {
    expect(comparedIds('?workshops=w_a,w_b,w_a')).toEqual(['w_a', 'w_b']);
    expect(comparedIds('?workshops=w_a%2Cw_c&view=x')).toEqual(['w_a', 'w_c']);
    expect(comparedIds('')).toEqual([]);
    expect(comparedIds('?workshops=')).toEqual([]);
  });
  it('lists each programme once, sorted, without workshops that have none', () => {
    const w = (programme: string | null | undefined) => ({ programme }) as WorkshopListing;
    expect(programmesOf([w('Libraries'), w(null), w('Arts'), w('Libraries'), w(undefined)])).toEqual(['Arts', 'Libraries']);
  });
});
