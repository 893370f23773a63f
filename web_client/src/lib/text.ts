// Choosing which language of a workshop-supplied text to show.

import type { LocalText } from './protocol';

export interface Picked {
  text: string;
  /** The language the text is actually in (for the `lang` attribute when it fell back). */
  lang: string;
}

/**
 * The text in `lang`, else in the workshop's first listed language, else any non-empty one.
 * Workshop files must give the first listed language, so the last fallback is defensive.
 */
export function pick(text: LocalText | null | undefined, lang: string, languages: readonly string[] = []): Picked {
  if (!text) return { text: '', lang };
  const direct = text[lang];
  if (typeof direct === 'string' && direct.trim() !== '') return { text: direct, lang };
  for (const l of [...languages, ...Object.keys(text)]) {
    const v = text[l];
    if (typeof v === 'string' && v.trim() !== '') return { text: v, lang: l };
  }
  return { text: '', lang };
}

/** Every language of a text that has a translation, in the workshop's order (for the presenter). */
export function allLanguages(text: LocalText | null | undefined, languages: readonly string[]): Picked[] {
  if (!text) return [];
  const order = languages.length ? languages : Object.keys(text);
  const out: Picked[] = [];
  for (const l of order) {
    const v = text[l];
    if (typeof v === 'string' && v.trim() !== '' && !out.some((p) => p.text === v)) out.push({ text: v, lang: l });
  }
  return out;
}

/** The labels of a Likert scale in `lang`, falling back like `pick`; null when the file gave none. */
export function pickLabels(
  labels: Record<string, string[]> | undefined,
  points: number,
  lang: string,
  languages: readonly string[] = [],
): { labels: string[]; lang: string } | null {
  if (!labels) return null;
  for (const l of [lang, ...languages, ...Object.keys(labels)]) {
    const v = labels[l];
    if (Array.isArray(v) && v.length === points) return { labels: v, lang: l };
  }
  return null;
}
