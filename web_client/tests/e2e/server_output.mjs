// Reads what cylch-server prints at start-up. All the regexes live here, so a change in the
// server's wording is fixed in one place.

const LISTENING = /listening on (https?:\/\/[^\s]+)/;
const WORKSHOP = /workshop:\s*(w_[A-Za-z0-9_-]+)/;
const CODE = /\bcode:\s*([0-9]{6})\b/;
const FACILITATOR = /facilitator token:\s*([A-Za-z0-9_~.-]+)/;
const PRESENTER = /presenter token:\s*([A-Za-z0-9_~.-]+)/;

/**
 * @param {string} text everything the server printed on stdout so far
 * @returns {{ baseUrl: string | null, workshops: { id: string, code?: string, facilitatorToken?: string, presenterToken?: string }[] }}
 */
export function parseServerOutput(text) {
  const baseUrl = text.match(LISTENING)?.[1]?.replace(/\/$/, '') ?? null;
  /** @type {{ id: string, code?: string, facilitatorToken?: string, presenterToken?: string }[]} */
  const workshops = [];
  for (const line of text.split('\n')) {
    const w = line.match(WORKSHOP);
    if (w && !line.includes('link')) {
      workshops.push({ id: w[1] });
      continue;
    }
    const current = workshops[workshops.length - 1];
    if (!current) continue;
    const c = line.match(CODE);
    if (c && !current.code) current.code = c[1];
    const f = line.match(FACILITATOR);
    if (f) current.facilitatorToken = f[1];
    const p = line.match(PRESENTER);
    if (p) current.presenterToken = p[1];
  }
  return { baseUrl, workshops };
}

/** True once the output names the address and every expected workshop completely. */
export function isComplete(parsed, expectedWorkshops) {
  return (
    !!parsed.baseUrl &&
    parsed.workshops.length >= expectedWorkshops &&
    parsed.workshops.every((w) => w.code && w.facilitatorToken && w.presenterToken)
  );
}
