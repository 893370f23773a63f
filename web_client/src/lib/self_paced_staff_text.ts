// The self-paced console and projector strings (i18n/self_paced_staff_*.ts) in the UI language.
// Imported only by the staff screens' self-paced parts.

import { selfPacedStaffCy } from '../i18n/self_paced_staff_cy';
import { selfPacedStaffEn, type SelfPacedStaffMessages } from '../i18n/self_paced_staff_en';
import { ui } from './i18n.svelte';
import type { UiLang } from './protocol';

const catalogs: Record<UiLang, SelfPacedStaffMessages> = { en: selfPacedStaffEn, cy: selfPacedStaffCy };

/** The messages of the current UI language (reactive when read in a template or $derived). */
export function sps(): SelfPacedStaffMessages {
  return catalogs[ui.lang];
}

export function spsFor(lang: UiLang): SelfPacedStaffMessages {
  return catalogs[lang];
}
