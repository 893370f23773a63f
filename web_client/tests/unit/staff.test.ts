import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../src/lib/routes';
import { formatDay, nextPage, titleIn } from '../../src/lib/staff';

describe('staff pages', () => {
  it('routes /s, /s/login and /s/users, and nothing else under /s', () => {
    expect(parseRoute('/s', '')).toEqual({ name: 'workshops' });
    expect(parseRoute('/s/', '')).toEqual({ name: 'workshops' });
    expect(parseRoute('/s/login', '')).toEqual({ name: 'login' });
    expect(parseRoute('/s/users', '')).toEqual({ name: 'users' });
    expect(parseRoute('/s/other', '')).toEqual({ name: 'not_found' });
    expect(parseRoute('/s/users/x', '')).toEqual({ name: 'not_found' });
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
});
