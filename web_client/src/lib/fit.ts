// Fitting the projector's content to the screen (Presenter.svelte): first make it smaller step
// by step until nothing reaches past the window (a "fit level": each level is a class that
// makes the layout denser, kept with the levels before it), then let the bars grow into the
// room that is left (a "grow" factor, a CSS variable the bar heights are multiplied by).
// The search is separate from the DOM so that it can be tested.

export interface FitTarget {
  /** Applies `level` (0 = as designed) and `grow` (1 = as designed), then lays out. */
  apply(level: number, grow: number): void;
  /** Whether everything is inside the window as applied. */
  fits(): boolean;
}

export interface Fit {
  level: number;
  grow: number;
}

/**
 * The least dense level that fits (or the densest, when none does), then the largest grow
 * factor up to `maxGrow` that still fits at that level, to within 1 %. Leaves the target
 * applied as returned.
 */
export function fitContent(target: FitTarget, maxLevel: number, maxGrow: number): Fit {
  let level = 0;
  target.apply(level, 1);
  while (!target.fits() && level < maxLevel) {
    level += 1;
    target.apply(level, 1);
  }
  if (!target.fits()) return { level, grow: 1 };
  let lo = 1;
  let hi = maxGrow;
  target.apply(level, hi);
  if (target.fits()) return { level, grow: hi };
  while (hi - lo > 0.01) {
    const mid = (lo + hi) / 2;
    target.apply(level, mid);
    if (target.fits()) lo = mid;
    else hi = mid;
  }
  target.apply(level, lo);
  return { level, grow: lo };
}

/** A FitTarget over an element of the page: levels as classes fit-1…fit-N, grow as --grow. */
export function elementFitTarget(el: HTMLElement, maxLevel: number): FitTarget {
  const root = document.documentElement;
  return {
    apply(level, grow) {
      for (let i = 1; i <= maxLevel; i++) el.classList.toggle(`fit-${i}`, i <= level);
      el.style.setProperty('--grow', grow.toFixed(3));
    },
    fits() {
      // Reading the sizes lays the page out with what apply() set.
      return root.scrollHeight <= window.innerHeight + 1 && root.scrollWidth <= window.innerWidth + 1;
    },
  };
}
