// Which languages a kiosk shows. A kiosk serves whoever walks up, so it shows every language at
// once instead of offering a switch: workshop texts in every language of the workshop, fixed
// texts in English and Welsh, in the workshop's order (its first language first).

import { isUiLang, messagesFor, UI_LANGS } from './i18n.svelte';
import type { UiLang } from './protocol';
import { pickLabels } from './text';

/** The UI languages in the workshop's order, then any the workshop does not list (always both). */
export function kioskUiLangs(languages: readonly string[] | undefined): UiLang[] {
  const out: UiLang[] = (languages ?? []).filter(isUiLang);
  for (const l of UI_LANGS) if (!out.includes(l)) out.push(l);
  return out;
}

export interface LabelSet {
  lang: string;
  labels: readonly string[];
}

/**
 * The scale's labels in every language of the workshop that has its own (a language whose
 * labels fell back to the same texts is not repeated). Without labels from the server: the
 * standard agree–disagree labels in English and Welsh (5 or 7 points), else the numbers.
 */
export function kioskLabelSets(
  labels: Record<string, string[]> | undefined,
  points: number,
  languages: readonly string[],
): LabelSet[] {
  const out: LabelSet[] = [];
  const order = languages.length ? languages : Object.keys(labels ?? {});
  for (const l of order) {
    const picked = pickLabels(labels, points, l, languages);
    if (picked && !out.some((s) => s.labels.join('\n') === picked.labels.join('\n'))) {
      out.push({ lang: picked.lang, labels: picked.labels });
    }
  }
  if (out.length) return out;
  if (points === 5 || points === 7) {
    return kioskUiLangs(languages).map((l) => {
      const m = messagesFor(l);
      return { lang: l, labels: points === 5 ? m.scale5 : m.scale7 };
    });
  }
  return [];
}
