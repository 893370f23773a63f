// What the kiosk screen does with a press, as Svelte state: the misuse guard, the thank-you
// screen and its timer, and the counts of the status line (from the press queue).
//
// A press is counted when it is at least `intervalSeconds` after the last counted press (else
// it is ignored with a short "please wait" note), and only once it is stored in the durable
// queue; then the thank-you screen shows for `resetSeconds` and the question comes back for
// the next person. Presses while the thank-you screen shows, or while a press is being stored,
// are ignored. Timers and the clock are injected for the unit tests.

import type { Timers } from './connection';
import { PressOutbox, type PressAnswer, type PressOutboxOptions } from './press_queue';

export type KioskPhase = 'question' | 'thanks';
export type KioskNote = 'too_soon' | 'full';
/**
 * counted: stored and thanked; too_soon: within the interval; busy: the thank-you is showing or
 * a press is being stored; full: the queue is at its bound.
 */
export type PressOutcome = 'counted' | 'too_soon' | 'busy' | 'full';

/** How long the "please wait" or "full" note stays, in ms. */
export const NOTE_MS = 2_500;

export interface KioskModelOptions extends Omit<PressOutboxOptions, 'onChange'> {
  resetSeconds: number;
  intervalSeconds: number;
  /**
   * Timers; their `now()` measures the interval, so pass a monotonic clock (performance.now):
   * a Raspberry Pi without a real-time clock may step its wall clock when NTP syncs.
   */
  timers?: Timers;
  /** The wall clock for `pressed_at`, ms since the epoch (default: the timers' clock). */
  clock?: () => number;
}

const defaultTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export class KioskModel {
  phase = $state<KioskPhase>('question');
  note = $state<KioskNote | null>(null);
  /** Presses stored and not yet acknowledged by the server. */
  waiting = $state(0);
  /** Presses the server refused for good. */
  rejected = $state(0);
  /** Presses are kept in memory only (no durable storage in this browser). */
  storeFailed = $state(false);

  readonly outbox: PressOutbox;
  private readonly timers: Timers;
  private readonly clock: () => number;
  private readonly resetMs: number;
  private readonly intervalMs: number;
  private lastCountedAt: number | null = null;
  private storing = false;
  private thanksTimer: unknown = null;
  private noteTimer: unknown = null;

  constructor(opts: KioskModelOptions) {
    this.timers = opts.timers ?? defaultTimers;
    this.clock = opts.clock ?? (() => this.timers.now());
    this.resetMs = opts.resetSeconds * 1000;
    this.intervalMs = opts.intervalSeconds * 1000;
    this.outbox = new PressOutbox({ ...opts, timers: this.timers, onChange: () => this.sync() });
    this.sync();
  }

  /** A person pressed a scale point or a choice's option of `activity`. */
  async press(activity: string, answer: PressAnswer): Promise<PressOutcome> {
    if (this.phase === 'thanks' || this.storing) return 'busy';
    const now = this.timers.now();
    if (this.lastCountedAt !== null && now - this.lastCountedAt < this.intervalMs) {
      this.showNote('too_soon');
      return 'too_soon';
    }
    this.storing = true;
    let result: 'queued' | 'full';
    try {
      result = await this.outbox.add(activity, answer, this.clock());
    } finally {
      this.storing = false;
    }
    if (result === 'full') {
      this.showNote('full');
      return 'full';
    }
    this.thank();
    return 'counted';
  }

  /**
   * A press within a pass of a self-paced questionnaire (lib/kiosk_pass.svelte.ts): stored with
   * the pass id, with no interval guard (one person answers one question after another) and no
   * thank-you (the pass thanks at its end, `thank()`). Ignored ('busy') while the thank-you
   * shows or a press is being stored.
   */
  async pressInPass(activity: string, answer: PressAnswer, pass: string): Promise<'counted' | 'busy' | 'full'> {
    if (this.phase === 'thanks' || this.storing) return 'busy';
    this.storing = true;
    let result: 'queued' | 'full';
    try {
      result = await this.outbox.add(activity, answer, this.clock(), pass);
    } finally {
      this.storing = false;
    }
    if (result === 'full') {
      this.showNote('full');
      return 'full';
    }
    this.clearNote();
    return 'counted';
  }

  /** Shows the thank-you screen for `resetSeconds` (after a press, or at the end of a pass). */
  thank(): void {
    this.lastCountedAt = this.timers.now();
    this.clearNote();
    this.phase = 'thanks';
    if (this.thanksTimer !== null) this.timers.clear(this.thanksTimer);
    this.thanksTimer = this.timers.set(() => {
      this.thanksTimer = null;
      this.phase = 'question';
    }, this.resetMs);
  }

  dispose(): void {
    for (const t of [this.thanksTimer, this.noteTimer]) if (t !== null) this.timers.clear(t);
    this.thanksTimer = this.noteTimer = null;
    this.outbox.close();
  }

  private showNote(note: KioskNote): void {
    this.clearNote();
    this.note = note;
    this.noteTimer = this.timers.set(() => {
      this.noteTimer = null;
      this.note = null;
    }, NOTE_MS);
  }

  private clearNote(): void {
    if (this.noteTimer !== null) this.timers.clear(this.noteTimer);
    this.noteTimer = null;
    this.note = null;
  }

  private sync(): void {
    // Called from the outbox's constructor chain too: `outbox` may not be assigned yet.
    const o = this.outbox as PressOutbox | undefined;
    if (!o) return;
    this.waiting = o.waiting;
    this.rejected = o.rejected;
    this.storeFailed = o.storeFailed;
  }
}
