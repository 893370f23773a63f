// The workshops the editor offers to start from (/s/new), in English and Welsh: the kinds of
// session of a research programme like the one in docs (persona validation, focus groups, a
// questionnaire people answer at their own pace). Each is a workshop file (docs/protocol.md,
// "Workshop file") that fills the form; the researcher edits it before saving. Pure, and only
// in the staff editor's chunk (a phone never downloads it).
import type { Json } from './workshop_form';

export type TemplateId = 'persona_validation' | 'focus_group' | 'questionnaire';
export const TEMPLATE_IDS: readonly TemplateId[] = ['persona_validation', 'focus_group', 'questionnaire'];

const GROUPS = [
  { id: 'innovator', label: { en: 'Innovator', cy: 'Arloeswr' }, target: 12 },
  { id: 'enabler', label: { en: 'Enabler', cy: 'Galluogwr' }, target: 12 },
  { id: 'stakeholder', label: { en: 'Stakeholder', cy: 'Rhanddeiliad' }, target: 10 },
];

const CONSENT = {
  required: true,
  text: {
    en: 'This session is part of a research study. Your answers are stored without your name and reported only as group totals. Taking part is voluntary: you can stop at any time.',
    cy: "Mae'r sesiwn hon yn rhan o astudiaeth ymchwil. Caiff eich atebion eu cadw heb eich enw a'u hadrodd fel cyfansymiau grŵp yn unig. Mae cymryd rhan yn wirfoddol: gallwch roi'r gorau iddi ar unrhyw adeg.",
  },
};

const WHY = {
  en: 'Why? What would bring it closer to your experience? (optional)',
  cy: "Pam? Beth fyddai'n dod ag ef yn nes at eich profiad chi? (dewisol)",
};

/** A Likert statement about one persona, with the persona's card beside it. */
function persona(name: string, role: { en: string; cy: string }, about: { en: string; cy: string }): Json {
  return {
    kind: 'likert',
    statement: {
      en: `${name} (${role.en}): this persona reflects my experience of innovation in Wales.`,
      cy: `${name} (${role.cy}): mae'r persona hwn yn adlewyrchu fy mhrofiad o arloesi yng Nghymru.`,
    },
    scale: 5,
    comment: { prompt: WHY },
    card: { title: { en: `${name}, ${role.en}`, cy: `${name}, ${role.cy}` }, body: about },
  };
}

const PROFILES = {
  kind: 'choice',
  question: { en: 'Which innovation profile is most like you?', cy: 'Pa broffil arloesi sydd fwyaf tebyg i chi?' },
  options: [
    { id: 'problem_solver', label: { en: 'Problem solver', cy: 'Datryswr problemau' } },
    { id: 'cross_pollinator', label: { en: 'Cross-pollinator', cy: 'Croesbeillydd' } },
    { id: 'connector', label: { en: 'Connector', cy: 'Cysylltydd' } },
    { id: 'visionary', label: { en: 'Visionary', cy: 'Gweledydd' } },
    { id: 'experimenter', label: { en: 'Experimenter', cy: 'Arbrofwr' } },
    { id: 'people_powered', label: { en: 'People-powered', cy: "Wedi'i bweru gan bobl" } },
  ],
};

function personaValidation(): Json {
  return {
    title: { en: 'Persona validation', cy: 'Dilysu personas' },
    languages: ['en', 'cy'],
    groups: GROUPS,
    consent: CONSENT,
    activities: [
      {
        kind: 'likert',
        statement: { en: 'I would like to use these personas in my work.', cy: "Hoffwn ddefnyddio'r personas hyn yn fy ngwaith." },
        scale: 5,
        results: 'on_reveal',
      },
      {
        kind: 'likert',
        statement: {
          en: 'These personas are useful to the wider health and social care system.',
          cy: "Mae'r personas hyn yn ddefnyddiol i'r system iechyd a gofal cymdeithasol ehangach.",
        },
        scale: 5,
        results: 'on_reveal',
      },
      persona(
        'Rosie',
        { en: 'learning and development lead', cy: 'arweinydd dysgu a datblygu' },
        {
          en: 'Rosie is an innovator. Challenge areas: metrics and requirements. In brief: funding comes in short pilots that leave out the people with the greatest need.',
          cy: "Mae Rosie yn arloeswr. Meysydd her: metrigau a gofynion. Yn gryno: daw cyllid mewn cynlluniau peilot byr sy'n gadael allan y bobl sydd â'r angen mwyaf.",
        },
      ),
      persona(
        'Megan',
        { en: 'registered manager', cy: 'rheolwr cofrestredig' },
        {
          en: 'Megan is a stakeholder. Challenge areas: sector unity and value. In brief: think in whole systems, not in silos.',
          cy: 'Mae Megan yn rhanddeiliad. Meysydd her: undod y sector a gwerth. Yn gryno: meddyliwch mewn systemau cyfan, nid mewn seilos.',
        },
      ),
      persona(
        'Alun',
        { en: 'director', cy: 'cyfarwyddwr' },
        {
          en: 'Alun is an enabler. Challenge area: leadership and culture. In brief: we train people to manage, not to lead.',
          cy: "Mae Alun yn alluogwr. Maes her: arweinyddiaeth a diwylliant. Yn gryno: rydym yn hyfforddi pobl i reoli, nid i arwain.",
        },
      ),
    ],
  };
}

function focusGroup(): Json {
  return {
    title: { en: 'Focus group', cy: 'Grŵp ffocws' },
    languages: ['en', 'cy'],
    groups: GROUPS,
    consent: CONSENT,
    activities: [
      {
        kind: 'board',
        prompt: { en: 'What gets in the way of innovation in your work?', cy: "Beth sy'n rhwystro arloesi yn eich gwaith?" },
        columns: [
          { id: 'value', title: { en: 'Value', cy: 'Gwerth' } },
          { id: 'risk', title: { en: 'Risk', cy: 'Risg' } },
          { id: 'metrics', title: { en: 'Metrics', cy: 'Metrigau' } },
          { id: 'leadership', title: { en: 'Leadership and culture', cy: 'Arweinyddiaeth a diwylliant' } },
          { id: 'unity', title: { en: 'Sector unity', cy: 'Undod y sector' } },
          { id: 'requirements', title: { en: 'Requirements', cy: 'Gofynion' } },
        ],
        dots_per_person: 3,
        hidden_until_reveal: true,
      },
      {
        kind: 'ranking',
        question: { en: 'Which action area should come first?', cy: 'Pa faes gweithredu ddylai ddod gyntaf?' },
        items: [
          { id: 'convene', label: { en: 'Convening people', cy: 'Dod â phobl ynghyd' } },
          { id: 'platform', label: { en: 'A shared platform for ideas', cy: 'Platfform a rennir ar gyfer syniadau' } },
          { id: 'embed', label: { en: 'Embedding innovation in practice and contracts', cy: 'Ymgorffori arloesi mewn ymarfer a chontractau' } },
        ],
        results: 'on_reveal',
      },
      {
        kind: 'open_text',
        question: { en: 'What one thing would help you most?', cy: "Pa un peth fyddai'n eich helpu fwyaf?" },
        max_length: 500,
      },
    ],
  };
}

/** The next whole hour after `now`, and two weeks after it (the questionnaire's window). */
function windowFrom(now: number): { opens_at: string; closes_at: string } {
  const opens = new Date(now);
  opens.setMinutes(0, 0, 0);
  opens.setHours(opens.getHours() + 1);
  const closes = new Date(opens);
  closes.setDate(closes.getDate() + 14);
  return { opens_at: opens.toISOString(), closes_at: closes.toISOString() };
}

function questionnaire(now: number): Json {
  return {
    title: { en: 'Innovation questionnaire', cy: 'Holiadur arloesi' },
    languages: ['en', 'cy'],
    mode: 'self_paced',
    ...windowFrom(now),
    groups: GROUPS,
    consent: CONSENT,
    activities: [
      {
        kind: 'likert',
        statement: {
          en: 'I feel confident trying new ways of working.',
          cy: "Rwy'n teimlo'n hyderus wrth roi cynnig ar ffyrdd newydd o weithio.",
        },
        scale: 5,
      },
      {
        kind: 'likert',
        statement: {
          en: 'My organisation supports me to try new ideas.',
          cy: "Mae fy sefydliad yn fy nghefnogi i roi cynnig ar syniadau newydd.",
        },
        scale: 5,
      },
      PROFILES,
      {
        kind: 'open_text',
        question: { en: 'What would help you to innovate?', cy: "Beth fyddai'n eich helpu i arloesi?" },
        max_length: 500,
      },
    ],
  };
}

/** The workshop file of a template; `now` (ms) places a questionnaire's dates. A new copy each call. */
export function templateFile(id: TemplateId, now: number = Date.now()): Json {
  const file = id === 'persona_validation' ? personaValidation() : id === 'focus_group' ? focusGroup() : questionnaire(now);
  return structuredClone(file);
}
