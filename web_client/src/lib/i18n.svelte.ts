// The UI language: reactive, remembered per device, reflected in <html lang>.

import { cy } from '../i18n/cy';
import { en, type Messages } from '../i18n/en';
import type { UiLang } from './protocol';
import { savedLang } from './storage';

const catalogs: Record<UiLang, Messages> = { en, cy };
export const UI_LANGS: readonly UiLang[] = ['en', 'cy'];

export function isUiLang(x: unknown): x is UiLang {
  return x === 'en' || x === 'cy';
}

function initialLang(): UiLang {
  const saved = savedLang.get();
  if (isUiLang(saved)) return saved;
  const nav = globalThis.navigator?.languages ?? [];
  return nav.some((l) => l.toLowerCase().startsWith('cy')) ? 'cy' : 'en';
}

export const ui = $state<{ lang: UiLang }>({ lang: initialLang() });

/** The messages of the current UI language (reactive when read in a template or $derived). */
export function t(): Messages {
  return catalogs[ui.lang];
}

export function messagesFor(lang: UiLang): Messages {
  return catalogs[lang];
}

export function setLang(lang: UiLang): void {
  ui.lang = lang;
  savedLang.set(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** Standard scale labels in the UI language, for a scale with no labels in any language. */
export function standardLabels(points: number): readonly string[] {
  const m = t();
  if (points === 5) return m.scale5;
  if (points === 7) return m.scale7;
  return Array.from({ length: points }, (_, i) => String(i + 1));
}
