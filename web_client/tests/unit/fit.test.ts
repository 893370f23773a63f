import { describe, expect, it } from 'vitest';
import { fitContent, type FitTarget } from '../../src/lib/fit';

/** A page whose content is `height(level, grow)` px tall in a window of `room` px. */
function page(room: number, height: (level: number, grow: number) => number) {
  const applied: [number, number][] = [];
  let now: [number, number] = [0, 1];
  const target: FitTarget = {
    apply(level, grow) {
      now = [level, grow];
      applied.push(now);
    },
    fits: () => height(...now) <= room,
  };
  return { target, applied, current: () => now };
}

describe('fitting the projector to the screen', () => {
  // Each level saves 150 px; growing by g adds (g - 1) × 300 px of bars.
  const content = (base: number) => (level: number, grow: number) => base - 150 * level + (grow - 1) * 300;

  it('keeps the design when it fits, and grows the bars into the room left', () => {
    const p = page(1080, content(900));
    const fit = fitContent(p.target, 4, 2.5);
    expect(fit.level).toBe(0);
    // 180 px left: grow ≈ 1.6, never past the room.
    expect(fit.grow).toBeGreaterThan(1.58);
    expect(fit.grow).toBeLessThanOrEqual(1.6);
    expect(p.current()).toEqual([0, fit.grow]);
  });

  it('takes the least dense level that fits', () => {
    const p = page(1080, content(1400));
    const fit = fitContent(p.target, 4, 2.5);
    expect(fit.level).toBe(3); // 1400 − 300 = 1100 does not fit; 1400 − 450 = 950 does
    expect(fit.grow).toBeGreaterThan(1.4);
    expect(content(1400)(fit.level, fit.grow)).toBeLessThanOrEqual(1080);
  });

  it('stops at the densest level, ungrown, when nothing fits', () => {
    const p = page(1080, content(3000));
    expect(fitContent(p.target, 4, 2.5)).toEqual({ level: 4, grow: 1 });
    expect(p.current()).toEqual([4, 1]);
  });

  it('grows to the limit when there is room to spare', () => {
    const p = page(1080, content(300));
    expect(fitContent(p.target, 4, 2.5)).toEqual({ level: 0, grow: 2.5 });
  });
});
