// The workshop editor's model: a workshop file (docs/protocol.md, "Workshop file") as a form a
// person edits, and back. Pure: no DOM, no requests. Every field the form does not show (cards,
// custom scales, keys of a newer file) rides along untouched in `raw`, so an edit keeps it.
// Validation mirrors shared/protocol/workshop_file.cpp (limits in workshop_file.hpp), except
// that every text is asked for in every workshop language (the server lets the others fall
// back to the first one). Problems are named by the JSON path the server would use, so the
// server's errors land on the same fields.

export type Json = Record<string, unknown>;
export type Texts = Record<string, string>;
export type ActivityKind = 'likert' | 'choice' | 'ranking' | 'open_text' | 'board';
export type Visibility = 'live' | 'on_reveal' | 'hidden';
/** How a workshop runs: facilitated live, or answered at people's own pace between two dates. */
export type WorkshopMode = 'live' | 'self_paced';

export const ACTIVITY_KINDS: readonly ActivityKind[] = ['likert', 'choice', 'ranking', 'open_text', 'board'];
/** The language lists the form offers (at least one; the first is the main language). */
export const LANGUAGE_SETS: readonly (readonly string[])[] = [['en'], ['cy'], ['en', 'cy'], ['cy', 'en']];

export const LIMITS = {
  activities: 500,
  groups: 50,
  title: 200,
  label: 100, // group labels, column titles
  statement: 1000, // statements, questions, prompts
  consent: 10_000,
  infoUrl: 2000,
  slug: 32, // group and column ids
  optionId: 64,
  short: 200, // option and item labels, comment prompts
  target: 1_000_000,
  minCell: 100,
  retentionDays: 36_500,
  choiceOptions: [2, 12],
  rankingItems: [3, 10],
  openTextLength: 500,
  columns: 12,
  dots: 20,
  programme: 100,
} as const;

/** An id with a stable key for Svelte's keyed each blocks. */
export interface Entry {
  key: number;
  id: string;
  label: Texts;
}

export interface GroupForm extends Entry {
  target: string;
}

export interface ActivityForm {
  key: number;
  /** The server's id ("a_…") of an activity that exists; absent for a new one. */
  id?: string;
  kind: ActivityKind;
  /** The activity as loaded: fields the form does not show are sent back from here. */
  raw: Json;
  /** Statement (likert), question (choice, ranking, open_text) or prompt (board). */
  text: Texts;
  /** 5 or 7; null for a custom scale ({points, labels}) kept as it is. */
  points: 5 | 7 | null;
  results: Visibility;
  comment: boolean;
  commentPrompt: Texts;
  /** Options (choice), items (ranking) or columns (board). */
  entries: Entry[];
  max: string;
  maxLength: string;
  dotsPerPerson: string;
  dotsPerNote: string;
  dotTotals: 'live' | 'on_reveal';
  hiddenUntilReveal: boolean;
}

export interface WorkshopForm {
  raw: Json;
  languages: string[];
  title: Texts;
  groups: GroupForm[];
  consent: boolean; // has a consent block
  consentRequired: boolean;
  consentText: Texts;
  infoUrl: string;
  minCell: string;
  retentionDays: string;
  keepAggregates: boolean;
  /** The programme of research (a tag its workshops share); '' for none. */
  programme: string;
  mode: WorkshopMode;
  /** The self-paced window as a datetime-local value ("2026-12-01T09:00", local time); '' when not set. */
  opensAt: string;
  closesAt: string;
  activities: ActivityForm[];
}

let nextKey = 1;
const key = () => nextKey++;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const texts = (v: unknown): Texts =>
  isObject(v) ? Object.fromEntries(Object.entries(v).filter(([, s]) => typeof s === 'string')) as Texts : {};
const numText = (v: unknown, fallback = ''): string => (typeof v === 'number' ? String(v) : fallback);
const visibility = (v: unknown): Visibility => (v === 'on_reveal' || v === 'hidden' ? v : 'live');

/** The list of options/items/columns of an activity as loaded. */
function entriesOf(a: Json, listKey: string, labelKey: string): Entry[] {
  const list = Array.isArray(a[listKey]) ? (a[listKey] as unknown[]) : [];
  return list.filter(isObject).map((o) => ({ key: key(), id: String(o.id ?? ''), label: texts(o[labelKey]) }));
}

/** The JSON key of an activity's main text, and of its entries and their labels. */
export function textKey(kind: ActivityKind): 'statement' | 'question' | 'prompt' {
  return kind === 'likert' ? 'statement' : kind === 'board' ? 'prompt' : 'question';
}
export function entriesKey(kind: ActivityKind): { list: 'options' | 'items' | 'columns'; label: 'label' | 'title' } | null {
  if (kind === 'choice') return { list: 'options', label: 'label' };
  if (kind === 'ranking') return { list: 'items', label: 'label' };
  if (kind === 'board') return { list: 'columns', label: 'title' };
  return null;
}

export function newEntry(): Entry {
  return { key: key(), id: '', label: {} };
}

/** A new activity of a kind, with the server's defaults and the fewest entries it needs. */
export function newActivity(kind: ActivityKind): ActivityForm {
  const count = kind === 'choice' ? 2 : kind === 'ranking' ? 3 : 0;
  return {
    key: key(),
    kind,
    raw: { kind },
    text: {},
    points: 5,
    results: 'live',
    comment: false,
    commentPrompt: {},
    entries: Array.from({ length: count }, newEntry),
    max: '1',
    maxLength: String(LIMITS.openTextLength),
    dotsPerPerson: '0',
    dotsPerNote: '1',
    dotTotals: 'live',
    hiddenUntilReveal: false,
  };
}

function activityForm(a: Json): ActivityForm {
  const kind = (ACTIVITY_KINDS as readonly unknown[]).includes(a.kind) ? (a.kind as ActivityKind) : 'likert';
  const f = newActivity(kind);
  f.raw = a;
  if (typeof a.id === 'string') f.id = a.id;
  f.text = texts(a[textKey(kind)]);
  f.points = a.scale === undefined || a.scale === 5 ? 5 : a.scale === 7 ? 7 : null;
  f.results = visibility(a.results);
  f.comment = isObject(a.comment);
  f.commentPrompt = isObject(a.comment) ? texts(a.comment.prompt) : {};
  const ek = entriesKey(kind);
  f.entries = ek ? entriesOf(a, ek.list, ek.label) : [];
  f.max = numText(a.max, '1');
  f.maxLength = numText(a.max_length, String(LIMITS.openTextLength));
  f.dotsPerPerson = numText(a.dots_per_person, '0');
  f.dotsPerNote = numText(a.dots_per_note, '1');
  f.dotTotals = a.dot_totals === 'on_reveal' ? 'on_reveal' : 'live';
  f.hiddenUntilReveal = a.hidden_until_reveal === true;
  return f;
}

/**
 * An RFC 3339 date-time (with its zone, as the file has it) as a datetime-local value in the
 * browser's time zone ("2026-12-01T09:00"); '' when it is not one.
 */
export function toLocalInput(rfc3339: unknown): string {
  if (typeof rfc3339 !== 'string' || rfc3339 === '') return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A datetime-local value (local time) as RFC 3339 in UTC ("2026-12-01T09:00:00.000Z"); null when not a date. */
export function fromLocalInput(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(local.trim())) return null;
  const d = new Date(local.trim());
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** An empty form: English and Welsh, one Likert statement to start from. */
export function emptyForm(): WorkshopForm {
  return toForm({ title: {}, languages: ['en', 'cy'], activities: [{ kind: 'likert', statement: {} }] });
}

/** The form of a workshop file (as GET /api/workshops/{id}/file gives it; `answered` is not kept). */
export function toForm(file: Json): WorkshopForm {
  const { answered: _answered, ...raw } = file;
  const consent = isObject(raw.consent) ? raw.consent : null;
  const groups = Array.isArray(raw.groups) ? raw.groups.filter(isObject) : [];
  const activities = Array.isArray(raw.activities) ? raw.activities.filter(isObject) : [];
  return {
    raw,
    languages: Array.isArray(raw.languages) ? raw.languages.map(String) : ['en'],
    title: texts(raw.title),
    groups: groups.map((g) => ({ key: key(), id: String(g.id ?? ''), label: texts(g.label), target: numText(g.target) })),
    consent: consent !== null,
    consentRequired: consent?.required === true,
    consentText: texts(consent?.text),
    infoUrl: typeof consent?.info_url === 'string' ? consent.info_url : '',
    minCell: numText(raw.min_cell),
    retentionDays: numText(raw.retention_days),
    keepAggregates: raw.keep_aggregates === true,
    programme: typeof raw.programme === 'string' ? raw.programme : '',
    mode: raw.mode === 'self_paced' ? 'self_paced' : 'live',
    opensAt: toLocalInput(raw.opens_at),
    closesAt: toLocalInput(raw.closes_at),
    activities: activities.map(activityForm),
  };
}

/** The ids of the answered activities in a GET …/file answer. */
export function answeredOf(file: Json): Set<string> {
  return new Set(Array.isArray(file.answered) ? file.answered.filter((x): x is string => typeof x === 'string') : []);
}

/** A text object in the workshop's languages only (the server refuses others), empty ones left out. */
function textOut(t: Texts, languages: string[]): Texts {
  const out: Texts = {};
  for (const l of languages) if (t[l] !== undefined && t[l] !== '') out[l] = t[l];
  return out;
}

/** A number typed in a field, as the file has it: an integer when it is one, else the text. */
function numberOut(s: string): number | string {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isInteger(n) ? n : s;
}

function activityFile(a: ActivityForm, languages: string[]): Json {
  const out: Json = { ...a.raw, kind: a.kind };
  // A setting the file left out stays out while it has the server's default.
  const keep = (k: string, value: unknown, byDefault: unknown) => {
    if (a.raw[k] !== undefined || value !== byDefault) out[k] = value;
    else delete out[k];
  };
  if (a.id) out.id = a.id;
  else delete out.id;
  out[textKey(a.kind)] = textOut(a.text, languages);
  const ek = entriesKey(a.kind);
  if (ek) {
    const before = Array.isArray(a.raw[ek.list]) ? (a.raw[ek.list] as unknown[]).filter(isObject) : [];
    out[ek.list] = a.entries.map((e) => {
      const old = before.find((o) => o.id === e.id) ?? {};
      return { ...old, id: e.id, [ek.label]: textOut(e.label, languages) };
    });
    if (a.kind === 'board' && a.entries.length === 0 && a.raw.columns === undefined) delete out.columns;
  }
  if (a.kind === 'likert' && a.points !== null) keep('scale', a.points, 5);
  if (a.kind === 'likert' || a.kind === 'choice' || a.kind === 'ranking') keep('results', a.results, 'live');
  if (a.kind === 'likert' || a.kind === 'choice') {
    if (a.comment) out.comment = { ...(isObject(a.raw.comment) ? a.raw.comment : {}), prompt: textOut(a.commentPrompt, languages) };
    else delete out.comment;
  }
  if (a.kind === 'choice') keep('max', numberOut(a.max), 1);
  if (a.kind === 'open_text') keep('max_length', numberOut(a.maxLength), LIMITS.openTextLength);
  if (a.kind === 'board') {
    keep('dots_per_person', numberOut(a.dotsPerPerson), 0);
    keep('dots_per_note', numberOut(a.dotsPerNote), 1);
    keep('dot_totals', a.dotTotals, 'live');
    keep('hidden_until_reveal', a.hiddenUntilReveal, false);
  }
  return out;
}

/** The workshop file of a form, for POST /api/workshops or PUT /api/workshops/{id}. */
export function toFile(f: WorkshopForm): Json {
  const langs = f.languages;
  const out: Json = { ...f.raw, title: textOut(f.title, langs), languages: [...langs] };
  const oldGroups = Array.isArray(f.raw.groups) ? f.raw.groups.filter(isObject) : [];
  if (f.groups.length > 0 || f.raw.groups !== undefined) {
    out.groups = f.groups.map((g) => {
      const old = oldGroups.find((o) => o.id === g.id) ?? {};
      const group: Json = { ...old, id: g.id, label: textOut(g.label, langs) };
      if (g.target.trim() !== '') group.target = numberOut(g.target);
      else delete group.target;
      return group;
    });
  }
  if (f.consent) {
    const consent: Json = { ...(isObject(f.raw.consent) ? f.raw.consent : {}), required: f.consentRequired };
    const text = textOut(f.consentText, langs);
    if (Object.keys(text).length > 0) consent.text = text;
    else delete consent.text;
    if (f.infoUrl.trim() !== '') consent.info_url = f.infoUrl.trim();
    else delete consent.info_url;
    out.consent = consent;
  } else delete out.consent;
  const setNumber = (k: string, v: string) => {
    if (v.trim() !== '') out[k] = numberOut(v);
    else delete out[k];
  };
  setNumber('min_cell', f.minCell);
  setNumber('retention_days', f.retentionDays);
  if (f.keepAggregates || f.raw.keep_aggregates !== undefined) out.keep_aggregates = f.keepAggregates;
  if (f.programme.trim() !== '') out.programme = f.programme.trim();
  else delete out.programme;
  // A live workshop has no dates (the server refuses them); "live" is written only when the file had a mode.
  if (f.mode === 'self_paced' || f.raw.mode !== undefined) out.mode = f.mode;
  if (f.mode === 'self_paced') {
    out.opens_at = fromLocalInput(f.opensAt) ?? f.opensAt;
    out.closes_at = fromLocalInput(f.closesAt) ?? f.closesAt;
  } else {
    delete out.opens_at;
    delete out.closes_at;
  }
  out.activities = f.activities.map((a) => activityFile(a, langs));
  return out;
}

// ---- Validation ----

export type ProblemCode =
  | 'required'
  | 'too_long'
  | 'slug'
  | 'option_id'
  | 'duplicate'
  | 'range'
  | 'count'
  | 'url'
  | 'more_than_dots'
  | 'date'
  | 'closes_before_opens'
  | 'board_self_paced';

/** One thing wrong in the form: where (the file's JSON path) and what (a code and its numbers). */
export interface Problem {
  path: string;
  code: ProblemCode;
  min?: number;
  max?: number;
}

const SLUG = /^[a-z0-9_-]+$/;
const OPTION_ID = /^[A-Za-z0-9_-]+$/;
/** Length in Unicode code points, as the server counts. */
const length = (s: string) => [...s].length;

/** The time of a self-paced date field (ms), or null with its problem added (empty, or not a date). */
function dateOf(local: string, path: string, out: Problem[]): number | null {
  if (local.trim() === '') {
    out.push({ path, code: 'required' });
    return null;
  }
  const iso = fromLocalInput(local);
  if (iso === null) {
    out.push({ path, code: 'date' });
    return null;
  }
  return Date.parse(iso);
}

/** Every problem of the form, in the order of the page. Empty: the form may be sent. */
export function validate(f: WorkshopForm): Problem[] {
  const out: Problem[] = [];
  const langs = f.languages;
  const text = (t: Texts, path: string, max: number) => {
    for (const l of langs) {
      const s = t[l] ?? '';
      if (s.trim() === '') out.push({ path: `${path}.${l}`, code: 'required' });
      else if (length(s) > max) out.push({ path: `${path}.${l}`, code: 'too_long', max });
    }
  };
  const integer = (s: string, path: string, min: number, max: number, required = false) => {
    if (s.trim() === '') {
      if (required) out.push({ path, code: 'required' });
      return;
    }
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < min || n > max) out.push({ path, code: 'range', min, max });
  };
  const ids = (entries: Entry[], path: string, pattern: RegExp, max: number, code: 'slug' | 'option_id') => {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      const p = `${path}[${i}].id`;
      if (e.id === '') out.push({ path: p, code: 'required' });
      else if (e.id.length > max || !pattern.test(e.id)) out.push({ path: p, code, max });
      else if (seen.has(e.id)) out.push({ path: p, code: 'duplicate' });
      seen.add(e.id);
    });
  };

  text(f.title, '$.title', LIMITS.title);
  if (f.groups.length > LIMITS.groups) out.push({ path: '$.groups', code: 'count', min: 0, max: LIMITS.groups });
  ids(f.groups, '$.groups', SLUG, LIMITS.slug, 'slug');
  f.groups.forEach((g, i) => {
    text(g.label, `$.groups[${i}].label`, LIMITS.label);
    integer(g.target, `$.groups[${i}].target`, 0, LIMITS.target);
  });
  if (f.consent) {
    if (f.consentRequired || langs.some((l) => (f.consentText[l] ?? '') !== '')) text(f.consentText, '$.consent.text', LIMITS.consent);
    const url = f.infoUrl.trim();
    if (url !== '' && !/^https?:\/\/\S+$/.test(url)) out.push({ path: '$.consent.info_url', code: 'url' });
    else if (length(url) > LIMITS.infoUrl) out.push({ path: '$.consent.info_url', code: 'too_long', max: LIMITS.infoUrl });
  }
  if (length(f.programme.trim()) > LIMITS.programme) out.push({ path: '$.programme', code: 'too_long', max: LIMITS.programme });
  if (f.mode === 'self_paced') {
    const opens = dateOf(f.opensAt, '$.opens_at', out);
    const closes = dateOf(f.closesAt, '$.closes_at', out);
    if (opens !== null && closes !== null && closes <= opens) out.push({ path: '$.closes_at', code: 'closes_before_opens' });
  }
  integer(f.minCell, '$.min_cell', 1, LIMITS.minCell);
  integer(f.retentionDays, '$.retention_days', 1, LIMITS.retentionDays);
  if (f.activities.length < 1 || f.activities.length > LIMITS.activities) {
    out.push({ path: '$.activities', code: 'count', min: 1, max: LIMITS.activities });
  }
  f.activities.forEach((a, i) => {
    const p = `$.activities[${i}]`;
    if (a.kind === 'board' && f.mode === 'self_paced') out.push({ path: `${p}.kind`, code: 'board_self_paced' });
    text(a.text, `${p}.${textKey(a.kind)}`, LIMITS.statement);
    if ((a.kind === 'likert' || a.kind === 'choice') && a.comment) text(a.commentPrompt, `${p}.comment.prompt`, LIMITS.short);
    const ek = entriesKey(a.kind);
    if (ek) {
      const [min, max] =
        a.kind === 'choice' ? LIMITS.choiceOptions : a.kind === 'ranking' ? LIMITS.rankingItems : [0, LIMITS.columns];
      const lp = `${p}.${ek.list}`;
      if (a.entries.length < min || a.entries.length > max) out.push({ path: lp, code: 'count', min, max });
      if (a.kind === 'board') ids(a.entries, lp, SLUG, LIMITS.slug, 'slug');
      else ids(a.entries, lp, OPTION_ID, LIMITS.optionId, 'option_id');
      a.entries.forEach((e, j) => text(e.label, `${lp}[${j}].${ek.label}`, a.kind === 'board' ? LIMITS.label : LIMITS.short));
    }
    if (a.kind === 'choice') integer(a.max, `${p}.max`, 1, Math.max(1, a.entries.length), true);
    if (a.kind === 'open_text') integer(a.maxLength, `${p}.max_length`, 1, LIMITS.openTextLength, true);
    if (a.kind === 'board') {
      integer(a.dotsPerPerson, `${p}.dots_per_person`, 0, LIMITS.dots, true);
      const perNote = Number(a.dotsPerNote.trim());
      const perPerson = Number(a.dotsPerPerson.trim());
      if (a.dotsPerNote.trim() === '' || !Number.isInteger(perNote) || perNote < 1 || perNote > LIMITS.dots) {
        out.push({ path: `${p}.dots_per_note`, code: 'range', min: 1, max: LIMITS.dots });
      } else if (Number.isInteger(perPerson) && perNote > perPerson && (a.raw.dots_per_note !== undefined || perNote !== 1)) {
        out.push({ path: `${p}.dots_per_note`, code: 'more_than_dots', max: perPerson });
      }
    }
  });
  return out;
}

// ---- Server errors ----

/** What the server said was wrong (400/409 bodies of PUT and POST). */
export interface ServerProblem {
  path: string;
  problem?: string;
}

/**
 * A server error as the form's problem when the form has words for it (both languages), from
 * its path and English message: the self-paced rules (docs/protocol.md, "Self-paced
 * workshops"). Null: the error is shown as the server's refusal of that field.
 */
export function knownServerProblem(path: string, message: string | undefined): Problem | null {
  const msg = message ?? '';
  if (/^\$\.activities\[\d+\]\.kind$/.test(path) && /needs a live workshop/.test(msg)) return { path, code: 'board_self_paced' };
  if (path === '$.opens_at' || path === '$.closes_at') {
    if (/must be after/.test(msg)) return { path, code: 'closes_before_opens' };
    if (/needs it/.test(msg)) return { path, code: 'required' };
    if (/date and time/.test(msg)) return { path, code: 'date' };
  }
  return null;
}

/** The JSON path a server message starts with ("$.title.en: must be …" → "$.title.en"); null: none. */
export function pathInMessage(message: string | undefined): string | null {
  const m = /^(\$[^\s:]*): /.exec(message ?? '');
  return m?.[1] ?? null;
}

/**
 * The form field a JSON path belongs to: the path itself when the form has a field for it,
 * else the nearest enclosing path that has one (e.g. `$.activities[0].card.image` → the
 * activity), else null (the summary alone shows it).
 */
export function fieldFor(path: string, fields: ReadonlySet<string>): string | null {
  let p = path;
  while (p) {
    if (fields.has(p)) return p;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return fields.has('$') ? '$' : null;
}

/**
 * The path of the field a server error is about. A 409 `answered_scale` names the activity
 * (`$.activities[1]`): its scale is the Likert's points, or the ids of its options, items or
 * columns.
 */
export function serverErrorPath(f: WorkshopForm, e: ServerProblem): string {
  const m = /^\$\.activities\[(\d+)\]$/.exec(e.path);
  const a = m ? f.activities[Number(m[1])] : undefined;
  if (e.problem !== 'answered_scale' || !a) return e.path;
  if (a.kind === 'likert') return a.points === null ? e.path : `${e.path}.scale`;
  const ek = entriesKey(a.kind);
  return ek ? `${e.path}.${ek.list}` : e.path;
}

/** A DOM id for the field of a JSON path ("$.activities[1].statement.cy" → "f-activities-1-statement-cy"). */
export function fieldId(path: string): string {
  return `f${path.replace(/^\$/, '').replace(/[^A-Za-z0-9_]+/g, '-').replace(/-$/, '')}`;
}

/** The JSON paths the form has a field (or fieldset) for. */
export function formFields(f: WorkshopForm): Set<string> {
  const out = new Set<string>([
    '$.groups',
    '$.activities',
    '$.consent.info_url',
    '$.min_cell',
    '$.retention_days',
    '$.languages',
    '$.programme',
    '$.mode',
  ]);
  if (f.mode === 'self_paced') {
    out.add('$.opens_at');
    out.add('$.closes_at');
  }
  const text = (path: string) => f.languages.forEach((l) => out.add(`${path}.${l}`));
  text('$.title');
  f.groups.forEach((_, i) => {
    out.add(`$.groups[${i}].id`);
    out.add(`$.groups[${i}].target`);
    text(`$.groups[${i}].label`);
  });
  if (f.consent) text('$.consent.text');
  f.activities.forEach((a, i) => {
    const p = `$.activities[${i}]`;
    out.add(p);
    text(`${p}.${textKey(a.kind)}`);
    if (a.kind === 'likert') out.add(`${p}.scale`);
    if (a.comment) text(`${p}.comment.prompt`);
    const ek = entriesKey(a.kind);
    if (ek) {
      out.add(`${p}.${ek.list}`);
      a.entries.forEach((_, j) => {
        out.add(`${p}.${ek.list}[${j}].id`);
        text(`${p}.${ek.list}[${j}].${ek.label}`);
      });
    }
    if (a.kind === 'choice') out.add(`${p}.max`);
    if (a.kind === 'open_text') out.add(`${p}.max_length`);
    if (a.kind === 'board') {
      out.add(`${p}.dots_per_person`);
      out.add(`${p}.dots_per_note`);
    }
  });
  return out;
}

/** Moves item `i` of a list by `by` places (−1 up, +1 down); out of range: unchanged. */
export function move<T>(list: T[], i: number, by: number): T[] {
  const j = i + by;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return list;
  const out = [...list];
  out.splice(j, 0, ...out.splice(i, 1));
  return out;
}
