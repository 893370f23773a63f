// The kiosk's durable queue of presses, and the sender that drains it to the server.
//
// A press is written to a PressStore (IndexedDB in the browser, see press_store_browser.ts)
// before the kiosk thanks the person, so neither a dropped network nor a reload nor a reboot
// loses it. The outbox hands stored presses to the connection in order, at most `window` at a
// time (a kiosk back after an hour offline does not trip the server's rate limit), each with
// the op id it got when it was pressed: the server applies an op once and acknowledges a repeat,
// so a press resent after a reconnect or a reload is counted exactly once.
//
// A press leaves the queue only when
// - the server acknowledges its op, or
// - the server refuses it for good (PERMANENT_ERRORS: e.g. `closed`, the activity was not open
//   when it was pressed); it is then counted as rejected and logged.
// Any other error (`server_error`, `rate_limited`, anything unknown) keeps it: sending pauses
// for `retryMs` and resumes with the same op.
//
// Bound: at most `max` presses are kept; past that `add` refuses new presses ('full') rather
// than dropping stored ones.
//
// Not thread-safe in any sense that matters in a browser: one page owns one outbox. Timers,
// op ids and storage are injected, so the whole thing is unit-tested without a browser.

import type { Timers } from './connection';
import { newOpId } from './connection';
import type { ChooseRequest, ErrorMessage, VoteRequest } from './protocol';

/** What a press answers: a Likert scale point, or the one option of a single-answer choice. */
export type PressAnswer = number | { option: string };

export interface QueuedPress {
  /** The op id sent with every (re)send of this press. */
  readonly op: string;
  readonly activity: string;
  /** Exactly one of `value` (a Likert scale point) and `option` (a choice's option id). */
  readonly value?: number;
  readonly option?: string;
  /** When it was pressed, ms since the epoch on the kiosk's clock (the server judges late arrivals by it). */
  readonly pressed_at: number;
  /** Self-paced: the pass (one person's way through the questions) it belongs to; absent: a respondent of its own. */
  readonly pass?: string;
  /** Order of the presses on this kiosk. */
  readonly seq: number;
}

/** Where queued presses live. `add` resolves only once the press is stored. */
export interface PressStore {
  /** False for a store that loses its contents with the page (memory). */
  readonly durable: boolean;
  /** Every stored press, in any order. */
  load(): Promise<QueuedPress[]>;
  add(press: QueuedPress): Promise<void>;
  remove(op: string): Promise<void>;
}

/** Sends one press; exactly one of the callbacks runs when the server answers its op. */
export interface PressSender {
  send(press: QueuedPress, onAck: () => void, onError: (e: ErrorMessage) => void): void;
}

export interface Counter {
  get(): number;
  set(n: number): void;
}

export interface PressOutboxOptions {
  store: PressStore;
  sender: PressSender;
  timers?: Timers;
  newOp?: () => string;
  /** Presses handed to the connection and not yet answered, at most. */
  window?: number;
  /** Presses kept, at most. */
  max?: number;
  /** Pause after an error that keeps the press, in ms. */
  retryMs?: number;
  /** Where the number of rejected presses is kept (survives reloads in the browser). */
  rejected?: Counter;
  /** Runs after every change of `waiting`, `rejected` or `storeFailed`. */
  onChange?: () => void;
  log?: (message: string, detail?: unknown) => void;
}

/** Errors after which resending the same press cannot succeed. */
export const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  'closed',
  'not_found',
  'bad_request',
  'not_allowed',
  'unknown_type',
  'too_large',
  'bad_json',
  'conflict',
]);

export const DEFAULT_WINDOW = 8;
export const MAX_PRESSES = 5_000;
export const RETRY_MS = 3_000;

const defaultTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

function memoryCounter(): Counter {
  let n = 0;
  return { get: () => n, set: (v) => (n = v) };
}

export class PressOutbox {
  private readonly opts: PressOutboxOptions;
  private readonly timers: Timers;
  private readonly makeOp: () => string;
  private readonly window: number;
  private readonly max: number;
  private readonly rejectedCounter: Counter;
  private readonly ready: Promise<void>;
  private entries: QueuedPress[] = [];
  private readonly inFlight = new Set<string>();
  private pauseTimer: unknown = null;
  private nextSeq = 1;
  private rejectedValue: number;
  private storeFailedValue = false;
  private closed = false;

  constructor(opts: PressOutboxOptions) {
    this.opts = opts;
    this.timers = opts.timers ?? defaultTimers;
    this.makeOp = opts.newOp ?? newOpId;
    this.window = Math.max(1, opts.window ?? DEFAULT_WINDOW);
    this.max = opts.max ?? MAX_PRESSES;
    this.rejectedCounter = opts.rejected ?? memoryCounter();
    this.rejectedValue = this.rejectedCounter.get();
    this.ready = this.load();
  }

  /** Resolves once the stored presses are loaded (and handed to the sender). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Presses not yet acknowledged (stored, sent or not). */
  get waiting(): number {
    return this.entries.length;
  }

  /** Presses the server refused for good, since this kiosk was set up. */
  get rejected(): number {
    return this.rejectedValue;
  }

  /** True when the store is not durable, or a write to it failed (presses kept in memory only). */
  get storeFailed(): boolean {
    return this.storeFailedValue || !this.opts.store.durable;
  }

  /** The presses waiting, oldest first (for tests and diagnostics). */
  get queued(): readonly QueuedPress[] {
    return this.entries;
  }

  /**
   * Stores a press, then queues it for sending. Resolves 'queued' once it is stored (or kept in
   * memory if the store failed), or 'full' if the queue is at its bound (the press is not kept).
   * `pass`: the pass the press belongs to (self-paced kiosks).
   */
  async add(activity: string, answer: PressAnswer, pressedAt: number, pass?: string): Promise<'queued' | 'full'> {
    await this.ready;
    if (this.entries.length >= this.max) return 'full';
    const what = typeof answer === 'number' ? { value: answer } : { option: answer.option };
    const press: QueuedPress = {
      op: this.makeOp(),
      activity,
      ...what,
      pressed_at: pressedAt,
      ...(pass ? { pass } : {}),
      seq: this.nextSeq++,
    };
    try {
      await this.opts.store.add(press);
    } catch (e) {
      this.storeFailedValue = true;
      this.log('could not store a press; it is kept in memory only', e);
    }
    this.entries.push(press);
    this.changed();
    this.pump();
    return 'queued';
  }

  /** Stops sending (the page is going away). Stored presses stay stored. */
  close(): void {
    this.closed = true;
    if (this.pauseTimer !== null) this.timers.clear(this.pauseTimer);
    this.pauseTimer = null;
  }

  // ---- internals ----

  private async load(): Promise<void> {
    let stored: QueuedPress[] = [];
    try {
      stored = await this.opts.store.load();
    } catch (e) {
      this.storeFailedValue = true;
      this.log('could not read the stored presses', e);
    }
    stored.sort((a, b) => a.seq - b.seq);
    this.entries = stored;
    this.nextSeq = stored.reduce((m, p) => Math.max(m, p.seq), 0) + 1;
    this.changed();
    this.pump();
  }

  /** Hands the oldest presses not yet handed over to the sender, up to the window. */
  private pump(): void {
    if (this.closed || this.pauseTimer !== null) return;
    for (const press of this.entries) {
      if (this.inFlight.size >= this.window) return;
      if (this.inFlight.has(press.op)) continue;
      this.inFlight.add(press.op);
      this.opts.sender.send(
        press,
        () => this.settle(press, null),
        (e) => this.settle(press, e),
      );
    }
  }

  private settle(press: QueuedPress, error: ErrorMessage | null): void {
    if (!this.inFlight.delete(press.op)) return; // a late duplicate answer
    if (error && !PERMANENT_ERRORS.has(error.code)) {
      this.log(`press ${press.op} not stored by the server (${error.code}); sending it again later`, error);
      this.pause();
      return;
    }
    this.entries = this.entries.filter((p) => p.op !== press.op);
    if (error) {
      this.rejectedValue += 1;
      this.rejectedCounter.set(this.rejectedValue);
      this.log(`press ${press.op} rejected by the server (${error.code}): ${error.message ?? ''}`, press);
    }
    this.opts.store.remove(press.op).catch((e) => this.log('could not remove an answered press', e));
    this.changed();
    this.pump();
  }

  private pause(): void {
    if (this.closed || this.pauseTimer !== null) return;
    this.pauseTimer = this.timers.set(() => {
      this.pauseTimer = null;
      this.pump();
    }, this.opts.retryMs ?? RETRY_MS);
  }

  private changed(): void {
    this.opts.onChange?.();
  }

  private log(message: string, detail?: unknown): void {
    (this.opts.log ?? ((m: string, d?: unknown) => console.warn(`[kiosk] ${m}`, d ?? '')))(message, detail);
  }
}

/**
 * The request that sends a press: `vote` for a scale point, `choose` with one option for a
 * choice; with its `pass` when it has one (presses stored by an older page have none).
 */
export function pressRequest(p: QueuedPress): VoteRequest | ChooseRequest {
  const pass = p.pass ? { pass: p.pass } : {};
  if (p.option !== undefined) return { type: 'choose', activity: p.activity, options: [p.option], pressed_at: p.pressed_at, ...pass };
  return { type: 'vote', activity: p.activity, value: p.value ?? 0, pressed_at: p.pressed_at, ...pass };
}

/** Keeps presses in a Map: for tests (pass the same map to a new store to "reload"). */
export class MemoryPressStore implements PressStore {
  readonly durable: boolean;
  readonly data: Map<string, QueuedPress>;

  constructor(data: Map<string, QueuedPress> = new Map(), durable = true) {
    this.data = data;
    this.durable = durable;
  }

  async load(): Promise<QueuedPress[]> {
    return [...this.data.values()].map((p) => ({ ...p }));
  }

  async add(press: QueuedPress): Promise<void> {
    this.data.set(press.op, { ...press });
  }

  async remove(op: string): Promise<void> {
    this.data.delete(op);
  }
}
