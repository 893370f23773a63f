import { describe, expect, it } from 'vitest';
import { editorCy as cy } from '../../src/i18n/editor_cy';
import { editorEn as en } from '../../src/i18n/editor_en';
import {
  answeredOf,
  emptyForm,
  fieldFor,
  fieldId,
  formFields,
  move,
  serverErrorPath,
  newActivity,
  newEntry,
  toFile,
  toForm,
  validate,
  type Json,
} from '../../src/lib/workshop_form';
import { errorMessage, pathLabel } from '../../src/lib/workshop_form_text';
import { parseRoute } from '../../src/lib/routes';
import { nextPage } from '../../src/lib/staff';

/** A file with every field the format has, including those the form does not show. */
const full: Json = {
  title: { en: 'Persona validation', cy: 'Dilysu personas' },
  languages: ['en', 'cy'],
  groups: [
    { id: 'innovator', label: { en: 'Innovator', cy: 'Arloeswr' }, target: 12 },
    { id: 'enabler', label: { en: 'Enabler', cy: 'Galluogwr' } },
  ],
  consent: { required: true, text: { en: 'I agree', cy: 'Cytunaf' }, info_url: 'https://example.org/info' },
  min_cell: 5,
  retention_days: 30,
  keep_aggregates: true,
  activities: [
    {
      id: 'a_1',
      kind: 'likert',
      statement: { en: 'Useful', cy: 'Defnyddiol' },
      scale: 7,
      results: 'on_reveal',
      comment: { prompt: { en: 'Why?', cy: 'Pam?' } },
      card: { title: { en: 'Ann', cy: 'Ann' }, body: { en: 'A nurse', cy: 'Nyrs' }, image: 'img_abcdef', alt: { en: 'Ann smiling', cy: 'Ann yn gwenu' } },
    },
    {
      id: 'a_2',
      kind: 'likert',
      statement: { en: 'Custom', cy: 'Arbennig' },
      scale: { points: 3, labels: { en: ['No', 'Maybe', 'Yes'], cy: ['Na', 'Efallai', 'Ie'] } },
    },
    {
      id: 'a_3',
      kind: 'choice',
      question: { en: 'Which?', cy: 'Pa un?' },
      options: [
        { id: 'a', label: { en: 'A', cy: 'A' } },
        { id: 'b', label: { en: 'B', cy: 'B' } },
        { id: 'c', label: { en: 'C', cy: 'C' } },
      ],
      max: 2,
      results: 'hidden',
    },
    {
      id: 'a_4',
      kind: 'ranking',
      question: { en: 'Order', cy: 'Trefn' },
      items: [
        { id: 'x', label: { en: 'X', cy: 'X' } },
        { id: 'y', label: { en: 'Y', cy: 'Y' } },
        { id: 'z', label: { en: 'Z', cy: 'Z' } },
      ],
      results: 'live',
    },
    { id: 'a_5', kind: 'open_text', question: { en: 'Say', cy: 'Dywedwch' }, max_length: 280 },
    {
      id: 'a_6',
      kind: 'board',
      prompt: { en: 'Ideas', cy: 'Syniadau' },
      columns: [{ id: 'value', title: { en: 'Value', cy: 'Gwerth' } }],
      dots_per_person: 3,
      dots_per_note: 2,
      dot_totals: 'on_reveal',
      hidden_until_reveal: true,
    },
  ],
};

describe('workshop file ⇄ form', () => {
  it('gives back every field of a file unchanged, cards and custom scales included', () => {
    expect(toFile(toForm(structuredClone(full)))).toEqual(full);
  });

  it('drops `answered` and lists it apart', () => {
    const file = { ...structuredClone(full), answered: ['a_1', 'a_3'] };
    const form = toForm(file);
    expect(toFile(form)).toEqual(full);
    expect([...answeredOf(file)]).toEqual(['a_1', 'a_3']);
  });

  it('keeps an activity’s id and card when its texts change and the list is reordered', () => {
    const form = toForm(structuredClone(full));
    form.activities[0]!.text.cy = 'Defnyddiol iawn';
    form.activities = move(form.activities, 0, 1);
    const out = toFile(form) as { activities: Json[] };
    expect(out.activities[1]).toMatchObject({ id: 'a_1', statement: { en: 'Useful', cy: 'Defnyddiol iawn' }, card: (full.activities as Json[])[0]!.card });
    expect(out.activities[0]!.id).toBe('a_2');
  });

  it('a new activity has no id; a removed one is left out', () => {
    const form = toForm(structuredClone(full));
    form.activities.splice(4, 2);
    const added = newActivity('open_text');
    added.text = { en: 'New', cy: 'Newydd' };
    form.activities.push(added);
    const out = toFile(form) as { activities: Json[] };
    expect(out.activities.map((a) => a.id)).toEqual(['a_1', 'a_2', 'a_3', 'a_4', undefined]);
    expect(out.activities[4]).toEqual({ kind: 'open_text', question: { en: 'New', cy: 'Newydd' } });
  });

  it('makes the file the server expects from the empty form', () => {
    const form = emptyForm();
    form.title = { en: 'T', cy: 'T cy' };
    form.activities[0]!.text = { en: 'S', cy: 'S cy' };
    const choice = newActivity('choice');
    choice.text = { en: 'Q', cy: 'Q cy' };
    choice.entries.forEach((e, i) => ((e.id = `o${i}`), (e.label = { en: `O${i}`, cy: `O${i} cy` })));
    form.activities.push(choice);
    expect(validate(form)).toEqual([]);
    expect(toFile(form)).toEqual({
      title: { en: 'T', cy: 'T cy' },
      languages: ['en', 'cy'],
      activities: [
        { kind: 'likert', statement: { en: 'S', cy: 'S cy' } },
        {
          kind: 'choice',
          question: { en: 'Q', cy: 'Q cy' },
          options: [
            { id: 'o0', label: { en: 'O0', cy: 'O0 cy' } },
            { id: 'o1', label: { en: 'O1', cy: 'O1 cy' } },
          ],
        },
      ],
    });
  });

  it('sends texts of the workshop’s languages only, and consent, groups and retention as edited', () => {
    const form = toForm(structuredClone(full));
    form.languages = ['cy'];
    form.consent = false;
    form.groups = form.groups.slice(1);
    form.groups[0]!.target = '4';
    form.retentionDays = '';
    form.keepAggregates = false;
    const out = toFile(form) as Json & { activities: Json[] };
    expect(out.title).toEqual({ cy: 'Dilysu personas' });
    expect(out.consent).toBeUndefined();
    expect(out.groups).toEqual([{ id: 'enabler', label: { cy: 'Galluogwr' }, target: 4 }]);
    expect(out.retention_days).toBeUndefined();
    expect(out.keep_aggregates).toBe(false);
    expect(out.activities[0]!.statement).toEqual({ cy: 'Defnyddiol' });
  });
});

describe('validation', () => {
  const valid = () => toForm(structuredClone(full));
  const paths = (f: ReturnType<typeof toForm>) => validate(f).map((p) => `${p.path} ${p.code}`);

  it('finds nothing wrong in a valid file', () => {
    expect(validate(valid())).toEqual([]);
  });

  it('asks for every text in every language, by the path the server uses', () => {
    const f = valid();
    f.title.cy = '';
    f.activities[0]!.text.cy = '  ';
    f.activities[2]!.entries[1]!.label.en = '';
    f.activities[5]!.entries[0]!.label.cy = '';
    f.activities[0]!.commentPrompt.en = '';
    expect(paths(f)).toEqual([
      '$.title.cy required',
      '$.activities[0].statement.cy required',
      '$.activities[0].comment.prompt.en required',
      '$.activities[2].options[1].label.en required',
      '$.activities[5].columns[0].title.cy required',
    ]);
  });

  it('counts lengths in code points, with the server’s limits', () => {
    const f = valid();
    f.title.en = '😀'.repeat(200);
    expect(validate(f)).toEqual([]);
    f.title.en = '😀'.repeat(201);
    f.activities[0]!.text.en = 'x'.repeat(1001);
    f.groups[0]!.label.en = 'x'.repeat(101);
    f.activities[2]!.entries[0]!.label.en = 'x'.repeat(201);
    f.consentText.en = 'x'.repeat(10_001);
    expect(validate(f)).toEqual([
      { path: '$.title.en', code: 'too_long', max: 200 },
      { path: '$.groups[0].label.en', code: 'too_long', max: 100 },
      { path: '$.consent.text.en', code: 'too_long', max: 10_000 },
      { path: '$.activities[0].statement.en', code: 'too_long', max: 1000 },
      { path: '$.activities[2].options[0].label.en', code: 'too_long', max: 200 },
    ]);
  });

  it('checks ids: their characters, length and uniqueness', () => {
    const f = valid();
    f.groups[0]!.id = 'Innovator';
    f.groups[1]!.id = '';
    f.activities[2]!.entries[1]!.id = 'a';
    f.activities[3]!.entries[0]!.id = 'has space';
    f.activities[5]!.entries[0]!.id = 'x'.repeat(33);
    f.activities[2]!.entries[2]!.id = 'C_ok-9';
    expect(paths(f)).toEqual([
      '$.groups[0].id slug',
      '$.groups[1].id required',
      '$.activities[2].options[1].id duplicate',
      '$.activities[3].items[0].id option_id',
      '$.activities[5].columns[0].id slug',
    ]);
  });

  it('checks counts and ranges', () => {
    const f = valid();
    f.activities[2]!.entries = [newEntry()];
    f.activities[2]!.entries[0]! = { key: 1, id: 'a', label: { en: 'A', cy: 'A' } };
    f.activities[2]!.max = '2';
    f.activities[3]!.entries.pop();
    f.activities[4]!.maxLength = '501';
    f.activities[5]!.dotsPerPerson = '21';
    f.minCell = '0';
    f.retentionDays = '36501';
    f.groups[0]!.target = '1.5';
    expect(paths(f)).toEqual([
      '$.groups[0].target range',
      '$.min_cell range',
      '$.retention_days range',
      '$.activities[2].options count',
      '$.activities[2].max range',
      '$.activities[3].items count',
      '$.activities[4].max_length range',
      '$.activities[5].dots_per_person range',
    ]);
    const g = valid();
    g.activities[5]!.dotsPerNote = '4';
    expect(validate(g)).toEqual([{ path: '$.activities[5].dots_per_note', code: 'more_than_dots', max: 3 }]);
    g.activities = [];
    expect(paths(g)).toEqual(['$.activities count']);
  });

  it('checks the information link and consent text', () => {
    const f = valid();
    f.infoUrl = 'example.org';
    f.consentText = {};
    expect(paths(f)).toEqual(['$.consent.text.en required', '$.consent.text.cy required', '$.consent.info_url url']);
    f.consentRequired = false;
    f.infoUrl = 'http://example.org';
    expect(paths(f)).toEqual([]);
  });
});

describe('server errors and the fields they belong to', () => {
  const form = toForm(structuredClone(full));
  const fields = formFields(form);

  it('puts a path on its own field, else on the nearest field that holds it', () => {
    expect(fieldFor('$.activities[1].statement.cy', fields)).toBe('$.activities[1].statement.cy');
    expect(fieldFor('$.activities[0].scale', fields)).toBe('$.activities[0].scale');
    expect(fieldFor('$.activities[0].kind', fields)).toBe('$.activities[0]');
    expect(fieldFor('$.activities[0].card.image', fields)).toBe('$.activities[0]');
    expect(fieldFor('$.activities[2].options[1].id', fields)).toBe('$.activities[2].options[1].id');
    expect(fieldFor('$.activities', fields)).toBe('$.activities');
    expect(fieldFor('$.groups', fields)).toBe('$.groups');
    expect(fieldFor('$.colour', fields)).toBeNull();
    expect(fieldFor('$', fields)).toBeNull();
  });

  it('puts a refused scale on the Likert’s points or on the list of ids', () => {
    const at = (path: string) => fieldFor(serverErrorPath(form, { path, problem: 'answered_scale' }), fields);
    expect(at('$.activities[0]')).toBe('$.activities[0].scale');
    expect(at('$.activities[1]')).toBe('$.activities[1]'); // a custom scale has no field
    expect(at('$.activities[2]')).toBe('$.activities[2].options');
    expect(at('$.activities[3]')).toBe('$.activities[3].items');
    expect(at('$.activities[5]')).toBe('$.activities[5].columns');
    expect(fieldFor(serverErrorPath(form, { path: '$.activities[0]', problem: 'answered_kind' }), fields)).toBe('$.activities[0]');
  });

  it('names DOM ids after paths', () => {
    expect(fieldId('$.activities[1].statement.cy')).toBe('f-activities-1-statement-cy');
    expect(fieldId('$.title.en')).toBe('f-title-en');
  });

  it('says what is wrong in English and in Welsh, never in the server’s words alone', () => {
    const scale = { source: 'server', path: '$.activities[0].scale', problem: 'answered_scale' } as const;
    expect(errorMessage(en, scale)).toMatch(/has answers/);
    expect(errorMessage(cy, scale)).toMatch(/atebion/);
    const other = { source: 'server', path: '$.activities[0].card.image' } as const;
    expect(errorMessage(en, other)).toBe('The server refused this field ($.activities[0].card.image).');
    expect(errorMessage(cy, other)).toBe('Gwrthododd y gweinydd y maes hwn ($.activities[0].card.image).');
    for (const problem of ['answered_kind', 'answered_removed', 'current_removed', 'group_in_use']) {
      expect(errorMessage(cy, { source: 'server', path: '$', problem })).not.toBe(errorMessage(en, { source: 'server', path: '$', problem }));
    }
    expect(errorMessage(cy, { source: 'form', problem: { path: '$.title.cy', code: 'required' } })).toBe('Llenwch hwn.');
  });

  it('names fields for the summary', () => {
    const langs = ['en', 'cy'];
    expect(pathLabel(en, '$.activities[1].statement.cy', langs)).toBe('Activity 2: Statement (Welsh)');
    expect(pathLabel(cy, '$.activities[1].statement.cy', langs)).toBe('Gweithgaredd 2: Datganiad (Cymraeg)');
    expect(pathLabel(en, '$.title.en', langs)).toBe('Title (English)');
    expect(pathLabel(en, '$.groups[0].id', langs)).toBe('Group 1: Id');
    expect(pathLabel(en, '$.activities[2].options[1].label.cy', langs)).toBe('Activity 3: Option 2: Label (Welsh)');
    expect(pathLabel(en, '$.activities[5].columns[0].title.en', langs)).toBe('Activity 6: Column 1: Title (English)');
    expect(pathLabel(en, '$.activities[0].comment.prompt.en', langs)).toBe('Activity 1: Comment prompt (English)');
  });
});

describe('editor routes', () => {
  it('routes /s/new and /s/w/{id}/edit', () => {
    expect(parseRoute('/s/new', '')).toEqual({ name: 'editor', workshop: null });
    expect(parseRoute('/s/w/w_abc/edit', '')).toEqual({ name: 'editor', workshop: 'w_abc' });
    expect(parseRoute('/s/w/w_abc/other', '')).toEqual({ name: 'not_found' });
    // Back to the editor after signing in.
    expect(nextPage('?next=/s/new')).toBe('/s/new');
    expect(nextPage('?next=/s/w/w_abc/edit')).toBe('/s/w/w_abc/edit');
    expect(nextPage('?next=/s/w/w_abc/edit/x')).toBe('/s');
  });
});
