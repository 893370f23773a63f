// Geometry and colours of the diverging stacked bar: disagree to the left of the centre line,
// agree to the right, the neutral point split evenly across the centre. Pure functions.

export type Tone = 'disagree' | 'neutral' | 'agree';

export interface Segment {
  /** 0-based scale point. */
  index: number;
  count: number;
  /** Share of all answers, 0–100. */
  pct: number;
  /** Left edge and width as percentages of the bar's full width. */
  start: number;
  width: number;
  tone: Tone;
}

export function toneOf(index: number, points: number): Tone {
  if (points % 2 === 1 && index === (points - 1) / 2) return 'neutral';
  return index < points / 2 ? 'disagree' : 'agree';
}

/**
 * Segments of one bar. The axis runs from -halfRange % (left edge) to +halfRange % (right
 * edge) of the answers, with 0 at the centre; use the same halfRange for bars to be compared.
 * Returns [] when there are no answers.
 */
export function divergingSegments(counts: readonly number[], halfRange = 100): Segment[] {
  const points = counts.length;
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0 || points === 0) return [];
  const pcts = counts.map((c) => (100 * c) / n);
  let left = 0; // share to the left of the centre: disagree + half of neutral
  pcts.forEach((p, i) => {
    const tone = toneOf(i, points);
    if (tone === 'disagree') left += p;
    else if (tone === 'neutral') left += p / 2;
  });
  const scale = 50 / halfRange; // % of width per % of answers
  let x = 50 - left * scale;
  return pcts.map((p, i) => {
    const seg: Segment = { index: i, count: counts[i]!, pct: p, start: x, width: p * scale, tone: toneOf(i, points) };
    x += p * scale;
    return seg;
  });
}

/** How far each side of a bar reaches from the centre, in % of answers. */
export function sideExtents(counts: readonly number[]): { left: number; right: number } {
  const segs = divergingSegments(counts);
  if (!segs.length) return { left: 0, right: 0 };
  const first = segs[0]!;
  const last = segs[segs.length - 1]!;
  return { left: (50 - first.start) * 2, right: (last.start + last.width - 50) * 2 };
}

/** The smallest of 25/50/75/100 % that fits every bar, so compared bars share one axis. */
export function niceHalfRange(bars: readonly (readonly number[])[]): number {
  let max = 0;
  for (const c of bars) {
    const e = sideExtents(c);
    max = Math.max(max, e.left, e.right);
  }
  for (const step of [25, 50, 75]) if (max <= step + 1e-9) return step;
  return 100;
}

/**
 * Fill and text colours per scale point (brown = disagree, grey = neutral, teal = agree;
 * readable by people with the common colour-vision deficiencies). Text on each fill has a
 * contrast of at least 4.5:1.
 */
export function segmentColours(index: number, points: number): { fill: string; text: string } {
  const p5 = [
    { fill: '#8c510a', text: '#ffffff' },
    { fill: '#dfc27d', text: '#1a1a1a' },
    { fill: '#e3e3e3', text: '#1a1a1a' },
    { fill: '#80cdc1', text: '#1a1a1a' },
    { fill: '#01665e', text: '#ffffff' },
  ];
  const p7 = [
    { fill: '#8c510a', text: '#ffffff' },
    { fill: '#bf812d', text: '#1a1a1a' },
    { fill: '#f6e8c3', text: '#1a1a1a' },
    { fill: '#e3e3e3', text: '#1a1a1a' },
    { fill: '#c7eae5', text: '#1a1a1a' },
    { fill: '#35978f', text: '#1a1a1a' },
    { fill: '#01665e', text: '#ffffff' },
  ];
  if (points === 5) return p5[index]!;
  if (points === 7) return p7[index]!;
  const tone = toneOf(index, points);
  if (tone === 'neutral') return { fill: '#e3e3e3', text: '#1a1a1a' };
  return tone === 'agree' ? { fill: '#35978f', text: '#1a1a1a' } : { fill: '#bf812d', text: '#1a1a1a' };
}
