// The staff pages' side of the HTTP API: the signed-in account (GET /api/me) and requests
// that carry the session cookie and, for changes, its CSRF token (docs/protocol.md,
// "Accounts"). Errors come back as codes, translated by the page (error_text.ts).
import { navigate } from './navigate';
import type { ErrorCode } from './protocol';

export type AccountRole = 'admin' | 'facilitator' | 'reviewer';

export interface Me {
  name: string;
  role: AccountRole;
  csrf: string;
}

export interface WorkshopListing {
  id: string;
  title: Record<string, string>;
  languages: string[];
  state: 'live' | 'ended';
  mode: string;
  /** A self-paced workshop's window (RFC 3339, UTC); absent for a live one. */
  opens_at?: string;
  closes_at?: string;
  created_at: number;
  participants: number;
  owner: string | null;
  access: 'owner' | 'shared' | 'all';
  // When its responses were purged (retention) or erased by staff; null: they are kept.
  purged_at: number | null;
  /** The programme of research it belongs to (a tag); null: none. */
  programme?: string | null;
  /** When staff archived it (ms); null: not archived. */
  archived_at?: number | null;
  /** Every group with its target (null: none) and how many participants chose it. */
  reach?: { group: string; label: Record<string, string>; target: number | null; reached: number }[];
}

/** One Likert statement's statistics in a comparison (as in a summary, staff view). */
export interface ComparedStats {
  n: number;
  counts: number[];
  median: number | [number, number] | null;
  agree_pct: number | null;
  agree_ci95: [number, number] | null;
  consensus: number | null;
}

/** GET /api/compare?workshops=…: the same statements side by side, pooled, and reach. */
export interface Comparison {
  workshops: {
    id: string;
    title: Record<string, string>;
    languages: string[];
    programme: string | null;
    state: 'live' | 'ended';
    participants: number;
  }[];
  statements: {
    statement: Record<string, string>;
    points: number;
    rows: (ComparedStats & { workshop: string; activity: string })[];
    pooled: ComparedStats;
  }[];
  reach: {
    group: string;
    label: Record<string, string>;
    reached: number;
    target: number | null;
    by_workshop: { workshop: string; reached: number }[];
  }[];
}

/** The ids of `?workshops=a,b` in a page address (the comparison kept in the address). */
export function comparedIds(search: string): string[] {
  const raw = new URLSearchParams(search).get('workshops') ?? '';
  return [...new Set(raw.split(',').filter(Boolean))];
}

/** The distinct programme tags of a workshop list, sorted. */
export function programmesOf(list: readonly WorkshopListing[]): string[] {
  return [...new Set(list.map((w) => w.programme).filter((p): p is string => !!p))].sort((a, b) => a.localeCompare(b));
}

export interface UserListing {
  id: string;
  name: string;
  role: AccountRole;
  disabled: boolean;
  created_at: number;
}

/** The audit log's actions (docs/protocol.md, "Audit trail"), in the server's order. */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'user_added',
  'user_changed',
  'workshop_created',
  'workshop_duplicated',
  'workshop_shared',
  'workshop_ended',
  'activity_opened',
  'activity_closed',
  'activity_revealed',
  'activity_reopened',
  'note_hidden',
  'note_shown',
  'note_deleted',
  'exported',
  'audit_exported',
  'withdrawn',
  'erased',
  'backup',
  'purged',
  'links_rotated',
  'workshop_deleted',
  'workshop_edited',
  'workshop_archived',
  'workshop_unarchived',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditActorKind = 'participant' | 'staff' | 'operator' | 'system';

export interface AuditEntry {
  id: number;
  at: number;
  actor_kind: AuditActorKind;
  actor: string;
  action: AuditAction;
  workshop: string | null;
  detail: string | null;
  address: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  next_before: number | null;
}

/** The audit page's filters as typed: dates are the date inputs' "YYYY-MM-DD" (or ""). */
export interface AuditFilters {
  action: AuditAction | '';
  workshop: string;
  from: string;
  to: string;
}

/** Local midnight at the start of a "YYYY-MM-DD" day, `days` later; null when not a date. */
function dayStart(date: string, days = 0): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).getTime();
}

/**
 * The query string of GET /api/audit(.csv) for these filters: from the start of the `from` day
 * up to the end of the `to` day (local time, as ms), and `before` for the next page.
 */
export function auditQuery(f: AuditFilters, page: { before?: number; limit?: number } = {}): string {
  const q = new URLSearchParams();
  if (f.action) q.set('action', f.action);
  if (f.workshop.trim()) q.set('workshop', f.workshop.trim());
  const from = dayStart(f.from);
  if (from !== null) q.set('from', String(from));
  const to = dayStart(f.to, 1);
  if (to !== null) q.set('to', String(to));
  if (page.before !== undefined) q.set('before', String(page.before));
  if (page.limit !== undefined) q.set('limit', String(page.limit));
  const text = q.toString();
  return text ? `?${text}` : '';
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | {
      ok: false;
      status: number;
      code: ErrorCode | 'network';
      retryAfterS?: number;
      /** The JSON path of the field refused, and why (a workshop file's 400 and 409). */
      path?: string;
      problem?: string;
      /** The server's own words (English), e.g. "$.closes_at: must be after opens_at". */
      message?: string;
    };

let current: Me | null = null;

/** One request to the API with the session cookie; `body` is sent as JSON text. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && current) headers['X-CSRF-Token'] = current.csrf;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, code: 'network' };
  }
  let data: unknown = null;
  try {
    data = res.status === 204 ? null : await res.json();
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const error = (data as { error?: { code?: ErrorCode; path?: unknown; problem?: unknown; message?: unknown } } | null)?.error;
    const retry = Number(res.headers.get('Retry-After'));
    return {
      ok: false,
      status: res.status,
      code: error?.code ?? 'server_error',
      retryAfterS: Number.isFinite(retry) && retry > 0 ? retry : undefined,
      path: typeof error?.path === 'string' ? error.path : undefined,
      problem: typeof error?.problem === 'string' ? error.problem : undefined,
      message: typeof error?.message === 'string' ? error.message : undefined,
    };
  }
  return { ok: true, status: res.status, data: data as T };
}

/** The signed-in account, or null (not signed in, or the session ended). */
export async function loadMe(): Promise<Me | null> {
  const r = await api<Me>('GET', '/api/me');
  current = r.ok ? r.data : null;
  return current;
}

/**
 * The signed-in account of a staff page; without one, the sign-in page is opened instead
 * (it comes back to this page afterwards) and the page gets null.
 */
export async function signedInOrSignIn(): Promise<Me | null> {
  const me = await loadMe();
  if (!me) navigate(`/s/login?next=${encodeURIComponent(location.pathname)}`);
  return me;
}

export function rememberMe(me: Me): void {
  current = me;
}

export async function signOut(): Promise<void> {
  await api<null>('POST', '/api/logout');
  current = null;
}

/** A workshop title in the UI language, else in the workshop's first language. */
export function titleIn(title: Record<string, string>, languages: string[], lang: string): string {
  return title[lang] ?? title[languages[0] ?? 'en'] ?? Object.values(title)[0] ?? '';
}

/**
 * The page to go to after signing in: only a same-site staff path (no open redirect): the staff
 * pages, or a workshop's console or big screen.
 */
export function nextPage(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && /^\/(s(\/[a-z]*)?|(s\/w|[fp])\/[A-Za-z0-9_-]{1,64}|s\/w\/[A-Za-z0-9_-]{1,64}\/edit)$/.test(next) ? next : '/s';
}

const MONTHS = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  cy: ['Ion', 'Chwef', 'Maw', 'Ebr', 'Mai', 'Meh', 'Gorff', 'Awst', 'Medi', 'Hyd', 'Tach', 'Rhag'],
} as const;

/**
 * A date as "28 Nov 2026" / "28 Tach 2026", in local time. Written out here because browsers
 * often lack Welsh locale data and fall back to English month names.
 */
export function formatDay(ms: number, lang: string): string {
  const d = new Date(ms);
  const months: readonly string[] = lang === 'cy' ? MONTHS.cy : MONTHS.en;
  return `${d.getDate()} ${months[d.getMonth()]} ${d.getFullYear()}`;
}

/** A moment as "28 Nov 2026 14:05" / "28 Tach 2026 14:05" (local time, 24-hour clock). */
export function formatWhen(ms: number, lang: string): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${formatDay(ms, lang)} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
