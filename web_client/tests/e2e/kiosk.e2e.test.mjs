// End to end against the real cylch-server: a kiosk page (/k) on a 800×480 touchscreen,
// registered with POST /api/kiosks, driven by the facilitator console. Every count is checked
// on the server (GET /api/workshops/{id}/results), so "exactly once" means what the research
// data will say. The network is taken away by context.setOffline (the page hears `offline`) and
// by blocking the WebSocket route (so nothing can slip through while "offline").
//
// Run: npm run test:e2e   (builds dist/ first; needs the server binary and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, overflowsSideways, shot, watchCsp } from './browser.mjs';
import { ADMIN_TOKEN, startServer, templateFile } from './server.mjs';

const KIOSK_SCREEN = { viewport: { width: 800, height: 480 }, hasTouch: true };
const T = 10_000;
const RESET_S = 1; // thank-you screen
const INTERVAL_S = 3; // misuse guard
const STATEMENT_EN = 'I would like to use these personas in my work.';
const STATEMENT_CY = "Hoffwn ddefnyddio'r personas hyn yn fy ngwaith.";

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {import('playwright-core').Browser} */ let browser;
let ws; // the imported workshop
let kioskId, kioskToken;
let facilitator, kiosk, kioskContext;
let blockSocket = false; // while true, the kiosk's WebSocket cannot reach the server
let loseNextAck = false; // drop the next ack and the socket (the vote is stored, the kiosk never hears)
const votesSeen = []; // vote frames the kiosk sent through the route
let lastCounted = 0; // when the kiosk last counted a press (test clock)

async function expectNoAxe(page, where) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
}

async function api(method, path, token, body) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  return { status: res.status, json };
}

/** The server's summary of the workshop's activity at `position`. */
async function summary(position = 0) {
  const { status, json } = await api('GET', `/api/workshops/${ws.id}/results`, ws.facilitatorToken);
  assert.equal(status, 200);
  const entry = json.activities.find((a) => a.activity.position === position);
  return entry.summary;
}

/** Waits until the server counts `n` answers to the activity, then checks the count stays there. */
async function expectCount(n, position = 0) {
  const deadline = Date.now() + 20_000;
  let s = await summary(position);
  while (s.n !== n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    s = await summary(position);
  }
  assert.equal(s.n, n, `answers counted by the server`);
  await new Promise((r) => setTimeout(r, 700)); // nothing more arrives (no double count)
  s = await summary(position);
  assert.equal(s.n, n, `answers counted by the server, a moment later`);
  return s;
}

function agendaItem(i) {
  return facilitator.locator('li.agenda-item').nth(i);
}

function pointButton(value) {
  return kiosk.getByRole('button', { name: new RegExp(`^${value} `) });
}

const status = () => kiosk.getByTestId('kiosk-status');

/** Presses scale point `value` once the misuse interval has passed, and waits for the thanks. */
async function press(value, { keyboard = false } = {}) {
  await kiosk.getByRole('heading', { name: new RegExp(STATEMENT_EN.replace(/[.]/g, '\\.')) }).waitFor({ timeout: T });
  const wait = lastCounted + INTERVAL_S * 1000 + 150 - Date.now();
  if (wait > 0) await kiosk.waitForTimeout(wait);
  if (keyboard) await kiosk.keyboard.press(String(value));
  else await pointButton(value).click();
  lastCounted = Date.now();
  await kiosk.getByRole('heading', { name: 'Thank you Diolch' }).waitFor({ timeout: T });
}

async function goOffline() {
  blockSocket = true;
  await kioskContext.setOffline(true);
  await status().getByText('Offline — reconnecting').waitFor({ timeout: T });
}

async function goOnline() {
  blockSocket = false;
  await kioskContext.setOffline(false);
}

// The demo workshop with a sticky-note board after its statements: kiosks do not take part in
// boards and send people to their phones.
const BOARD_PROMPT = 'What would help you use the personas?';
function workshopWithBoard() {
  const file = JSON.parse(readFileSync(templateFile, 'utf8'));
  file.activities.push({ kind: 'board', prompt: { en: BOARD_PROMPT, cy: "Beth fyddai'n helpu?" } });
  const dir = mkdtempSync(join(tmpdir(), 'cylch-kiosk-e2e-'));
  const path = join(dir, 'workshop.json');
  writeFileSync(path, JSON.stringify(file));
  return { path, boardIndex: file.activities.length - 1, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
const boardWorkshop = workshopWithBoard();

const cspViolations = []; // every Content-Security-Policy violation any page reported

/** A browser context whose pages' CSP violations are recorded. */
async function newWatchedContext(options) {
  const context = await browser.newContext(options);
  await watchCsp(context, cspViolations);
  return context;
}

describe('a kiosk in the room', () => {
  before(async () => {
    server = await startServer({ imports: [boardWorkshop.path] });
    ws = server.workshops[0];
    browser = await launch();
    const made = await api('POST', '/api/kiosks', ADMIN_TOKEN, { name: 'Hall kiosk', workshop: ws.id });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    kioskId = made.json.id;
    kioskToken = made.json.token;
    assert.match(kioskId, /^k_/);
    facilitator = await (await newWatchedContext({ viewport: { width: 1280, height: 900 }, baseURL: server.baseUrl })).newPage();
    await facilitator.goto(`/f/${ws.id}#${ws.facilitatorToken}`);
    await facilitator.getByRole('heading', { name: 'Persona validation' }).waitFor({ timeout: T });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    boardWorkshop.remove();
  });

  it('without a kiosk link it says, in English and Welsh, how to set it up', async () => {
    const page = await (await newWatchedContext({ ...KIOSK_SCREEN, baseURL: server.baseUrl })).newPage();
    await page.goto('/k/');
    await page.getByRole('heading', { name: "This kiosk is not set up yet Dydy'r ciosg hwn ddim wedi'i osod eto" }).waitFor({ timeout: T });
    await page.getByText('/k/#kiosk=k_…&token=…').waitFor();
    await shot(page, 'k01-kiosk-not-set-up');
    await expectNoAxe(page, 'kiosk not set up');
    await page.goto('/k/#kiosk=k_only');
    await page.getByText('This kiosk link is incomplete or not valid.').waitFor({ timeout: T });
    assert.equal(new URL(page.url()).hash, '', 'the fragment is removed');
    await page.context().close();
  });

  it('a kiosk link is remembered and leaves the address bar; the waiting screen shows the workshop information', async () => {
    kioskContext = await newWatchedContext({ ...KIOSK_SCREEN, baseURL: server.baseUrl });
    await kioskContext.routeWebSocket(/\/ws$/, (route) => {
      if (blockSocket) {
        route.close();
        return;
      }
      const upstream = route.connectToServer();
      route.onMessage((frame) => {
        const msg = JSON.parse(String(frame));
        if (msg.type === 'vote') votesSeen.push(msg);
        upstream.send(frame);
      });
      upstream.onMessage((frame) => {
        if (loseNextAck && JSON.parse(String(frame)).type === 'ack') {
          loseNextAck = false;
          route.close({ code: 1001, reason: 'dropped by the test' });
          upstream.close();
          return;
        }
        route.send(frame);
      });
    });
    kiosk = await kioskContext.newPage();
    kiosk.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
    kiosk.on('console', (m) => m.type() === 'warning' && console.log(`[kiosk console] ${m.text()}`));
    await kiosk.goto(`/k/#kiosk=${kioskId}&token=${kioskToken}&reset=${RESET_S}&interval=${INTERVAL_S}`);
    await kiosk.getByRole('heading', { name: 'Please wait for the next question Arhoswch am y cwestiwn nesaf' }).waitFor({ timeout: T });
    assert.equal(new URL(kiosk.url()).hash, '', 'the token is not left in the address bar');
    assert.equal(new URL(kiosk.url()).pathname, '/k/');
    const stored = JSON.parse(await kiosk.evaluate(() => localStorage.getItem('cylch.kiosk')));
    assert.deepEqual(stored, { kiosk: kioskId, token: kioskToken, resetSeconds: RESET_S, intervalSeconds: INTERVAL_S });
    // Answering at a kiosk is consent: the workshop's information is on the waiting screen.
    await kiosk.getByText('This workshop is part of a research study').waitFor();
    await kiosk.getByText("Mae'r gweithdy hwn yn rhan o astudiaeth ymchwil").waitFor();
    await kiosk.getByText('By answering, you agree to take part.', { exact: false }).waitFor();
    await kiosk.getByText('https://example.org/cylch/persona-validation-information-sheet').waitFor();
    await status().getByText('Online · Waiting to be sent: 0').waitFor();
    await status().getByText('Ar-lein · Yn aros i gael eu hanfon: 0').waitFor();
    await shot(kiosk, 'k02-kiosk-waiting');
    await expectNoAxe(kiosk, 'kiosk waiting');
    assert.equal(await overflowsSideways(kiosk), false, 'waiting screen fits 800 px');
  });

  it('an open statement is shown in English and Welsh with one big button per point', async () => {
    await agendaItem(0).getByRole('button', { name: 'Open' }).click();
    await kiosk.getByRole('heading', { name: `${STATEMENT_EN} ${STATEMENT_CY}` }).waitFor({ timeout: T });
    const names = [
      "1 Strongly disagree Anghytuno'n gryf",
      '2 Disagree Anghytuno',
      '3 Neither agree nor disagree Ddim yn cytuno nac yn anghytuno',
      '4 Agree Cytuno',
      "5 Strongly agree Cytuno'n gryf",
    ];
    const shown = await kiosk.locator('.kiosk-scale button').evaluateAll((bs) => bs.map((b) => b.innerText.replace(/\s+/g, ' ').trim()));
    assert.deepEqual(shown, names, 'every point labelled in both languages');
    // Real buttons whose accessible names are their labels (so speech input can say them).
    for (const name of names) assert.ok(await kiosk.getByRole('button', { name, exact: true }).isVisible(), name);
    assert.deepEqual(
      await kiosk.locator('.kiosk-scale [lang]').evaluateAll((es) => es.map((e) => e.getAttribute('lang')).join()),
      'en,cy,en,cy,en,cy,en,cy,en,cy',
    );
    const box = await pointButton(3).boundingBox();
    assert.ok(box.height >= 100 && box.width >= 120, `big touch target (${box.width}×${box.height})`);
    assert.equal(await overflowsSideways(kiosk), false, 'question fits 800 px');
    assert.ok(
      await kiosk.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight),
      'question, scale and status line fit the 480 px screen without scrolling',
    );
    await shot(kiosk, 'k03-kiosk-question');
    await expectNoAxe(kiosk, 'kiosk question');
  });

  it('a portrait touchscreen stacks the scale vertically', async () => {
    const context = await newWatchedContext({ viewport: { width: 720, height: 1280 }, hasTouch: true, baseURL: server.baseUrl });
    const page = await context.newPage();
    await page.goto(`/k/#kiosk=${kioskId}&token=${kioskToken}`);
    await page.getByRole('heading', { name: `${STATEMENT_EN} ${STATEMENT_CY}` }).waitFor({ timeout: T });
    const first = await page.getByRole('button', { name: /^1 / }).boundingBox();
    const last = await page.getByRole('button', { name: /^5 / }).boundingBox();
    assert.ok(last.y > first.y + first.height - 1 && Math.abs(last.x - first.x) < 2, 'one button under the other');
    assert.ok(first.width > 600 && first.height >= 60, `wide touch targets (${first.width}×${first.height})`);
    assert.equal(await overflowsSideways(page), false, 'fits 720 px');
    await shot(page, 'k03b-kiosk-question-portrait');
    await expectNoAxe(page, 'kiosk question (portrait)');
    await context.close();
  });

  it('a press is thanked, the question comes back, and a press too soon after is ignored', async () => {
    await press(4);
    await kiosk.getByText('Your answer has been recorded.').waitFor();
    await kiosk.getByText("Mae eich ateb wedi'i gofnodi.").waitFor();
    await shot(kiosk, 'k04-kiosk-thanks');
    await expectNoAxe(kiosk, 'kiosk thank-you');
    // Back for the next person after the reset time (1 s) — still within the 3 s interval.
    await pointButton(4).waitFor({ timeout: 3_000 });
    assert.ok(Date.now() - lastCounted < INTERVAL_S * 1000, 'the question is back before the interval ends');
    await pointButton(5).click();
    await kiosk.getByText('Please wait a moment before answering again.').waitFor({ timeout: T });
    await kiosk.getByText('Arhoswch eiliad cyn ateb eto.').waitFor();
    await shot(kiosk, 'k05-kiosk-too-soon');
    await expectNoAxe(kiosk, 'kiosk too-soon note');
    const s = await expectCount(1);
    assert.deepEqual(s.counts, [0, 0, 0, 1, 0]);
    assert.equal(s.by_channel.kiosk.n, 1);
    await status().getByText('Online · Waiting to be sent: 0').waitFor();
  });

  it('the keyboard works too: digits choose', async () => {
    await press(2, { keyboard: true });
    const s = await expectCount(2);
    assert.deepEqual(s.counts, [0, 1, 0, 1, 0]);
  });

  it('a press whose ack was lost is resent with the same op and counted once', async () => {
    votesSeen.length = 0;
    loseNextAck = true;
    await press(3);
    await status().getByText('Online · Waiting to be sent: 0').waitFor({ timeout: 20_000 });
    assert.equal(votesSeen.length, 2, 'sent, then resent after the reconnect');
    assert.equal(votesSeen[0].op, votesSeen[1].op, 'the same op id both times');
    const s = await expectCount(3);
    assert.deepEqual(s.counts, [0, 1, 1, 1, 0]);
  });

  it('presses made offline are kept, and sent exactly once when the network is back', async () => {
    votesSeen.length = 0;
    await goOffline();
    await press(1);
    await press(5);
    await press(5, { keyboard: true });
    await status().getByText('Offline — reconnecting · Waiting to be sent: 3').waitFor({ timeout: T });
    await status().getByText('All-lein — yn ailgysylltu · Yn aros i gael eu hanfon: 3').waitFor();
    await pointButton(1).waitFor({ timeout: T });
    await shot(kiosk, 'k06-kiosk-offline');
    await expectNoAxe(kiosk, 'kiosk question (offline)');
    assert.equal(votesSeen.length, 0, 'nothing reached the socket');
    await expectCount(3);
    await goOnline();
    await status().getByText('Online · Waiting to be sent: 0').waitFor({ timeout: 20_000 });
    const s = await expectCount(6);
    assert.deepEqual(s.counts, [1, 1, 1, 1, 2]);
    assert.equal(s.by_channel.kiosk.n, 6);
    assert.equal(new Set(votesSeen.map((v) => v.op)).size, 3, 'three presses, three op ids');
    for (const v of votesSeen) {
      assert.ok(typeof v.pressed_at === 'number' && v.pressed_at <= Date.now(), 'each vote carries its press time');
      assert.match(v.op, /^[\x21-\x7e]{16,128}$/);
    }
  });

  it('a press queued before a reload is sent after it, exactly once', async () => {
    votesSeen.length = 0;
    await goOffline();
    await press(3);
    await status().getByText('Waiting to be sent: 1', { exact: false }).first().waitFor({ timeout: T });
    // The network is back but the server still cannot be reached; the page is reloaded.
    await kioskContext.setOffline(false);
    await kiosk.reload();
    await status().getByText('Waiting to be sent: 1', { exact: false }).first().waitFor({ timeout: T });
    assert.equal(votesSeen.length, 0);
    await expectCount(6);
    const queued = await kiosk.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const r = indexedDB.open('cylch-kiosk');
          r.onsuccess = () => {
            const q = r.result.transaction('presses').objectStore('presses').getAll();
            q.onsuccess = () => resolve(q.result);
            q.onerror = () => reject(q.error);
          };
          r.onerror = () => reject(r.error);
        }),
    );
    assert.equal(queued.length, 1, 'the press is in IndexedDB');
    blockSocket = false;
    await status().getByText('Online · Waiting to be sent: 0').waitFor({ timeout: 20_000 });
    const s = await expectCount(7);
    assert.equal(s.counts[2], 2);
    assert.deepEqual(votesSeen.map((v) => v.op), [queued[0].op], 'sent once, with the op id it got when pressed');
  });

  it('a press made while the statement was open counts even if it arrives after the close', async () => {
    await goOffline();
    await press(4);
    await agendaItem(0).getByRole('button', { name: 'Close' }).click();
    await agendaItem(0).getByText('Closed', { exact: true }).first().waitFor({ timeout: T });
    await goOnline();
    await status().getByText('Online · Waiting to be sent: 0').waitFor({ timeout: 20_000 });
    const s = await expectCount(8);
    assert.equal(s.counts[3], 2);
    // The statement is closed: the kiosk waits for the next one.
    await kiosk.getByRole('heading', { name: 'Please wait for the next question Arhoswch am y cwestiwn nesaf' }).waitFor({ timeout: T });
    assert.equal(await kiosk.locator('.kiosk-scale button').count(), 0);
  });

  it('an activity that is not a Likert statement sends people to their phones', async () => {
    await agendaItem(boardWorkshop.boardIndex).getByRole('button', { name: 'Open' }).click();
    await kiosk
      .getByRole('heading', {
        name: "This activity is answered on phones — please use your phone Mae'r gweithgaredd hwn yn cael ei ateb ar ffonau — defnyddiwch eich ffôn",
      })
      .waitFor({ timeout: T });
    await kiosk.getByText(`/j/${ws.code}`, { exact: false }).waitFor();
    assert.equal(await kiosk.getByRole('button').count(), 0, 'nothing to press');
    await shot(kiosk, 'k07-kiosk-use-phone');
    await expectNoAxe(kiosk, 'kiosk use-your-phone');
  });

  it('the next statement replaces it, and ending the workshop thanks everyone', async () => {
    await agendaItem(1).getByRole('button', { name: 'Open' }).click();
    // The board is still open: the console asks first, and the facilitator closes it.
    await facilitator.getByRole('alertdialog').getByRole('button', { name: 'Close it and open this one' }).click();
    await kiosk.getByRole('heading', { name: /These personas are useful to the wider health and social care system\./ }).waitFor({ timeout: T });
    await facilitator.getByRole('button', { name: 'End workshop' }).click();
    await facilitator.getByRole('button', { name: 'Yes, end the workshop' }).click();
    await kiosk.getByRole('heading', { name: 'Thank you Diolch' }).waitFor({ timeout: T });
    await kiosk.getByText('The workshop has ended. Thank you for taking part.').waitFor();
    await kiosk.getByText("Mae'r gweithdy wedi dod i ben. Diolch am gymryd rhan.").waitFor();
    await shot(kiosk, 'k08-kiosk-ended');
    await expectNoAxe(kiosk, 'kiosk ended');
  });

  it('no kiosk screen broke the Content-Security-Policy', () => {
    assert.deepEqual(cspViolations, []);
  });
});
