// A respondent's group in words, for the facilitator's lists of comments and answers. Pure.

import type { Messages } from '../i18n/en';
import type { Group } from '../lib/protocol';
import { pick, type Picked } from '../lib/text';

/** The group's label, or "No group given" for none (or a group the workshop no longer has). */
export function groupName(id: string | null, groups: readonly Group[], m: Messages, lang: string, languages: readonly string[]): Picked {
  const g = id ? groups.find((x) => x.id === id) : undefined;
  return g ? pick(g.label, lang, languages) : { text: id ?? m.ungrouped, lang };
}
