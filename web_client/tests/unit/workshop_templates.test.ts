// Templates filling the editor's form, and the self-paced fields (mode, dates) of the form model.
import { describe, expect, it } from 'vitest';
import { editorCy as cy } from '../../src/i18n/editor_cy';
import { editorEn as en } from '../../src/i18n/editor_en';
import {
  fieldFor,
  formFields,
  fromLocalInput,
  knownServerProblem,
  newActivity,
  pathInMessage,
  toFile,
  toForm,
  toLocalInput,
  validate,
  type Json,
} from '../../src/lib/workshop_form';
import { errorMessage, pathLabel } from '../../src/lib/workshop_form_text';
import { TEMPLATE_IDS, templateFile } from '../../src/lib/workshop_templates';

const NOW = Date.parse('2026-11-29T10:20:00Z');

describe('templates', () => {
  it.each(TEMPLATE_IDS)('%s fills a form with no problems, in English and Welsh', (id) => {
    const form = toForm(templateFile(id, NOW));
    expect(form.languages).toEqual(['en', 'cy']);
    expect(validate(form)).toEqual([]);
    for (const a of form.activities) {
      expect(a.text.en).toBeTruthy();
      expect(a.text.cy).toBeTruthy();
      for (const e of a.entries) expect([e.label.en, e.label.cy].every(Boolean)).toBe(true);
    }
    expect(en.edTemplateNames[id]).toBeTruthy();
    expect(cy.edTemplateNames[id]).toBeTruthy();
    expect(cy.edTemplateAbout[id]).not.toBe(en.edTemplateAbout[id]);
  });

  it('persona validation: Likert statements, the personas on cards, which the file keeps', () => {
    const form = toForm(templateFile('persona_validation', NOW));
    expect(form.activities.every((a) => a.kind === 'likert')).toBe(true);
    expect(form.mode).toBe('live');
    expect(form.groups.map((g) => g.id)).toEqual(['innovator', 'enabler', 'stakeholder']);
    const file = toFile(form);
    const cards = (file.activities as Json[]).filter((a) => a.card);
    expect(cards.length).toBeGreaterThanOrEqual(3);
    expect((cards[0]!.card as Json).title).toEqual({ en: 'Rosie, learning and development lead', cy: 'Rosie, arweinydd dysgu a datblygu' });
    expect(file.mode).toBeUndefined();
    expect(file.opens_at).toBeUndefined();
  });

  it('focus group: a board, a ranking and open text', () => {
    expect(toForm(templateFile('focus_group', NOW)).activities.map((a) => a.kind)).toEqual(['board', 'ranking', 'open_text']);
  });

  it('the questionnaire is self-paced, from the next hour for two weeks, with no board', () => {
    const file = templateFile('questionnaire', NOW);
    expect(file.mode).toBe('self_paced');
    const opens = Date.parse(file.opens_at as string);
    const closes = Date.parse(file.closes_at as string);
    expect(opens).toBeGreaterThan(NOW);
    expect(opens - NOW).toBeLessThanOrEqual(3_600_000);
    expect(closes - opens).toBeGreaterThanOrEqual(14 * 86_400_000 - 3_600_000); // a clock change in between
    const form = toForm(file);
    expect(form.activities.some((a) => a.kind === 'board')).toBe(false);
    expect(new Set(form.activities.map((a) => a.kind))).toEqual(new Set(['likert', 'choice', 'open_text']));
    // Back to the file: the same instants, as RFC 3339 in UTC.
    const out = toFile(form);
    expect(Date.parse(out.opens_at as string)).toBe(opens);
    expect(out.closes_at).toMatch(/Z$/);
  });

  it('each call is a new copy: editing one form leaves the template as it was', () => {
    const a = templateFile('focus_group', NOW);
    ((a.activities as Json[])[0]!.prompt as Json).en = 'changed';
    expect(((templateFile('focus_group', NOW).activities as Json[])[0]!.prompt as Json).en).not.toBe('changed');
  });
});

describe('self-paced dates', () => {
  const base = (extra: Json = {}): Json => ({
    title: { en: 'Q', cy: 'H' },
    languages: ['en', 'cy'],
    activities: [{ kind: 'likert', statement: { en: 's', cy: 'd' } }],
    ...extra,
  });

  it('local input values and RFC 3339 go both ways', () => {
    const local = toLocalInput('2026-12-01T09:00:00Z');
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromLocalInput(local)).toBe('2026-12-01T09:00:00.000Z');
    expect(toLocalInput('not a date')).toBe('');
    expect(toLocalInput(undefined)).toBe('');
    expect(fromLocalInput('01/12/2026')).toBeNull();
    expect(fromLocalInput('')).toBeNull();
  });

  it('an existing self-paced workshop shows its dates', () => {
    const form = toForm(base({ mode: 'self_paced', opens_at: '2026-12-01T09:00:00Z', closes_at: '2026-12-14T17:00:00+00:00' }));
    expect(form.mode).toBe('self_paced');
    expect(fromLocalInput(form.opensAt)).toBe('2026-12-01T09:00:00.000Z');
    expect(fromLocalInput(form.closesAt)).toBe('2026-12-14T17:00:00.000Z');
    expect(formFields(form).has('$.opens_at')).toBe(true);
  });

  it('both dates are required for a self-paced workshop, in both languages', () => {
    const form = toForm(base());
    form.mode = 'self_paced';
    const problems = validate(form);
    expect(problems).toEqual([
      { path: '$.opens_at', code: 'required' },
      { path: '$.closes_at', code: 'required' },
    ]);
    expect(errorMessage(en, { source: 'form', problem: problems[0]! })).toBe('Fill this in.');
    expect(pathLabel(en, '$.opens_at', ['en', 'cy'])).toBe('Opens');
    expect(pathLabel(cy, '$.closes_at', ['en', 'cy'])).toBe('Yn cau');
  });

  it('closes must be after opens; a date must be a date', () => {
    const form = toForm(base());
    form.mode = 'self_paced';
    form.opensAt = '2026-12-14T17:00';
    form.closesAt = '2026-12-14T17:00';
    expect(validate(form)).toEqual([{ path: '$.closes_at', code: 'closes_before_opens' }]);
    form.closesAt = '2026-12-01T09:00';
    const [p] = validate(form);
    expect(errorMessage(en, { source: 'form', problem: p! })).toBe('Closes must be after opens.');
    expect(errorMessage(cy, { source: 'form', problem: p! })).toBe('Rhaid i’r dyddiad cau fod ar ôl y dyddiad agor.');
    form.closesAt = 'soon';
    expect(validate(form)).toEqual([{ path: '$.closes_at', code: 'date' }]);
    form.closesAt = '2026-12-15T09:00';
    expect(validate(form)).toEqual([]);
  });

  it('a live workshop sends no dates, even when some were typed', () => {
    const form = toForm(base());
    form.opensAt = '2026-12-01T09:00';
    expect(validate(form)).toEqual([]);
    const file = toFile(form);
    expect(file.opens_at).toBeUndefined();
    expect(file.mode).toBeUndefined();
    // A file that said "live" keeps saying it.
    expect(toFile(toForm(base({ mode: 'live' }))).mode).toBe('live');
  });

  it('a board in a self-paced workshop is a problem on its activity', () => {
    const form = toForm(base({ mode: 'self_paced', opens_at: '2026-12-01T09:00:00Z', closes_at: '2026-12-14T17:00:00Z' }));
    const board = newActivity('board');
    board.text = { en: 'p', cy: 'p' };
    form.activities.push(board);
    expect(validate(form)).toEqual([{ path: '$.activities[1].kind', code: 'board_self_paced' }]);
    expect(fieldFor('$.activities[1].kind', formFields(form))).toBe('$.activities[1]');
    expect(errorMessage(cy, { source: 'form', problem: { path: '$.activities[1].kind', code: 'board_self_paced' } })).toMatch(/^Mae angen gweithdy byw/);
  });

  it("the server's self-paced errors become the form's, on their field", () => {
    expect(pathInMessage('$.closes_at: must be after opens_at')).toBe('$.closes_at');
    expect(pathInMessage('$.activities[2].kind: a board needs a live workshop')).toBe('$.activities[2].kind');
    expect(pathInMessage('no path here')).toBeNull();
    expect(knownServerProblem('$.closes_at', '$.closes_at: must be after opens_at')).toEqual({ path: '$.closes_at', code: 'closes_before_opens' });
    expect(knownServerProblem('$.opens_at', '$.opens_at: a self-paced workshop needs it')).toEqual({ path: '$.opens_at', code: 'required' });
    expect(knownServerProblem('$.activities[2].kind', '$.activities[2].kind: a board needs a live workshop')).toEqual({
      path: '$.activities[2].kind',
      code: 'board_self_paced',
    });
    expect(knownServerProblem('$.title.en', '$.title.en: must be at most 200 characters')).toBeNull();
  });

  it('the programme is kept, trimmed, and at most 100 characters', () => {
    const form = toForm(base({ programme: 'Libraries 2026' }));
    expect(form.programme).toBe('Libraries 2026');
    form.programme = '  Care 2026 ';
    expect(toFile(form).programme).toBe('Care 2026');
    form.programme = '';
    expect(toFile(form).programme).toBeUndefined();
    form.programme = 'x'.repeat(101);
    expect(validate(form)).toEqual([{ path: '$.programme', code: 'too_long', max: 100 }]);
  });
});
