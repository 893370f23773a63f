import { describe, expect, it } from 'vitest';
import { links, normaliseCode, parseRoute } from '../../src/lib/routes';
import { allLanguages, pick, pickLabels } from '../../src/lib/text';
// The e2e harness's parser of the server's start-up output (plain JS, shared with CI scripts).
import { isComplete, parseServerOutput } from '../e2e/server_output.mjs';

describe('routes', () => {
  it('parses the four links people share', () => {
    expect(parseRoute('/', '')).toEqual({ name: 'join', code: null });
    expect(parseRoute('/j/482913', '')).toEqual({ name: 'participant', code: '482913' });
    expect(parseRoute('/f/w_abc', '#tok-1')).toEqual({ name: 'facilitator', workshop: 'w_abc', token: 'tok-1' });
    expect(parseRoute('/p/w_abc', '#tok-2')).toEqual({ name: 'presenter', workshop: 'w_abc', token: 'tok-2' });
    expect(parseRoute('/f', '')).toEqual({ name: 'create' });
    expect(parseRoute('/f/', '')).toEqual({ name: 'create' });
  });

  it('sends a malformed code back to the join page with what was typed', () => {
    expect(parseRoute('/j/12', '')).toEqual({ name: 'join', code: '12' });
    expect(parseRoute('/nope', '')).toEqual({ name: 'not_found' });
  });

  it('keeps tokens in the fragment of the links it makes', () => {
    expect(links.facilitator('https://c.example', 'w_1', 'a b')).toBe('https://c.example/f/w_1#a%20b');
    expect(links.join('https://c.example', '482913')).toBe('https://c.example/j/482913');
    expect(links.qr('https://c.example/j/482913')).toBe('/qr.svg?data=https%3A%2F%2Fc.example%2Fj%2F482913');
    expect(normaliseCode(' 482 913 ')).toBe('482913');
  });
});

describe('picking the language of workshop texts', () => {
  const text = { en: 'Hello', cy: 'Shwmae' };
  it('uses the chosen language, else the first listed, and says which it used', () => {
    expect(pick(text, 'cy', ['en', 'cy'])).toEqual({ text: 'Shwmae', lang: 'cy' });
    expect(pick({ en: 'Hello' }, 'cy', ['en', 'cy'])).toEqual({ text: 'Hello', lang: 'en' });
    expect(pick({ en: 'Hello', cy: '  ' }, 'cy', ['en'])).toEqual({ text: 'Hello', lang: 'en' });
    expect(pick(undefined, 'en')).toEqual({ text: '', lang: 'en' });
  });

  it('lists every language once for the projector', () => {
    expect(allLanguages(text, ['en', 'cy']).map((p) => p.lang)).toEqual(['en', 'cy']);
    expect(allLanguages({ en: 'Same', cy: 'Same' }, ['en', 'cy'])).toHaveLength(1);
  });

  it('takes scale labels only when they cover every point', () => {
    expect(pickLabels({ en: ['a', 'b', 'c'], cy: ['x'] }, 3, 'cy', ['en'])).toEqual({ labels: ['a', 'b', 'c'], lang: 'en' });
    expect(pickLabels(undefined, 3, 'en')).toBeNull();
  });
});

describe('server start-up output', () => {
  const out = `listening on http://127.0.0.1:37383
workshop: w_ryba7bn8z5if
  code: 655613
  participants join at: http://127.0.0.1:37383/j/655613
  facilitator token: aC5RSs5ru0mMfRxlWdFX8WD-1u2vWrXviJslZr1YOHg
  facilitator link: http://127.0.0.1:37383/f/w_ryba7bn8z5if#aC5RSs5ru0mMfRxlWdFX8WD-1u2vWrXviJslZr1YOHg
  presenter token: G_PouM-9H1G2JsrAC6utvJ-MHfGFCFpw3U-VJpF035Y
`;
  it('finds the address and each workshop with its code and tokens', () => {
    const p = parseServerOutput(out);
    expect(p.baseUrl).toBe('http://127.0.0.1:37383');
    expect(p.workshops).toEqual([
      {
        id: 'w_ryba7bn8z5if',
        code: '655613',
        facilitatorToken: 'aC5RSs5ru0mMfRxlWdFX8WD-1u2vWrXviJslZr1YOHg',
        presenterToken: 'G_PouM-9H1G2JsrAC6utvJ-MHfGFCFpw3U-VJpF035Y',
      },
    ]);
    expect(isComplete(p, 1)).toBe(true);
    expect(isComplete(parseServerOutput(out.split('\n').slice(0, 3).join('\n')), 1)).toBe(false);
  });
});
