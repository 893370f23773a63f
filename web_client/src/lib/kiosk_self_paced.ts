// What the kiosk page needs for a self-paced questionnaire, in one module that Kiosk.svelte
// loads only when its workshop is one (a live kiosk does not download it): the pass, the
// kiosk's questions, the phase, dates in words and the strings.

import { selfPacedKioskCy } from '../i18n/self_paced_kiosk_cy';
import { selfPacedKioskEn, type SelfPacedKioskMessages } from '../i18n/self_paced_kiosk_en';
import type { UiLang } from './protocol';

export { DEFAULT_IDLE_SECONDS, KioskPass } from './kiosk_pass.svelte';
export { formatTime, kioskSteps, questionnairePhase } from './self_paced';

/** A self-paced questionnaire's kiosk strings in `lang` (i18n/self_paced_kiosk_*.ts). */
export function kioskPassText(lang: UiLang): SelfPacedKioskMessages {
  return lang === 'cy' ? selfPacedKioskCy : selfPacedKioskEn;
}
