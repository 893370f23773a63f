// Reconnect delays: exponential growth with "equal jitter", so that a room full of phones
// that lost the same Wi-Fi does not come back in one burst.

export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  baseMs: number;
  /** Upper bound of any delay, in milliseconds. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/**
 * Delay in milliseconds before retry number `attempt` (0 = first retry).
 * The result lies in [cap/2, cap], cap = min(maxMs, baseMs * 2^attempt); `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, random: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** exp);
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(cap / 2 + (cap / 2) * r);
}
