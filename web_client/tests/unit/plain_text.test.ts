import { describe, expect, it } from 'vitest';
import { cy } from '../../src/i18n/cy';
import { en } from '../../src/i18n/en';
import { COMMENT_MAX, commentToSend } from '../../src/kinds/comment';
import { cleanText, textLength, textProblem, textProblemText } from '../../src/lib/plain_text';

describe('plain text as the server checks it', () => {
  it('counts characters after trimming, up to a given maximum', () => {
    expect(textLength('  ŵ👍🏽 \n')).toBe(3);
    expect(textProblem('x'.repeat(500), 500)).toBeNull();
    expect(textProblem('x'.repeat(501), 500)).toBe('too_long');
    expect(textProblem('abc', 2)).toBe('too_long');
    expect(textProblem(' \n ', 500)).toBe('empty');
    expect(textProblem('<i>no</i>', 500)).toBe('markup');
    expect(textProblem('line\nbreak', 500)).toBeNull();
    expect(textProblem('bell\u0007', 500)).toBe('control');
  });

  it('is trimmed and normalised to NFC, and refuses what could deceive a reader', () => {
    expect(cleanText('\u00a0 Cafe\u0301 \n')).toBe('Caf\u00e9');
    expect(textLength('w\u0302'.repeat(500))).toBe(500);
    expect(textProblem('invoice\u202efdp.exe', 500)).toBe('control');
    expect(textProblem('\u200b\u2060', 500)).toBe('empty');
    expect(textProblem('\u0085', 500)).toBe('control');
    expect(textProblem('\u{10ffff}', 500)).toBe('control');
  });

  it('explains a problem with a note or with any other text', () => {
    expect(textProblemText(en, 'too_long', 280, 'en')).toBe('A note can have at most 280 characters.');
    expect(textProblemText(en, 'too_long', 500, 'en', 'text')).toBe('The text can have at most 500 characters.');
    expect(textProblemText(cy, 'markup', 500, 'cy', 'text')).toBe('Does dim modd cynnwys tagiau HTML (fel <b>) yn y testun.');
  });
});

describe('the comment sent with an answer', () => {
  it('is the trimmed draft, nothing for an empty one, and the stored one while the draft cannot be sent', () => {
    expect(COMMENT_MAX).toBe(500);
    expect(commentToSend('  because  ', 'old')).toBe('because');
    expect(commentToSend('   ', 'old')).toBe('');
    expect(commentToSend('x'.repeat(501), 'old')).toBe('old');
    expect(commentToSend('<b>why</b>', '')).toBe('');
  });
});
