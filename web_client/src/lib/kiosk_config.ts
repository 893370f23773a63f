// A kiosk's credentials and settings. The administrator opens the kiosk once with
//   /k/#kiosk=k_…&token=…[&reset=5][&interval=3][&idle=60]
// (the fragment never reaches the server's logs); the page stores them and removes the
// fragment from the address bar, so later loads (after a reboot) use the stored ones.
// Pure: the caller reads and writes the storage and the address bar.

export interface KioskConfig {
  kiosk: string;
  token: string;
  /** How long the thank-you screen stays, in seconds. */
  resetSeconds: number;
  /** Minimum time between two counted presses, in seconds (misuse guard). */
  intervalSeconds: number;
  /**
   * Self-paced questionnaires: seconds without a touch after which a pass is abandoned and the
   * kiosk starts again for the next person (absent: the default, 60; kept only when set).
   */
  idleSeconds?: number;
}

export const DEFAULT_RESET_SECONDS = 5;
export const DEFAULT_INTERVAL_SECONDS = 3;
const MAX_SECONDS = 3600;
/** A pass abandoned sooner would cut off someone reading a long statement. */
export const MIN_IDLE_SECONDS = 5;

// Ids and tokens as the server accepts them (shared/protocol: 1–64 of A–Z a–z 0–9 _ -).
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const KIOSK_ID = /^k_[A-Za-z0-9_-]{1,62}$/;

export type KioskSetup =
  | { config: KioskConfig; problem: null }
  /** `missing`: never set up; `bad_link`: the fragment names a kiosk but is incomplete or malformed. */
  | { config: null; problem: 'missing' | 'bad_link' };

function seconds(raw: unknown, min: number): number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= min && n <= MAX_SECONDS ? n : null;
}

function parseStored(json: string | null): Partial<KioskConfig> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as Partial<KioskConfig>;
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/**
 * The kiosk's set-up from the page's fragment (`location.hash`) and what was stored before
 * (`stored`: the JSON written last time, or null). Credentials in the fragment replace stored
 * ones; `reset`, `interval` and `idle` in the fragment replace stored settings (out-of-range values are
 * ignored). `save` is the JSON to store (null: nothing to store).
 */
export function resolveKioskSetup(hash: string, stored: string | null): KioskSetup & { save: string | null } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const before = parseStored(stored);
  const hasCredentials = params.has('kiosk') || params.has('token');
  let kiosk = typeof before.kiosk === 'string' ? before.kiosk : '';
  let token = typeof before.token === 'string' ? before.token : '';
  if (hasCredentials) {
    kiosk = params.get('kiosk') ?? '';
    token = params.get('token') ?? '';
    if (!KIOSK_ID.test(kiosk) || !ID.test(token)) return { config: null, problem: 'bad_link', save: null };
  }
  if (!KIOSK_ID.test(kiosk) || !ID.test(token)) return { config: null, problem: 'missing', save: null };
  const idle = seconds(params.get('idle'), MIN_IDLE_SECONDS) ?? seconds(before.idleSeconds, MIN_IDLE_SECONDS);
  const config: KioskConfig = {
    kiosk,
    token,
    resetSeconds: seconds(params.get('reset'), 1) ?? seconds(before.resetSeconds, 1) ?? DEFAULT_RESET_SECONDS,
    intervalSeconds:
      seconds(params.get('interval'), 0) ?? seconds(before.intervalSeconds, 0) ?? DEFAULT_INTERVAL_SECONDS,
    ...(idle !== null ? { idleSeconds: idle } : {}),
  };
  const save = JSON.stringify(config);
  return { config, problem: null, save: save === stored ? null : save };
}
