// End to end: a self-paced questionnaire (docs/protocol.md, "Self-paced workshops") against the
// real cylch-server. A workshop posted to /api/workshops that opened an hour ago and closes in
// two days: two phones (one in Welsh) answer one question per screen with Back and Next, one is
// reloaded half-way and resumes at its first unanswered question with its answers kept, both
// reach "Check your answers"; the console shows the window and each question's answers (no run
// of show); the projector counts answers per question; a kiosk takes two people through its
// questions, one pass each (a pass of several answers is one respondent; going back replaces
// an answer), a pass made offline is sent once with its pass id when the network is back, and
// a pass left alone starts again; the results API counts it all. A second
// workshop opens tomorrow: its phone and kiosk say when. Closing early thanks everyone. Axe on
// every new screen; no sideways scroll at 360 px.
//
// Run: npm run test:e2e   (builds dist/ first; needs the server binary and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, openPage, overflowsSideways, shot } from './browser.mjs';
import { ADMIN_TOKEN, startServer } from './server.mjs';

const PHONE = { viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, hasTouch: true };
const KIOSK_SCREEN = { viewport: { width: 800, height: 480 }, hasTouch: true };
const T = 10_000;
const HOUR = 3_600_000;
const IDLE_S = 5; // the kiosk's inactivity reset

const S1 = ['I would like to use these personas in my work.', "Hoffwn ddefnyddio'r personas hyn yn fy ngwaith."];
const CHOICE = ['Which innovation profile is most like you?', 'Pa broffil arloesi sydd fwyaf tebyg i chi?'];
const PROFILES = [
  ['problem_solver', 'Problem solver', 'Datryswr problemau'],
  ['connector', 'Connector', 'Cysylltydd'],
  ['visionary', 'Visionary', 'Gweledydd'],
];
const RANK = ['Which action area should come first?', 'Pa faes gweithredu ddylai ddod yn gyntaf?'];
const AREAS = [
  ['convene', 'Convening people', 'Dod â phobl ynghyd'],
  ['platform', 'A shared platform', 'Llwyfan a rennir'],
  ['embed', 'Embedding innovation', 'Ymgorffori arloesi'],
];
const OPEN = ['What would make the personas useful to you?', "Beth fyddai'n gwneud y personas yn ddefnyddiol i chi?"];
const S2 = ['These personas are useful to the wider system.', "Mae'r personas hyn yn ddefnyddiol i'r system ehangach."];
const label = ([, en, cy]) => ({ en, cy });
const both = ([en, cy]) => ({ en, cy });

// UTC, whole seconds (RFC 3339 as the server writes it back).
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const now = Date.now();
const fileFor = (title, opensAt, closesAt) => ({
  title,
  languages: ['en', 'cy'],
  min_cell: 1, // a handful of answers: shown here (small cells are tested elsewhere)
  groups: [
    { id: 'innovator', label: { en: 'Innovator', cy: 'Arloeswr' } },
    { id: 'enabler', label: { en: 'Enabler', cy: 'Galluogwr' } },
  ],
  mode: 'self_paced',
  opens_at: iso(opensAt),
  closes_at: iso(closesAt),
  activities: [
    { kind: 'likert', statement: both(S1), scale: 5, results: 'live' },
    { kind: 'choice', question: both(CHOICE), max: 1, results: 'live', options: PROFILES.map((p) => ({ id: p[0], label: label(p) })) },
    { kind: 'ranking', question: both(RANK), results: 'live', items: AREAS.map((a) => ({ id: a[0], label: label(a) })) },
    { kind: 'open_text', question: both(OPEN), max_length: 200 },
    { kind: 'likert', statement: both(S2), scale: 5, results: 'live' },
  ],
});
const FILE = fileFor({ en: 'Persona survey', cy: 'Arolwg personas' }, now - HOUR, now + 48 * HOUR);
const LATER_OPENS = now + 24 * HOUR;
const LATER = fileFor({ en: 'Later survey', cy: 'Arolwg hwyrach' }, LATER_OPENS, now + 72 * HOUR);

const MONTHS = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  cy: ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'],
};
/** "2 December 2026 at 09:00" as the page writes it (the browser runs in this process's time zone). */
function dateText(ms, lang) {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[lang][d.getMonth()]} ${d.getFullYear()} ${lang === 'cy' ? 'am' : 'at'} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

async function api(server, method, path, token, body) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

// One server for the file; the workshops are posted first, so a server without self-paced
// workshops fails here with its own explanation.
const server = await startServer({ imports: [] });
const created = await api(server, 'POST', '/api/workshops', ADMIN_TOKEN, FILE);
const createdLater = await api(server, 'POST', '/api/workshops', ADMIN_TOKEN, LATER);
if (created.status !== 201 || createdLater.status !== 201) {
  await server.stop();
  throw new Error(
    `cylch-server refused a self-paced workshop: ${created.status} ${JSON.stringify(created.json)} / ${createdLater.status} ${JSON.stringify(createdLater.json)}`,
  );
}
after(() => server.stop());

describe('a self-paced questionnaire: two phones, the console, the projector and a kiosk', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const ws = created.json; // { id, code, facilitator_token, presenter_token }
  const later = createdLater.json;
  let facilitator, presenter, alys, bryn, kiosk, kioskContext;
  let blockSocket = false; // while true, the kiosk's WebSocket cannot reach the server
  const frames = []; // the kiosk's vote and choose frames, as sent
  const cspViolations = [];

  async function expectNoAxe(page, where) {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
  }
  async function expectFits(page, where) {
    assert.equal(await overflowsSideways(page), false, `${where}: no sideways scroll`);
  }
  const newPage = (options = {}) => openPage(browser, server.baseUrl, cspViolations, options);

  /** The results API's summary of the activity at `position`. */
  async function summary(position, id = ws.id, token = ws.facilitator_token) {
    const { status, json } = await api(server, 'GET', `/api/workshops/${id}/results`, token);
    assert.equal(status, 200, JSON.stringify(json));
    return json.activities.find((a) => a.activity.position === position).summary;
  }
  /** Waits until the server counts `n` answers to the activity at `position`. */
  async function expectN(position, n) {
    const deadline = Date.now() + 15_000;
    let s = await summary(position);
    while ((s?.n ?? 0) !== n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      s = await summary(position);
    }
    assert.equal(s?.n ?? 0, n, `answers to activity ${position + 1}`);
    return s;
  }

  async function join(page, welsh, group) {
    await page.goto(`/j/${ws.code}`);
    if (welsh) await page.locator('.lang-switch').click({ timeout: T });
    await page.getByRole('radio', { name: group }).check({ timeout: T });
    await page.getByRole('button', { name: welsh ? 'Parhau' : 'Continue' }).click();
  }
  const progress = (page) => page.locator('#sp-progress');
  async function expectQuestion(page, text, of) {
    await page.getByRole('heading', { name: text, exact: true }).waitFor({ timeout: T });
    assert.equal((await progress(page).innerText()).trim(), of);
  }
  const nav = (page, name) => page.locator('.sp-nav').getByRole('button', { name, exact: true });
  async function waitSaved(page, welsh = false) {
    await page.getByText(welsh ? "Mae eich ateb wedi'i gadw" : 'Your answer has been saved').waitFor({ timeout: T });
  }

  before(async () => {
    browser = await launch();
    facilitator = await newPage({ viewport: { width: 1366, height: 900 } });
    await facilitator.goto(`/f/${ws.id}#${ws.facilitator_token}`);
    presenter = await newPage({ viewport: { width: 1920, height: 1080 } });
    await presenter.goto(`/p/${ws.id}#${ws.presenter_token}`);
    await presenter.getByTestId('join-code').waitFor({ timeout: T });
  });

  after(async () => {
    await browser?.close();
  });

  it('the workshop API gives the mode and the dates in UTC', async () => {
    const { status, json } = await api(server, 'GET', `/api/workshops/${ws.id}`, ws.facilitator_token);
    assert.equal(status, 200, JSON.stringify(json));
    const w = json.workshop ?? json;
    assert.equal(w.mode, 'self_paced');
    assert.equal(w.opens_at, FILE.opens_at);
    assert.equal(w.closes_at, FILE.closes_at);
  });

  it('the console shows the window, no run of show, and the questions', async () => {
    await facilitator.getByRole('heading', { name: 'Persona survey' }).waitFor({ timeout: T });
    const win = facilitator.getByTestId('sp-window');
    await win.getByText('Self-paced questionnaire').waitFor({ timeout: T });
    await win.getByTestId('sp-phase').getByText('Open now').waitFor({ timeout: T });
    await win.getByText(`Open from ${dateText(Date.parse(FILE.opens_at), 'en')} to ${dateText(Date.parse(FILE.closes_at), 'en')}`).waitFor();
    assert.equal(await facilitator.locator('.next-step').count(), 0, 'no Next button');
    assert.equal(await facilitator.getByRole('button', { name: 'Open', exact: true }).count(), 0, 'no Open buttons');
    assert.equal(await facilitator.locator('table.overview tbody tr').count(), 5);
    await shot(facilitator, 'sp01-console-open');
    await expectNoAxe(facilitator, 'self-paced console');
  });

  it('a phone answers one question per screen, with Back and Next, and its progress', async () => {
    alys = await newPage(PHONE);
    await join(alys, false, 'Innovator');
    await expectQuestion(alys, S1[0], 'Question 1 of 5');
    const bar = alys.locator('progress');
    assert.equal(await bar.getAttribute('max'), '5');
    assert.equal(await bar.getAttribute('value'), '1');
    // Nothing answered yet: Skip, and Back is not offered on the first question.
    await nav(alys, 'Skip this question').waitFor();
    assert.equal(await nav(alys, 'Back').isDisabled(), true);
    await shot(alys, 'sp02-phone-question-1');
    await expectNoAxe(alys, 'phone question 1');
    await expectFits(alys, 'phone question 1');

    await alys.getByRole('radio', { name: 'Agree', exact: true }).check();
    await waitSaved(alys);
    await nav(alys, 'Next').click();
    await expectQuestion(alys, CHOICE[0], 'Question 2 of 5');
    assert.equal(await alys.evaluate(() => document.activeElement?.id), 'sp-progress', 'the focus moves to the new question');
    await alys.getByRole('radio', { name: 'Connector', exact: true }).check();
    await waitSaved(alys);
    // Back: the first answer is still given; then forward again.
    await nav(alys, 'Back').click();
    await expectQuestion(alys, S1[0], 'Question 1 of 5');
    assert.equal(await alys.getByRole('radio', { name: 'Agree', exact: true }).isChecked(), true);
    await nav(alys, 'Next').click();
    await expectQuestion(alys, CHOICE[0], 'Question 2 of 5');
    assert.equal(await alys.getByRole('radio', { name: 'Connector', exact: true }).isChecked(), true);
    await nav(alys, 'Next').click();
    // The ranking is skipped.
    await expectQuestion(alys, RANK[0], 'Question 3 of 5');
    await alys.getByText('Answering is optional', { exact: false }).waitFor();
    await nav(alys, 'Skip this question').click();
    await expectQuestion(alys, OPEN[0], 'Question 4 of 5');
    await alys.getByLabel('Your answer', { exact: true }).fill('Examples from care teams');
    await alys.getByRole('button', { name: 'Send my answer' }).click();
    await waitSaved(alys);
    await shot(alys, 'sp03-phone-open-text');
    await expectNoAxe(alys, 'phone open question');
    await nav(alys, 'Next').click();
    await expectQuestion(alys, S2[0], 'Question 5 of 5');
    await alys.getByRole('radio', { name: 'Strongly agree', exact: true }).check();
    await waitSaved(alys);
    await nav(alys, 'Check your answers').click();
    await alys.getByRole('heading', { name: 'Check your answers' }).waitFor({ timeout: T });
    await alys.getByText('Thank you — you have answered 4 of 5 questions.').waitFor();
    await alys.getByText(`You can change your answers until ${dateText(Date.parse(FILE.closes_at), 'en')}.`).waitFor();
    const list = alys.locator('.sp-review-list > li');
    assert.equal(await list.count(), 5);
    await list.nth(0).getByText('Agree', { exact: true }).waitFor();
    await list.nth(1).getByText('Connector').waitFor();
    await list.nth(2).getByText('Not answered').waitFor();
    await shot(alys, 'sp04-phone-review');
    await expectNoAxe(alys, 'phone check your answers');
    await expectFits(alys, 'phone check your answers');
    // Back to the skipped ranking from the list, and it is answered after all.
    await alys.getByRole('button', { name: 'Answer question 3', exact: true }).click();
    await expectQuestion(alys, RANK[0], 'Question 3 of 5');
    await alys.getByRole('button', { name: 'Send my order' }).click();
    await waitSaved(alys);
    await nav(alys, 'Next').click();
    await expectQuestion(alys, OPEN[0], 'Question 4 of 5');
    await alys.getByLabel('Your answer', { exact: true }).waitFor();
    assert.equal(await alys.getByLabel('Your answer', { exact: true }).inputValue(), 'Examples from care teams');
  });

  it('a Welsh phone reloaded half-way resumes at its first unanswered question, its answers kept', async () => {
    bryn = await newPage(PHONE);
    await join(bryn, true, 'Galluogwr');
    await expectQuestion(bryn, S1[1], 'Cwestiwn 1 o 5');
    await bryn.getByRole('radio', { name: 'Cytuno', exact: true }).check();
    await waitSaved(bryn, true);
    await nav(bryn, 'Nesaf').click();
    await expectQuestion(bryn, CHOICE[1], 'Cwestiwn 2 o 5');
    await bryn.getByRole('radio', { name: 'Gweledydd', exact: true }).check();
    await waitSaved(bryn, true);
    await shot(bryn, 'sp05-phone-welsh-question-2');
    await expectNoAxe(bryn, 'Welsh phone question');
    await bryn.reload();
    await expectQuestion(bryn, RANK[1], 'Cwestiwn 3 o 5');
    await nav(bryn, 'Yn ôl').click();
    await expectQuestion(bryn, CHOICE[1], 'Cwestiwn 2 o 5');
    assert.equal(await bryn.getByRole('radio', { name: 'Gweledydd', exact: true }).isChecked(), true, 'the answer given before the reload');
    // Changing an answer replaces it.
    await bryn.getByRole('radio', { name: 'Cysylltydd', exact: true }).check();
    await waitSaved(bryn, true);
    await nav(bryn, 'Nesaf').click();
    await expectQuestion(bryn, RANK[1], 'Cwestiwn 3 o 5');
    await nav(bryn, 'Hepgor y cwestiwn hwn').click();
    await expectQuestion(bryn, OPEN[1], 'Cwestiwn 4 o 5');
    // Typed and not sent: Next sends it (it reads "Nesaf", not "Hepgor").
    await bryn.getByLabel('Eich ateb', { exact: true }).fill('Fersiwn Cymraeg o bob persona');
    await nav(bryn, 'Nesaf').click();
    await expectQuestion(bryn, S2[1], 'Cwestiwn 5 o 5');
    await bryn.getByRole('radio', { name: 'Anghytuno', exact: true }).check();
    await waitSaved(bryn, true);
    await nav(bryn, 'Gwirio’ch atebion').click();
    await bryn.getByRole('heading', { name: 'Gwirio’ch atebion' }).waitFor({ timeout: T });
    await bryn.getByText('Diolch — rydych chi wedi ateb 4 o 5 cwestiwn.').waitFor();
    await bryn.locator('.sp-review-list > li').nth(3).getByText('Fersiwn Cymraeg o bob persona').waitFor();
    await bryn.getByText(`Gallwch newid eich atebion tan ${dateText(Date.parse(FILE.closes_at), 'cy')}.`).waitFor();
    await shot(bryn, 'sp06-phone-welsh-review');
    await expectNoAxe(bryn, 'Welsh check your answers');
    await expectFits(bryn, 'Welsh check your answers');
    // Reloaded again: it resumes at the first question still unanswered, the ranking.
    await bryn.reload();
    await expectQuestion(bryn, RANK[1], 'Cwestiwn 3 o 5');
  });

  it('the results API and the console count the phones', async () => {
    const s1 = await expectN(0, 2);
    assert.deepEqual(s1.counts, [0, 0, 0, 2, 0]);
    const c = await expectN(1, 2);
    assert.equal(c.counts.connector, 2, 'Bryn changed Visionary to Connector');
    await expectN(2, 1);
    await expectN(3, 2);
    await expectN(4, 2);
    const row = (i) => facilitator.locator('table.overview tbody tr').nth(i).locator('td.num');
    for (const [i, n] of [[0, '2'], [1, '2'], [2, '1'], [3, '2'], [4, '2']]) {
      await facilitator.waitForFunction(
        ([i, n]) => document.querySelectorAll('table.overview tbody tr')[i]?.querySelector('td.num')?.textContent?.trim() === n,
        [i, n],
        { timeout: T },
      );
      assert.equal((await row(i).innerText()).trim(), n);
    }
    await shot(facilitator, 'sp07-console-counts');
  });

  it('the projector counts answers per question', async () => {
    const table = presenter.getByTestId('sp-presenter-counts');
    await table.waitFor({ timeout: T });
    await presenter.waitForFunction(
      () => [...document.querySelectorAll('[data-testid="sp-presenter-counts"] tbody td')].map((td) => td.textContent.trim()).join() === '2,2,1,2,2',
      null,
      { timeout: T },
    );
    await shot(presenter, 'sp08-presenter');
    await expectNoAxe(presenter, 'self-paced projector');
  });

  it('a kiosk takes one person at a time: one pass, going back replaces, the next person is another respondent', async () => {
    const made = await api(server, 'POST', '/api/kiosks', ADMIN_TOKEN, { name: 'Hall kiosk', workshop: ws.id });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const context = await browser.newContext({ ...KIOSK_SCREEN, baseURL: server.baseUrl });
    kioskContext = context;
    await context.routeWebSocket(/\/ws$/, (route) => {
      if (blockSocket) {
        route.close();
        return;
      }
      const upstream = route.connectToServer();
      route.onMessage((frame) => {
        const msg = JSON.parse(String(frame));
        if (msg.type === 'vote' || msg.type === 'choose') frames.push(msg);
        upstream.send(frame);
      });
      upstream.onMessage((frame) => route.send(frame));
    });
    kiosk = await context.newPage();
    kiosk.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
    await kiosk.goto(`/k/#kiosk=${made.json.id}&token=${made.json.token}&reset=1&idle=${IDLE_S}`);
    // Likert, choice, Likert: the ranking and the open question are for phones.
    await kiosk.getByRole('heading', { name: 'Welcome Croeso' }).waitFor({ timeout: T });
    await kiosk.getByText('3 short questions, one at a time.', { exact: false }).waitFor();
    await shot(kiosk, 'sp09-kiosk-welcome');
    await expectNoAxe(kiosk, 'kiosk welcome');
    await expectFits(kiosk, 'kiosk welcome');
    await kiosk.getByRole('button', { name: /^Start/ }).click();
    await kiosk.getByRole('heading', { name: `${S1[0]} ${S1[1]}` }).waitFor({ timeout: T });
    await kiosk.getByTestId('kiosk-progress').getByText('Question 1 of 3').waitFor();
    await shot(kiosk, 'sp10-kiosk-question');
    await expectNoAxe(kiosk, 'kiosk pass question');
    await expectFits(kiosk, 'kiosk pass question');
    await kiosk.getByRole('button', { name: /^4 / }).click();
    await kiosk.getByRole('heading', { name: `${CHOICE[0]} ${CHOICE[1]}` }).waitFor({ timeout: T });
    await kiosk.getByTestId('kiosk-progress').getByText('Question 2 of 3').waitFor();
    // Back: the press given is marked; another replaces it.
    await kiosk.getByRole('button', { name: /^Back/ }).click();
    await kiosk.getByRole('heading', { name: `${S1[0]} ${S1[1]}` }).waitFor({ timeout: T });
    assert.equal(await kiosk.getByRole('button', { name: /^4 / }).getAttribute('aria-pressed'), 'true');
    await kiosk.getByRole('button', { name: /^5 / }).click();
    await kiosk.getByRole('button', { name: /^2 Connector/ }).click();
    await kiosk.getByRole('heading', { name: `${S2[0]} ${S2[1]}` }).waitFor({ timeout: T });
    await kiosk.getByRole('button', { name: /^3 / }).click();
    await kiosk.getByRole('heading', { name: 'Thank you Diolch' }).waitFor({ timeout: T });
    await kiosk.getByText('Your answers have been recorded.').waitFor();
    await shot(kiosk, 'sp11-kiosk-thanks');
    await expectNoAxe(kiosk, 'kiosk pass thank-you');
    // The next person: a fresh pass.
    await kiosk.getByRole('heading', { name: 'Welcome Croeso' }).waitFor({ timeout: T });
    await kiosk.getByRole('button', { name: /^Start/ }).click();
    await kiosk.getByRole('button', { name: /^2 / }).first().click();
    await kiosk.getByRole('button', { name: /^Skip/ }).click();
    await kiosk.getByRole('heading', { name: `${S2[0]} ${S2[1]}` }).waitFor({ timeout: T });
    await kiosk.getByRole('button', { name: /^Skip/ }).click();
    await kiosk.getByRole('heading', { name: 'Thank you Diolch' }).waitFor({ timeout: T });

    const passes = [...new Set(frames.map((f) => f.pass))];
    assert.equal(passes.length, 2, 'two people, two passes');
    for (const p of passes) assert.match(p, /^[A-Za-z0-9_-]{1,64}$/);
    assert.deepEqual(
      frames.map((f) => [f.type, f.activity === frames[0].activity ? 'S1' : f.type === 'choose' ? 'C' : 'S2', f.value ?? f.options[0], f.pass === passes[0] ? 1 : 2]),
      [
        ['vote', 'S1', 4, 1],
        ['vote', 'S1', 5, 1],
        ['choose', 'C', 'connector', 1],
        ['vote', 'S2', 3, 1],
        ['vote', 'S1', 2, 2],
      ],
    );
    for (const f of frames) assert.equal(typeof f.pressed_at, 'number');
    // The first pass's 4 was replaced by its 5: one respondent per pass.
    const s1 = await expectN(0, 4);
    assert.deepEqual(s1.counts, [0, 1, 0, 2, 1]);
    assert.equal(s1.by_channel?.kiosk?.n, 2, 'two kiosk respondents');
    const c = await expectN(1, 3);
    assert.equal(c.counts.connector, 3);
    const s2 = await expectN(4, 3);
    assert.deepEqual(s2.counts, [0, 1, 1, 0, 1]);
  });

  it('a pass made offline is kept with its pass id and counted once, as one respondent, when back online', async () => {
    const status = kiosk.getByTestId('kiosk-status');
    const before = frames.length;
    blockSocket = true;
    await kioskContext.setOffline(true);
    await status.getByText('Offline — reconnecting', { exact: false }).first().waitFor({ timeout: T });
    await kiosk.getByRole('heading', { name: 'Welcome Croeso' }).waitFor({ timeout: T });
    await kiosk.getByRole('button', { name: /^Start/ }).click();
    await kiosk.getByRole('button', { name: /^1 / }).first().click();
    await kiosk.getByRole('button', { name: /^3 Visionary/ }).click();
    await kiosk.getByRole('heading', { name: `${S2[0]} ${S2[1]}` }).waitFor({ timeout: T });
    await kiosk.getByRole('button', { name: /^1 / }).first().click();
    await kiosk.getByRole('heading', { name: 'Thank you Diolch' }).waitFor({ timeout: T });
    await status.getByText('Waiting to be sent: 3', { exact: false }).first().waitFor({ timeout: T });
    assert.equal(frames.length, before, 'nothing reached the socket');
    await expectN(0, 4);
    blockSocket = false;
    await kioskContext.setOffline(false);
    await status.getByText('Online · Waiting to be sent: 0').waitFor({ timeout: 20_000 });
    const sent = frames.slice(before);
    assert.equal(sent.length, 3);
    assert.equal(new Set(sent.map((f) => f.pass)).size, 1, 'one pass');
    assert.ok(!frames.slice(0, before).some((f) => f.pass === sent[0].pass), 'a new pass');
    const s1 = await expectN(0, 5);
    assert.deepEqual(s1.counts, [1, 1, 0, 2, 1]);
    assert.equal(s1.by_channel?.kiosk?.n, 3);
    assert.equal((await expectN(1, 4)).counts.visionary, 1);
    await expectN(4, 4);
  });

  it('a pass left alone starts again for the next person', async () => {
    await kiosk.getByRole('heading', { name: 'Welcome Croeso' }).waitFor({ timeout: T });
    await kiosk.getByRole('button', { name: /^Start/ }).click();
    await kiosk.getByRole('heading', { name: `${S1[0]} ${S1[1]}` }).waitFor({ timeout: T });
    await kiosk.getByRole('heading', { name: 'Welcome Croeso' }).waitFor({ timeout: (IDLE_S + 3) * 1000 });
    await expectN(0, 5); // nothing was sent
  });

  it('a questionnaire that opens tomorrow says when, on a phone, a kiosk and the console', async () => {
    const phone = await newPage(PHONE);
    await phone.goto(`/j/${later.code}`);
    await phone.getByTestId('sp-opens').getByText(`This questionnaire opens on ${dateText(LATER_OPENS, 'en')}.`).waitFor({ timeout: T });
    await shot(phone, 'sp12-phone-opens-on');
    await expectNoAxe(phone, 'phone opens on');
    await expectFits(phone, 'phone opens on');
    await phone.locator('.lang-switch').click();
    await phone.getByText(`Mae’r holiadur hwn yn agor ar ${dateText(LATER_OPENS, 'cy')}.`).waitFor({ timeout: T });
    await expectNoAxe(phone, 'Welsh phone opens on');
    const made = await api(server, 'POST', '/api/kiosks', ADMIN_TOKEN, { name: 'Later kiosk', workshop: later.id });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const k = await newPage(KIOSK_SCREEN);
    await k.goto(`/k/#kiosk=${made.json.id}&token=${made.json.token}`);
    await k.getByTestId('kiosk-opens').getByText(`This questionnaire opens on ${dateText(LATER_OPENS, 'en')}.`).waitFor({ timeout: T });
    await shot(k, 'sp13-kiosk-opens-on');
    await expectNoAxe(k, 'kiosk opens on');
    const console2 = await newPage({ viewport: { width: 1366, height: 900 } });
    await console2.goto(`/f/${later.id}#${later.facilitator_token}`);
    await console2.getByTestId('sp-phase').getByText('Not open yet').waitFor({ timeout: T });
    await console2.getByText('No activity has been opened yet.').waitFor();
  });

  it('closing the questionnaire early thanks the phones and the kiosk', async () => {
    await facilitator.getByRole('button', { name: 'Close the questionnaire now' }).click();
    await facilitator.getByRole('button', { name: 'Yes, end the workshop' }).click();
    await facilitator.getByTestId('sp-phase').getByText('Closed').waitFor({ timeout: T });
    await alys.getByText('This questionnaire has closed. Thank you.').waitFor({ timeout: T });
    await alys.getByText('You answered 5 of 5 questions.').waitFor();
    await bryn.getByText('Mae’r holiadur hwn wedi cau. Diolch.').waitFor({ timeout: T });
    await shot(alys, 'sp14-phone-closed');
    await expectNoAxe(alys, 'phone closed');
    await kiosk.getByRole('heading', { name: 'Thank you Diolch' }).waitFor({ timeout: T });
    assert.equal((await summary(0)).n, 5, 'nothing changed by closing');
  });

  it('no page broke the Content-Security-Policy', () => {
    assert.deepEqual(cspViolations, []);
  });
});
