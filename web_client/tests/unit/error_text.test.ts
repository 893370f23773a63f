import { describe, expect, it } from 'vitest';
import { cy } from '../../src/i18n/cy';
import { en } from '../../src/i18n/en';
import { errorText } from '../../src/lib/error_text';

const codes = [
  'bad_json',
  'bad_request',
  'unknown_type',
  'not_allowed',
  'not_found',
  'closed',
  'conflict',
  'rate_limited',
  'too_large',
  'version',
  'server_error',
  'unauthorized',
  'a_code_from_a_newer_server',
];

describe('refusals in the UI language', () => {
  it('gives every error code a sentence in English and in Welsh, never the server’s message', () => {
    for (const code of codes) {
      const english = errorText(en, code);
      const welsh = errorText(cy, code);
      expect(english.length, code).toBeGreaterThan(10);
      expect(welsh.length, code).toBeGreaterThan(10);
      expect(welsh, code).not.toEqual(english);
      expect(english, code).not.toMatch(/_/); // not a code or a server's field name
    }
  });

  it('tells a closed activity from a refusal and from a server failure', () => {
    expect(errorText(en, 'closed')).toBe('This activity is closed now.');
    expect(errorText(cy, 'closed')).toBe("Mae'r gweithgaredd hwn ar gau nawr.");
    expect(errorText(en, 'not_allowed')).not.toEqual(errorText(en, 'server_error'));
    expect(errorText(en, 'rate_limited')).toContain('wait');
  });
});
