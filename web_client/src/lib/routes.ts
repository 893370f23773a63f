// The SPA's routes. The server answers /, /j/…, /f…, /p…, /k… and /s… with index.html.
// Tokens ride in the fragment so that they never reach server logs or Referer headers.

export type Route =
  | { name: 'join'; code: string | null }
  | { name: 'participant'; code: string }
  | { name: 'facilitator'; workshop: string; token: string }
  | { name: 'presenter'; workshop: string; token: string }
  | { name: 'create' }
  /**
   * Staff pages behind a sign-in (/s/login, /s for workshops, /s/users for admins, /s/audit
   * for admins and reviewers, /s/w/{id} a workshop's results for every staff member who may
   * see it).
   */
  | { name: 'login' }
  | { name: 'workshops' }
  | { name: 'users' }
  | { name: 'audit' }
  | { name: 'review'; workshop: string }
  /** Workshops side by side: the same statements pooled, reach against targets (/s/compare). */
  | { name: 'compare' }
  /** The workshop editor: /s/new (workshop null) and /s/w/{id}/edit, for admins and facilitators. */
  | { name: 'editor'; workshop: string | null }
  /** What each column of the CSV downloads holds (/s/dictionary; no sign-in needed). */
  | { name: 'dictionary' }
  /** A kiosk; `hash` is the raw fragment (credentials and settings, see kiosk_config.ts). */
  | { name: 'kiosk'; hash: string }
  | { name: 'not_found' };

export const CODE_PATTERN = /^[0-9]{6}$/;

/** Normalises what a person typed as a join code: digits only ("482 913" → "482913"). */
export function normaliseCode(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

export function parseRoute(pathname: string, hash: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, arg] = parts;
  if (head === 'k') return { name: 'kiosk', hash };
  const token = decodeURIComponent(hash.replace(/^#/, ''));
  if (parts.length === 0) return { name: 'join', code: null };
  if (head === 'j') {
    if (arg && CODE_PATTERN.test(arg) && parts.length === 2) return { name: 'participant', code: arg };
    return { name: 'join', code: arg ?? null };
  }
  if (head === 'f' && parts.length === 1) return { name: 'create' };
  if (head === 's') {
    if (parts.length === 1) return { name: 'workshops' };
    if (parts.length === 2 && arg === 'login') return { name: 'login' };
    if (parts.length === 2 && arg === 'users') return { name: 'users' };
    if (parts.length === 2 && arg === 'audit') return { name: 'audit' };
    if (parts.length === 2 && arg === 'dictionary') return { name: 'dictionary' };
    if (parts.length === 2 && arg === 'compare') return { name: 'compare' };
    if (parts.length === 2 && arg === 'new') return { name: 'editor', workshop: null };
    if (parts.length === 4 && arg === 'w' && parts[2] && parts[3] === 'edit') return { name: 'editor', workshop: parts[2] };
    if (parts.length === 3 && arg === 'w' && parts[2]) return { name: 'review', workshop: parts[2] };
  }
  if ((head === 'f' || head === 'p') && arg && parts.length === 2) {
    return { name: head === 'f' ? 'facilitator' : 'presenter', workshop: arg, token };
  }
  return { name: 'not_found' };
}

export const links = {
  join: (origin: string, code: string) => `${origin}/j/${encodeURIComponent(code)}`,
  facilitator: (origin: string, id: string, token: string) =>
    `${origin}/f/${encodeURIComponent(id)}#${encodeURIComponent(token)}`,
  presenter: (origin: string, id: string, token: string) =>
    `${origin}/p/${encodeURIComponent(id)}#${encodeURIComponent(token)}`,
  kiosk: (origin: string, kiosk: string, token: string) =>
    `${origin}/k/#kiosk=${encodeURIComponent(kiosk)}&token=${encodeURIComponent(token)}`,
  qr: (text: string) => `/qr.svg?data=${encodeURIComponent(text)}`,
};
