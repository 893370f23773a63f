// The self-paced phone catalogue (i18n/self_paced_{en,cy}.ts) in the UI language. Imported only
// by the self-paced screens, so phones of live workshops do not download these strings.

import { selfPacedCy } from '../i18n/self_paced_cy';
import { selfPacedEn, type SelfPacedMessages } from '../i18n/self_paced_en';
import { ui } from './i18n.svelte';
import type { UiLang } from './protocol';

const catalogs: Record<UiLang, SelfPacedMessages> = { en: selfPacedEn, cy: selfPacedCy };

/** The messages of the current UI language (reactive when read in a template or $derived). */
export function sp(): SelfPacedMessages {
  return catalogs[ui.lang];
}
