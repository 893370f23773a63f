// One person's way through a self-paced questionnaire at a kiosk: a pass. A pass starts when
// someone presses Start (a new random pass id), goes through the kiosk's questions in order
// (lib/self_paced.ts `kioskSteps`; an answer moves on, Back returns, Skip moves on without one)
// and ends after the last question (the kiosk thanks them) or when nobody has touched the
// screen for `idleMs` (the next person starts afresh, with a new pass id). The presses
// themselves go through the kiosk's durable queue with the pass id (kiosk.svelte.ts).
// Timers and the id source are injected for the unit tests.

import type { Timers } from './connection';
import type { PressAnswer } from './press_queue';
import { newPassId } from './self_paced';

export const DEFAULT_IDLE_SECONDS = 60;

export interface KioskPassOptions {
  idleMs: number;
  timers?: Timers;
  newId?: () => string;
  /** Runs when a pass is abandoned for inactivity. */
  onTimeout?: () => void;
}

const defaultTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export class KioskPass {
  /** The pass id; null at the welcome screen (no pass yet). */
  id = $state<string | null>(null);
  /** The question shown, an index into the kiosk's questions. */
  step = $state(0);
  /** What this pass answered, by activity id (shown as chosen when the person goes back). */
  given = $state<Record<string, PressAnswer>>({});

  private readonly opts: KioskPassOptions;
  private readonly timers: Timers;
  private idleTimer: unknown = null;

  constructor(opts: KioskPassOptions) {
    this.opts = opts;
    this.timers = opts.timers ?? defaultTimers;
  }

  /** A new person starts: a fresh pass id, the first question. */
  start(): void {
    this.id = (this.opts.newId ?? newPassId)();
    this.step = 0;
    this.given = {};
    this.touch();
  }

  /**
   * The person answered the question at `step` (its press is stored); returns true when that
   * was the last of `total` questions, and the pass is over.
   */
  answered(activity: string, answer: PressAnswer, total: number): boolean {
    this.given = { ...this.given, [activity]: answer };
    return this.forward(total);
  }

  /** Moves on without an answer; true when the pass is over. */
  skip(total: number): boolean {
    return this.forward(total);
  }

  back(): void {
    if (this.step > 0) this.step -= 1;
    this.touch();
  }

  /** Ends the pass (finished, timed out, or the questionnaire closed): back to the welcome. */
  end(): void {
    this.id = null;
    this.step = 0;
    this.given = {};
    this.clearIdle();
  }

  /** Someone touched the screen: the inactivity timer starts again. */
  touch(): void {
    this.clearIdle();
    if (this.id === null) return;
    this.idleTimer = this.timers.set(() => {
      this.idleTimer = null;
      this.end();
      this.opts.onTimeout?.();
    }, this.opts.idleMs);
  }

  dispose(): void {
    this.clearIdle();
  }

  private forward(total: number): boolean {
    if (this.step + 1 >= total) {
      this.end();
      return true;
    }
    this.step += 1;
    this.touch();
    return false;
  }

  private clearIdle(): void {
    if (this.idleTimer !== null) this.timers.clear(this.idleTimer);
    this.idleTimer = null;
  }
}
