// The projector's "both languages" option: every label in each UI language side by side, not
// only the statement. Set by the presenter screen (remembered on that device, or `?both=1` in
// its link); other screens leave it off and get the UI language alone.

import { cy } from '../i18n/cy';
import { en, type Messages } from '../i18n/en';
import { ui } from './i18n.svelte';
import type { LocalText } from './protocol';
import { allLanguages, pick, type Picked } from './text';

export const bilingual = $state<{ on: boolean }>({ on: false });

const catalogs: readonly { lang: string; m: Messages }[] = [
  { lang: 'en', m: en },
  { lang: 'cy', m: cy },
];

/** A fixed UI text: in the UI language, or (both languages on) in each, UI language first. */
export function uiTexts(f: (m: Messages) => string): Picked[] {
  const first = catalogs.find((c) => c.lang === ui.lang) ?? catalogs[0]!;
  const out: Picked[] = [{ text: f(first.m), lang: first.lang }];
  if (!bilingual.on) return out;
  for (const c of catalogs) {
    if (c.lang === first.lang) continue;
    const text = f(c.m);
    if (!out.some((p) => p.text === text)) out.push({ text, lang: c.lang });
  }
  return out;
}

/** A workshop text: picked for the UI language, or (both languages on) every language it has. */
export function localTexts(text: LocalText | null | undefined, lang: string, languages: readonly string[]): Picked[] {
  if (!bilingual.on) return [pick(text, lang, languages)];
  const all = allLanguages(text, [lang, ...languages.filter((l) => l !== lang)]);
  return all.length ? all : [pick(text, lang, languages)];
}
