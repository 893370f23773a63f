// What the workshop editor says about a problem, in the UI language: the message next to a
// field and the name of the field in the summary at the top. Pure.
import { editorCy } from '../i18n/editor_cy';
import { editorEn, type EditorMessages } from '../i18n/editor_en';
import type { Problem } from './workshop_form';

/** A problem found by the form, or one the server named (`problem` code or only a path). */
export type FieldError = { source: 'form'; problem: Problem } | { source: 'server'; path: string; problem?: string };

/** The editor's strings in a UI language (English for any other). */
export function editorMessages(lang: string): EditorMessages {
  return lang === 'cy' ? editorCy : editorEn;
}

export function langName(m: EditorMessages, lang: string): string {
  return m.edLangNames[lang] ?? lang;
}

/** "Statement (English)": a field of one language. */
export function inLang(m: EditorMessages, field: string, lang: string): string {
  return m.edInLang(field, langName(m, lang));
}

export function errorMessage(m: EditorMessages, e: FieldError): string {
  if (e.source === 'server') {
    switch (e.problem) {
      case 'answered_kind':
        return m.edSrvAnsweredKind;
      case 'answered_scale':
        return m.edSrvAnsweredScale;
      case 'answered_removed':
        return m.edSrvAnsweredRemoved;
      case 'current_removed':
        return m.edSrvCurrentRemoved;
      case 'group_in_use':
        return m.edSrvGroupInUse;
      default:
        return m.edSrvRefused(e.path);
    }
  }
  const p = e.problem;
  switch (p.code) {
    case 'required':
      return m.edErrRequired;
    case 'too_long':
      return m.edErrTooLong(p.max ?? 0);
    case 'slug':
      return m.edErrSlug;
    case 'option_id':
      return m.edErrOptionId;
    case 'duplicate':
      return m.edErrDuplicate;
    case 'range':
      return m.edErrRange(p.min ?? 0, p.max ?? 0);
    case 'count':
      return m.edErrCount(p.min ?? 0, p.max ?? 0);
    case 'url':
      return m.edErrUrl;
    case 'more_than_dots':
      return m.edErrMoreThanDots(p.max ?? 0);
    case 'date':
      return m.edErrDate;
    case 'closes_before_opens':
      return m.edErrClosesBeforeOpens;
    case 'board_self_paced':
      return m.edErrBoardSelfPaced;
  }
}

const LIST_ENTRY: Record<string, (m: EditorMessages, n: number) => string> = {
  groups: (m, n) => m.edGroup(n),
  options: (m, n) => m.edOption(n),
  items: (m, n) => m.edItem(n),
  columns: (m, n) => m.edColumn(n),
};

function keyName(m: EditorMessages, key: string): string {
  const names: Record<string, string> = {
    title: m.edTitle,
    languages: m.edLanguages,
    groups: m.edGroups,
    consent: m.edConsent,
    text: m.edConsentText,
    info_url: m.edInfoUrl,
    min_cell: m.edMinCell,
    retention_days: m.edRetention,
    activities: m.edAgenda,
    statement: m.edStatement,
    question: m.edQuestion,
    prompt: m.edPrompt,
    scale: m.edPoints,
    comment: m.edComment,
    options: m.edOptions,
    items: m.edItems,
    columns: m.edColumns,
    max: m.edMax,
    max_length: m.edMaxLength,
    dots_per_person: m.edDotsPerPerson,
    dots_per_note: m.edDotsPerNote,
    id: m.edId,
    label: m.edLabel,
    target: m.edTarget,
    kind: m.edAddKind,
    programme: m.edProgramme,
    mode: m.edMode,
    opens_at: m.edOpensAt,
    closes_at: m.edClosesAt,
  };
  return names[key] || key;
}

/**
 * The name of the field at a JSON path, for the summary: "Activity 2: Statement (Welsh)",
 * "Group 1: Id", "Title (English)". Parts it does not know are shown as they are.
 */
export function pathLabel(m: EditorMessages, path: string, languages: readonly string[]): string {
  const parts = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  const out: string[] = [];
  let field = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const index = /^\[(\d+)\]$/.exec(part);
    const prev = parts[i - 1] ?? '';
    if (index) {
      const n = Number(index[1]) + 1;
      if (prev === 'activities') out.pop(), out.push(m.edActivityN(n));
      else if (LIST_ENTRY[prev]) out.pop(), out.push(LIST_ENTRY[prev](m, n));
      else out.push(String(n));
      field = '';
    } else if (languages.includes(part) && field) {
      out[out.length - 1] = inLang(m, field, part);
    } else {
      const inComment = prev === 'comment' && part === 'prompt';
      const columnTitle = parts[i - 2] === 'columns' && part === 'title';
      field = inComment ? m.edCommentPrompt : columnTitle ? m.edColumnTitle : keyName(m, part);
      if (inComment) out.pop();
      out.push(field);
    }
  }
  return out.join(': ') || m.edBasics;
}
