import { describe, expect, it } from 'vitest';
import { divergingSegments, niceHalfRange, segmentColours, sideExtents, toneOf } from '../../src/lib/chart';

function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, b2] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) =>
      c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
    );
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b2!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

describe('divergingSegments', () => {
  it('puts disagree left of the centre, agree right, and splits neutral across it', () => {
    const segs = divergingSegments([1, 1, 2, 0, 0]);
    // 25% + 25% disagree + half of 50% neutral = 75% of answers left of centre → 37.5% of width.
    expect(segs.map((s) => s.tone)).toEqual(['disagree', 'disagree', 'neutral', 'agree', 'agree']);
    expect(segs[0]!.start).toBeCloseTo(50 - 37.5);
    expect(segs[2]!.start + segs[2]!.width / 2).toBeCloseTo(50); // neutral centred on the axis
    const end = segs[4]!.start + segs[4]!.width;
    expect(end).toBeCloseTo(50 + 12.5);
  });

  it('keeps the centre at 50% on an even scale', () => {
    const segs = divergingSegments([1, 1, 1, 1]);
    expect(segs[2]!.start).toBeCloseTo(50);
    expect(toneOf(1, 4)).toBe('disagree');
    expect(toneOf(2, 4)).toBe('agree');
  });

  it('scales with a shared half range', () => {
    const segs = divergingSegments([0, 1, 0, 1, 0], 50); // half each side fills the bar
    expect(segs[1]!.start).toBeCloseTo(0);
    expect(segs[3]!.start).toBeCloseTo(50);
    expect(segs[3]!.start + segs[3]!.width).toBeCloseTo(100);
  });

  it('draws nothing for no answers', () => {
    expect(divergingSegments([0, 0, 0, 0, 0])).toEqual([]);
  });

  it('measures extents and picks a shared axis', () => {
    expect(sideExtents([0, 0, 2, 0, 0])).toEqual({ left: 50, right: 50 });
    expect(niceHalfRange([[0, 0, 0, 3, 1], [1, 0, 0, 0, 0]])).toBe(100);
    expect(niceHalfRange([[0, 0, 2, 1, 1]])).toBe(75);
    expect(niceHalfRange([[1, 1, 0, 1, 1]])).toBe(50);
  });
});

describe('segmentColours', () => {
  it('keeps text on every segment readable (contrast ≥ 4.5:1)', () => {
    for (const points of [3, 4, 5, 6, 7]) {
      for (let i = 0; i < points; i++) {
        const c = segmentColours(i, points);
        expect(contrast(c.fill, c.text), `${points}-point, point ${i + 1}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});
