// One's own answers to a self-paced questionnaire in words, for the check-your-answers list
// (screens/self_paced/). Pure; apart from lib/self_paced.ts so that kiosks do not load it.

import { optionLabels } from '../kinds/choice/choice';
import { knownActivity, unreachable, type Activity, type Mine } from './protocol';
import { isAnswered } from './self_paced';
import { pointLabel } from './stats_format';
import { pick, pickLabels } from './text';

/**
 * One's own answer in words, for the check-your-answers list: the scale point's label, the
 * options chosen, the order ("1. …, 2. …") or the text; '' when there is none. `standard` gives
 * the standard scale labels in the UI language (for statements without labels of their own).
 */
export function answerText(
  a: Activity,
  mine: Mine | null | undefined,
  lang: string,
  languages: readonly string[],
  standard: (points: number) => readonly string[],
): string {
  const k = knownActivity(a);
  if (!k || !mine || !isAnswered(mine)) return '';
  switch (k.kind) {
    case 'likert': {
      const labels = pickLabels(k.scale.labels, k.scale.points, lang, languages)?.labels ?? standard(k.scale.points);
      return typeof mine.value === 'number' ? pointLabel(mine.value, labels) : '';
    }
    case 'choice':
      return optionLabels(k, mine.options ?? [], lang, languages);
    case 'ranking':
      return (mine.order ?? [])
        .map((id, i) => `${i + 1}. ${pick(k.items.find((x) => x.id === id)?.label, lang, languages).text || id}`)
        .join(', ');
    case 'open_text':
      return mine.text ?? '';
    case 'board':
      return '';
    default:
      return unreachable(k);
  }
}
