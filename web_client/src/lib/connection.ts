// The one module that owns the WebSocket to cylch-server.
//
// What it does:
// - connects to ws(s)://{host}/ws and sends `hello` first (built fresh on every connect, so a
//   participant token stored after the first welcome is used when resuming);
// - reconnects by itself with exponential backoff and jitter (see backoff.ts), and at once when
//   the browser says it is back online;
// - keeps every state-changing request in an ordered queue until the server answers its op with
//   `ack` or `error`; after a reconnect it resends the unanswered ones with the SAME op ids
//   (the server applies an op at most once and acks a repeat), so an answer is saved exactly once;
// - reports its status (connecting / online / offline / failed) for the UI.
//
// It knows nothing about screens. Timers, the socket factory, randomness and op ids are
// injectable so that the queue and the reconnect logic are unit-tested without a network.
// Bounds: the queue holds at most MAX_QUEUE requests; past that the oldest unsent is rejected
// with code `queue_full` (a phone offline for hours does not grow without limit).

import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import {
  parseServerMessage,
  type AckMessage,
  type ErrorMessage,
  type Hello,
  type Request,
  type ServerMessage,
  type WithOp,
} from './protocol';

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'failed';

/** The part of the browser WebSocket this module uses. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

export interface RequestCallbacks {
  /** `ack` is the server's frame (a `note.add` ack names the new note). */
  onAck?: (op: string, ack?: AckMessage) => void;
  onError?: (error: ErrorMessage) => void;
}

export interface RequestOptions extends RequestCallbacks {
  /**
   * Requests with the same key are "last one wins" (e.g. the answer to one activity): a new
   * one replaces any earlier one not on the wire of the current socket, so answers changed
   * while offline send only the last. Whether or not the server had applied a replaced one,
   * the later one is applied after it, so the outcome is the same.
   */
  key?: string;
  /**
   * Use this op id instead of a new one: for requests kept by the caller across page loads
   * (the kiosk's durable queue), so a resend after a reload is recognised by the server. A
   * request whose op is already queued is not queued twice (its callbacks are replaced).
   */
  op?: string;
}

export interface PendingOp {
  readonly op: string;
  readonly request: Request;
  readonly key: string | undefined;
  /** True while it has been written to the current socket and awaits its answer. */
  sent: boolean;
  callbacks: RequestCallbacks;
}

export interface ConnectionOptions {
  url: string;
  hello: () => Hello;
  /** Every server frame except acks and errors of queued ops (those go to the op's callbacks). */
  onMessage: (msg: ServerMessage) => void;
  onStatus?: (status: ConnectionStatus) => void;
  /** The server refused the hello (bad code, bad token, ...): the connection stops retrying. */
  onHelloRejected?: (error: ErrorMessage) => void;
  /** The server refused the hello for too many wrong codes or tokens from this address; the
   * next attempt waits `ms`. */
  onThrottled?: (ms: number) => void;
  onQueueChange?: (pending: readonly PendingOp[]) => void;
  createSocket?: (url: string) => SocketLike;
  timers?: Timers;
  random?: () => number;
  newOp?: () => string;
  backoff?: BackoffOptions;
  /** Give up on a connect or a hello that got no welcome after this long, in ms. */
  connectTimeoutMs?: number;
  /** Online this long before the backoff starts again from its first step, in ms. */
  stableAfterMs?: number;
}

export const MAX_QUEUE = 200;
const OPEN = 1;
const RATE_LIMIT_RETRY_MS = 2_000;
/** The longest `retry_after_ms` honoured (the server's own back-off is bounded well below). */
const MAX_RETRY_AFTER_MS = 10 * 60_000;
const TRANSIENT_HELLO_ERRORS: ReadonlySet<string> = new Set(['rate_limited', 'server_error']);

const browserTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** A unique op id of 16–128 visible ASCII characters. */
export function newOpId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** ws(s)://host/ws for the page's own origin. */
export function socketUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

export class Connection {
  private readonly opts: ConnectionOptions;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly makeOp: () => string;
  private socket: SocketLike | null = null;
  private welcomed = false;
  private stopped = true;
  private attempt = 0;
  /** No reconnect before this time (timers.now()): the server's `retry_after_ms`. */
  private notBefore = 0;
  private retryTimer: unknown = null;
  private connectTimer: unknown = null;
  private stableTimer: unknown = null;
  private queue: PendingOp[] = [];
  private statusValue: ConnectionStatus = 'connecting';

  constructor(opts: ConnectionOptions) {
    this.opts = opts;
    this.timers = opts.timers ?? browserTimers;
    this.random = opts.random ?? Math.random;
    this.makeOp = opts.newOp ?? newOpId;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get pending(): readonly PendingOp[] {
    return this.queue;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.setStatus('connecting');
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.dropSocket();
  }

  /** Reconnect now instead of waiting for the backoff timer (e.g. the browser came back online). */
  reconnectNow(): void {
    if (this.stopped || this.statusValue === 'failed') return;
    if (this.socket) return; // already connecting or connected
    if (this.retryTimer !== null) {
      this.timers.clear(this.retryTimer);
      this.retryTimer = null;
    }
    this.connect();
  }

  /** Drop the current socket and go through the reconnect path (e.g. the browser went offline). */
  interrupt(): void {
    if (this.stopped || !this.socket) return;
    const s = this.socket;
    this.onSocketGone(s);
    try {
      s.close();
    } catch {
      /* already closing */
    }
  }

  /**
   * Queues a state-changing request and sends it when the connection is ready.
   * Returns the op id. The callbacks run at most once, on `ack` or on `error` for this op.
   */
  request(request: Request, options: RequestOptions = {}): string {
    if (options.op !== undefined) {
      const queued = this.queue.find((p) => p.op === options.op);
      if (queued) {
        queued.callbacks = { onAck: options.onAck, onError: options.onError };
        return queued.op;
      }
    }
    const op = options.op ?? this.makeOp();
    if (options.key !== undefined) {
      this.queue = this.queue.filter((p) => p.sent || p.key !== options.key);
    }
    const pending: PendingOp = {
      op,
      request,
      key: options.key,
      sent: false,
      callbacks: { onAck: options.onAck, onError: options.onError },
    };
    this.queue.push(pending);
    while (this.queue.length > MAX_QUEUE) {
      const i = this.queue.findIndex((p) => !p.sent);
      const [dropped] = this.queue.splice(i < 0 ? 0 : i, 1);
      dropped?.callbacks.onError?.({ type: 'error', op: dropped.op, code: 'queue_full' });
    }
    this.queueChanged();
    if (this.welcomed) this.sendPending(pending);
    return op;
  }

  // ---- internals ----

  private setStatus(s: ConnectionStatus): void {
    if (s === this.statusValue) return;
    this.statusValue = s;
    this.opts.onStatus?.(s);
  }

  private queueChanged(): void {
    this.opts.onQueueChange?.(this.queue);
  }

  private clearTimers(): void {
    for (const t of [this.retryTimer, this.connectTimer, this.stableTimer]) {
      if (t !== null) this.timers.clear(t);
    }
    this.retryTimer = this.connectTimer = this.stableTimer = null;
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    const create = this.opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let s: SocketLike;
    try {
      s = create(this.opts.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = s;
    this.welcomed = false;
    this.connectTimer = this.timers.set(() => {
      this.connectTimer = null;
      if (this.socket === s && !this.welcomed) this.interrupt();
    }, this.opts.connectTimeoutMs ?? 10_000);
    s.onopen = () => {
      if (this.socket !== s) return;
      this.write(s, this.opts.hello());
    };
    s.onmessage = (ev) => {
      if (this.socket !== s) return;
      const msg = parseServerMessage(ev.data);
      if (msg) this.onFrame(msg);
    };
    s.onclose = () => this.onSocketGone(s);
    s.onerror = () => {
      /* a close event follows */
    };
  }

  private onFrame(msg: ServerMessage): void {
    if (msg.type === 'welcome') {
      this.welcomed = true;
      if (this.connectTimer !== null) {
        this.timers.clear(this.connectTimer);
        this.connectTimer = null;
      }
      this.stableTimer = this.timers.set(() => {
        this.stableTimer = null;
        this.attempt = 0;
      }, this.opts.stableAfterMs ?? 5_000);
      this.setStatus('online');
      this.opts.onMessage(msg);
      // Resend everything unanswered, in order, with the same op ids.
      for (const p of [...this.queue]) this.sendPending(p);
      return;
    }
    if (msg.type === 'ack' || (msg.type === 'error' && msg.op !== undefined)) {
      const i = this.queue.findIndex((p) => p.op === msg.op);
      if (i >= 0) {
        const p = this.queue[i]!;
        if (msg.type === 'error' && msg.code === 'rate_limited') {
          // Not applied: try the same op again a little later (still at most once).
          p.sent = false;
          this.timers.set(() => {
            if (this.welcomed && this.queue.includes(p) && !p.sent) this.sendPending(p);
          }, RATE_LIMIT_RETRY_MS);
          return;
        }
        this.queue.splice(i, 1);
        this.queueChanged();
        if (msg.type === 'ack') p.callbacks.onAck?.(p.op, msg);
        else p.callbacks.onError?.(msg);
        return;
      }
      if (msg.type === 'ack') return; // a late duplicate ack
    }
    if (msg.type === 'error' && !this.welcomed) {
      // Busy or briefly unable to serve: the server closes the socket and we retry with backoff,
      // but not before the time it named (retrying earlier only pushes that time back).
      if (TRANSIENT_HELLO_ERRORS.has(msg.code)) {
        if (typeof msg.retry_after_ms === 'number' && msg.retry_after_ms > 0) {
          const ms = Math.min(msg.retry_after_ms, MAX_RETRY_AFTER_MS);
          this.notBefore = this.timers.now() + ms;
          this.opts.onThrottled?.(ms);
        }
        return;
      }
      // The server refused our hello: retrying would only be refused again.
      this.stopped = true;
      this.clearTimers();
      this.dropSocket();
      this.setStatus('failed');
      this.opts.onHelloRejected?.(msg);
      return;
    }
    this.opts.onMessage(msg);
  }

  private sendPending(p: PendingOp): void {
    const s = this.socket;
    if (!s || !this.welcomed || s.readyState !== OPEN) return;
    const frame: WithOp<Request> = { ...p.request, op: p.op };
    if (this.write(s, frame)) p.sent = true;
  }

  private write(s: SocketLike, msg: object): boolean {
    try {
      s.send(JSON.stringify(msg));
      return true;
    } catch {
      return false;
    }
  }

  private onSocketGone(s: SocketLike): void {
    if (this.socket !== s) return;
    this.socket = null;
    this.welcomed = false;
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    if (this.connectTimer !== null) {
      this.timers.clear(this.connectTimer);
      this.connectTimer = null;
    }
    if (this.stableTimer !== null) {
      this.timers.clear(this.stableTimer);
      this.stableTimer = null;
    }
    for (const p of this.queue) p.sent = false;
    if (this.stopped) return;
    this.setStatus('offline');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer !== null) return;
    const delay = Math.max(
      backoffDelay(this.attempt, this.random(), this.opts.backoff ?? DEFAULT_BACKOFF),
      this.notBefore - this.timers.now(),
    );
    this.attempt += 1;
    this.retryTimer = this.timers.set(() => this.connect(), delay);
  }

  private dropSocket(): void {
    const s = this.socket;
    this.socket = null;
    this.welcomed = false;
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    try {
      s.close();
    } catch {
      /* ignore */
    }
  }
}
