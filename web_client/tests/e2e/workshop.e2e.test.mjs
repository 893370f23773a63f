// End to end against the real cylch-server: a facilitator, a presenter and three participants
// (one in Welsh) in separate browser contexts run a Likert statement through
// open → vote → change vote → close → reveal, with a reload and a network drop on the way,
// axe checks on every screen, and the create-workshop form.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, overflowsSideways, shot, watchCsp } from './browser.mjs';
import { ADMIN_TOKEN, addUser, startServer, templateFile } from './server.mjs';

const PHONE = { viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, hasTouch: true };
const T = 10_000; // how long a person would wait for something to appear

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {import('playwright-core').Browser} */ let browser;
let ws; // the imported workshop
let facilitator, presenter, alys, bryn, cai; // pages: Alys (en), Bryn (cy), Cai (en, keyboard)
const caiVotes = []; // vote frames Cai's page sent, seen by the WebSocket proxy
let loseNextAck = false;
const cspViolations = []; // every Content-Security-Policy violation any page reported

async function expectNoAxe(page, where) {
  const v = await axeViolations(page);
  assert.deepEqual(v, [], `axe on ${where}`);
}

async function newPage(options = {}) {
  const context = await browser.newContext({ ...options, baseURL: server.baseUrl });
  await watchCsp(context, cspViolations);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
  return page;
}

/** Facilitator's live result counts, read from the legend. */
async function facilitatorCounts() {
  return facilitator.locator('.live-panel .legend .legend-count').allInnerTexts();
}

function agendaItem(i) {
  return facilitator.locator('li.agenda-item').nth(i);
}

describe('a Likert statement with a facilitator, a presenter and three participants', () => {
  before(async () => {
    server = await startServer();
    ws = server.workshops[0];
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the facilitator console shows the agenda, links and reach', async () => {
    facilitator = await newPage({ viewport: { width: 1280, height: 900 } });
    await facilitator.goto(`/f/${ws.id}#${ws.facilitatorToken}`);
    await facilitator.getByRole('heading', { name: 'Persona validation' }).waitFor({ timeout: T });
    assert.equal(await facilitator.locator('li.agenda-item').count(), 19);
    assert.equal(await facilitator.getByTestId('join-code').innerText(), ws.code);
    assert.match(await facilitator.locator('#share-join').inputValue(), new RegExp(`/j/${ws.code}$`));
    await shot(facilitator, '01-facilitator-start');
    await expectNoAxe(facilitator, 'facilitator console');
  });

  it('pages carry the Content-Security-Policy and are not stored', async () => {
    const res = await facilitator.request.get(`/j/${ws.code}`);
    const h = res.headers();
    assert.match(h['content-security-policy'], /script-src 'self';/);
    assert.match(h['content-security-policy'], /frame-ancestors 'none'/);
    assert.equal(h['x-frame-options'], 'DENY');
    assert.equal(h['cache-control'], 'no-store');
  });

  it('the presenter shows the join code and QR code', async () => {
    presenter = await newPage({ viewport: { width: 1366, height: 768 } });
    await presenter.goto(`/p/${ws.id}#${ws.presenterToken}`);
    await presenter.getByTestId('join-code').waitFor({ timeout: T });
    assert.equal(await presenter.getByTestId('join-code').innerText(), ws.code);
    const qr = presenter.locator('img.qr');
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'QR image loads');
    await shot(presenter, '02-presenter-waiting');
    await expectNoAxe(presenter, 'presenter (waiting)');
  });

  it('a participant joins by typing the code, consents and picks a group', async () => {
    alys = await newPage(PHONE);
    await alys.goto('/');
    await alys.getByRole('heading', { name: 'Join a workshop' }).waitFor({ timeout: T });
    await shot(alys, '03a-join');
    await expectNoAxe(alys, 'join page');
    assert.equal(await overflowsSideways(alys), false, 'join page fits 360 px');
    await alys.getByLabel('Enter the code').fill(ws.code);
    await alys.getByRole('button', { name: 'Join' }).click();
    await alys.getByRole('heading', { name: 'Before you start' }).waitFor({ timeout: T });
    assert.ok(await alys.getByRole('link', { name: /Read the information sheet/ }).isVisible());
    await shot(alys, '03-participant-consent');
    await expectNoAxe(alys, 'consent screen');
    // Consent is explicit: continuing without the tick is refused with a message.
    await alys.getByRole('button', { name: 'Continue' }).click();
    await alys.getByText('Tick “I agree to take part” to continue.').waitFor();
    await alys.getByLabel('I agree to take part').check();
    await alys.getByRole('radio', { name: 'Innovator' }).check();
    await alys.getByRole('button', { name: 'Continue' }).click();
    await alys.getByRole('heading', { name: 'Waiting for the facilitator' }).waitFor({ timeout: T });
    await expectNoAxe(alys, 'waiting screen');
  });

  it('a participant switches to Welsh before joining and joins in Welsh', async () => {
    bryn = await newPage(PHONE);
    await bryn.goto('/');
    await bryn.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await bryn.getByRole('heading', { name: 'Ymuno â gweithdy' }).waitFor({ timeout: T });
    assert.equal(await bryn.evaluate(() => document.documentElement.lang), 'cy');
    await bryn.getByLabel('Rhowch y cod').fill(ws.code);
    await bryn.getByRole('button', { name: 'Ymuno' }).click();
    await bryn.getByRole('heading', { name: 'Cyn i chi ddechrau' }).waitFor({ timeout: T });
    await bryn.getByText("Mae'r gweithdy hwn yn rhan o astudiaeth ymchwil").waitFor();
    await bryn.getByLabel("Rwy'n cytuno i gymryd rhan").check();
    await bryn.getByRole('radio', { name: 'Galluogwr' }).check();
    await shot(bryn, '04-participant-consent-cy');
    await expectNoAxe(bryn, 'consent screen (cy)');
    await bryn.getByRole('button', { name: 'Parhau' }).click();
    await bryn.getByRole('heading', { name: 'Yn aros am yr hwylusydd' }).waitFor({ timeout: T });
    await shot(bryn, '05-participant-waiting-cy');
  });

  it('a participant joins by link and prefers not to say a group', async () => {
    cai = await newPage(PHONE);
    await cai.goto(`/j/${ws.code}`);
    await cai.getByLabel('I agree to take part').check({ timeout: T });
    await cai.getByRole('radio', { name: 'Prefer not to say' }).check();
    await cai.getByRole('button', { name: 'Continue' }).click();
    await cai.getByRole('heading', { name: 'Waiting for the facilitator' }).waitFor({ timeout: T });
  });

  it('the reach panel counts who is online per group', async () => {
    const row = (name) => facilitator.locator('table.reach tr', { has: facilitator.getByRole('rowheader', { name }) });
    await facilitator.waitForFunction(() => document.querySelector('table.reach tfoot td')?.textContent?.trim() === '3', null, { timeout: T });
    assert.equal(await row('Innovator').locator('td').first().innerText(), '1');
    assert.equal(await row('Enabler').locator('td').first().innerText(), '1');
    assert.equal(await row('No group given').locator('td').first().innerText(), '1');
    assert.equal(await row('Innovator').locator('td').nth(2).innerText(), '12'); // target
  });

  it('opening a statement shows it on every phone, in each person’s language', async () => {
    await agendaItem(0).getByRole('button', { name: 'Open' }).click();
    await agendaItem(0).getByText('Open', { exact: true }).first().waitFor({ timeout: T });
    await alys.getByRole('heading', { name: 'I would like to use these personas in my work.' }).waitFor({ timeout: T });
    await bryn.getByRole('heading', { name: "Hoffwn ddefnyddio'r personas hyn yn fy ngwaith." }).waitFor({ timeout: T });
    await cai.getByRole('heading', { name: 'I would like to use these personas in my work.' }).waitFor({ timeout: T });
    // Every point of the scale is a labelled radio button.
    for (const name of ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree']) {
      assert.ok(await alys.getByRole('radio', { name, exact: true }).isVisible(), name);
    }
    assert.ok(await bryn.getByRole('radio', { name: "Cytuno'n gryf", exact: true }).isVisible());
    // Screen readers are told of the new statement.
    assert.equal(await alys.locator('p.sr-only[aria-live]').textContent(), 'I would like to use these personas in my work.');
    await shot(alys, '06-participant-question');
    await expectNoAxe(alys, 'question (open)');
    assert.equal(await overflowsSideways(alys), false, 'question fits 360 px');
    await presenter.getByText('I would like to use these personas in my work.').waitFor({ timeout: T });
    await presenter.getByText("Hoffwn ddefnyddio'r personas hyn yn fy ngwaith.").waitFor();
  });

  it('votes are saved only after the server acknowledges them', async () => {
    await alys.getByRole('radio', { name: 'Agree', exact: true }).check();
    await alys.getByText('Your answer has been saved').waitFor({ timeout: T });
    await bryn.getByRole('radio', { name: "Cytuno'n gryf", exact: true }).check();
    await bryn.getByText("Mae eich ateb wedi'i gadw").waitFor({ timeout: T });
    // Cai answers with the keyboard only: focus the first option, arrow down to "Disagree".
    await cai.getByRole('radio', { name: 'Strongly disagree' }).focus();
    await cai.keyboard.press('ArrowDown');
    assert.ok(await cai.getByRole('radio', { name: 'Disagree', exact: true }).isChecked());
    await cai.getByText('Your answer has been saved').waitFor({ timeout: T });
    await shot(alys, '07-participant-saved');
    await shot(bryn, '08-participant-saved-cy');
    await expectNoAxe(alys, 'question (saved)');
    await presenter.getByTestId('answer-count').getByText('Answers: 3').waitFor({ timeout: T });
    await facilitator.locator('.live-panel').getByText('Answers: 3').waitFor({ timeout: T });
    assert.deepEqual(await facilitatorCounts(), ['0', '1', '0', '1', '1']);
  });

  it('a participant changes their answer', async () => {
    const bar = await facilitator.locator('.live-panel .dbar').first().elementHandle();
    await alys.getByRole('radio', { name: 'Strongly agree', exact: true }).check();
    await alys.getByText('Your answer has been saved').waitFor({ timeout: T });
    await facilitator.waitForFunction(
      () => [...document.querySelectorAll('.live-panel .legend .legend-count')].map((e) => e.textContent).join() === '0,1,0,0,2',
      null,
      { timeout: T },
    );
    assert.equal(await presenter.getByTestId('answer-count').innerText(), 'Answers: 3');
    // The new summary updated the bar in place (no remount, so no flicker).
    assert.equal(await bar.evaluate((e) => e.isConnected), true);
    // on_reveal: nobody sees the distribution on the projector before the reveal.
    assert.equal(await presenter.locator('.dbar').count(), 0);
    await shot(presenter, '09-presenter-counting');
    await shot(facilitator, '10-facilitator-live');
  });

  it('a reload mid-activity keeps the answer', async () => {
    // From now on Cai's socket goes through a proxy that can lose an ack (next test).
    await cai.routeWebSocket(/\/ws$/, (page) => {
      const server = page.connectToServer();
      page.onMessage((frame) => {
        const msg = JSON.parse(String(frame));
        if (msg.type === 'vote') caiVotes.push(msg);
        server.send(frame);
      });
      server.onMessage((frame) => {
        const msg = JSON.parse(String(frame));
        if (loseNextAck && msg.type === 'ack') {
          loseNextAck = false; // the vote is stored, but the phone never hears so
          page.close({ code: 1001, reason: 'dropped by the test' });
          server.close();
          return;
        }
        page.send(frame);
      });
    });
    await cai.reload();
    await cai.getByRole('heading', { name: 'I would like to use these personas in my work.' }).waitFor({ timeout: T });
    assert.ok(await cai.getByRole('radio', { name: 'Disagree', exact: true }).isChecked());
    await cai.getByText('Your answer has been saved').waitFor({ timeout: T });
  });

  it('a vote whose ack was lost is resent with the same op and counted once', async () => {
    caiVotes.length = 0;
    loseNextAck = true;
    await cai.getByRole('radio', { name: 'Strongly disagree', exact: true }).check();
    await cai.getByText('Offline — reconnecting').waitFor({ timeout: T });
    assert.equal(await cai.getByText('Your answer has been saved').count(), 0, 'not "saved" without an ack');
    await cai.getByText('Your answer has been saved').waitFor({ timeout: 20_000 });
    assert.equal(caiVotes.length, 2, 'sent, then resent after the reconnect');
    assert.equal(caiVotes[0].op, caiVotes[1].op, 'the same op id both times');
    assert.equal(caiVotes[1].value, 1);
    await facilitator.waitForFunction(
      () => [...document.querySelectorAll('.live-panel .legend .legend-count')].map((e) => e.textContent).join() === '1,0,0,0,2',
      null,
      { timeout: T },
    );
    assert.equal(await presenter.getByTestId('answer-count').innerText(), 'Answers: 3');
  });

  it('an answer changed while offline is sent once when the network is back', async () => {
    const ctx = bryn.context();
    await ctx.setOffline(true);
    await bryn.getByText('All-lein — yn ailgysylltu').waitFor({ timeout: T });
    await bryn.getByRole('radio', { name: 'Cytuno', exact: true }).check();
    await bryn.getByText('Rydych chi all-lein. Bydd eich ateb yn cael ei anfon', { exact: false }).first().waitFor();
    assert.equal(await bryn.getByText("Mae eich ateb wedi'i gadw").count(), 0, 'not "saved" while offline');
    await shot(bryn, '11-participant-offline-cy');
    await expectNoAxe(bryn, 'question (offline, cy)');
    await ctx.setOffline(false);
    await bryn.getByText("Mae eich ateb wedi'i gadw").waitFor({ timeout: 20_000 });
    await bryn.getByText('Ar-lein eto').waitFor({ timeout: T });
    await shot(bryn, '12-participant-back-online-cy');
    // Saved once: still three answers, Bryn's moved from 5 to 4.
    await facilitator.waitForFunction(
      () => [...document.querySelectorAll('.live-panel .legend .legend-count')].map((e) => e.textContent).join() === '1,0,0,1,1',
      null,
      { timeout: T },
    );
    assert.equal(await presenter.getByTestId('answer-count').innerText(), 'Answers: 3');
  });

  it('closing stops voting and keeps results hidden until the reveal', async () => {
    await agendaItem(0).getByRole('button', { name: 'Close' }).click();
    await alys.getByText('Voting is closed').waitFor({ timeout: T });
    await bryn.getByText("Mae'r bleidlais ar gau").waitFor({ timeout: T });
    assert.equal(await alys.getByRole('radio').count(), 0);
    await alys.getByText('Results will be shown when the facilitator reveals them.').waitFor();
    assert.equal(await alys.locator('.dbar').count(), 0);
    await shot(alys, '13-participant-closed');
    await expectNoAxe(alys, 'question (closed)');
  });

  it('revealing shows the results to the room and to participants', async () => {
    await agendaItem(0).getByRole('button', { name: 'Reveal results' }).click();
    await presenter.locator('.presenter-results .dbar').first().waitFor({ timeout: T });
    const sentence = await presenter.locator('.presenter-results .agree-line').innerText();
    assert.match(sentence, /^2 of 3 agree \(67%, 95% CI \d+–\d+%\)$/);
    await presenter.locator('.presenter-results dt', { hasText: 'Median' }).waitFor();
    assert.equal(await presenter.locator('.presenter-results dd').first().innerText(), 'Agree');
    assert.match(await presenter.locator('.presenter-results dd').nth(1).innerText(), /^\d\.\d\d — /);
    assert.equal(await presenter.locator('.group-bars li').count(), 3);
    await shot(presenter, '14-presenter-revealed');
    await expectNoAxe(presenter, 'presenter (revealed)');

    await alys.getByRole('heading', { name: 'Results' }).waitFor({ timeout: T });
    assert.match(await alys.locator('.agree-line').innerText(), /^2 of 3 agree/);
    await bryn.getByRole('heading', { name: 'Canlyniadau' }).waitFor({ timeout: T });
    assert.match(await bryn.locator('.agree-line').innerText(), /^2 o 3 yn cytuno \(67%, cyfwng hyder 95%: /);
    await shot(alys, '15-participant-results');
    await shot(bryn, '16-participant-results-cy');
    await expectNoAxe(alys, 'results (participant)');
    await expectNoAxe(bryn, 'results (participant, cy)');
    assert.equal(await overflowsSideways(bryn), false, 'results fit 360 px');
    await shot(facilitator, '17-facilitator-revealed');
    await expectNoAxe(facilitator, 'facilitator console (revealed)');
  });

  it('a participant can switch language at any time', async () => {
    await alys.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await alys.getByRole('heading', { name: "Hoffwn ddefnyddio'r personas hyn yn fy ngwaith." }).waitFor({ timeout: T });
    await alys.getByRole('heading', { name: 'Canlyniadau' }).waitFor();
    assert.match(await alys.locator('.agree-line').innerText(), /^2 o 3 yn cytuno/);
    await alys.getByRole('button', { name: 'Switch to English' }).click();
    await alys.getByRole('heading', { name: 'Results' }).waitFor({ timeout: T });
    assert.equal(await alys.locator('[role=alert]').count(), 0);
  });

  it('the phone layout still works at 200% zoom', async () => {
    const zoomed = await newPage({ viewport: { width: 640, height: 800 }, deviceScaleFactor: 2 });
    await zoomed.goto(`/j/${ws.code}`);
    await zoomed.getByLabel('I agree to take part').waitFor({ timeout: T });
    await zoomed.evaluate(() => (document.body.style.zoom = '2'));
    assert.equal(await overflowsSideways(zoomed), false, 'no sideways scrolling at 200%');
    await shot(zoomed, '18-consent-zoom-200');
    await zoomed.context().close();
    // The console and the projector at 200% of a 1280 px screen (640 CSS px).
    for (const [path, name] of [
      [`/f/${ws.id}#${ws.facilitatorToken}`, 'facilitator'],
      [`/p/${ws.id}#${ws.presenterToken}`, 'presenter'],
    ]) {
      const page = await newPage({ viewport: { width: 640, height: 800 }, deviceScaleFactor: 2 });
      await page.goto(path);
      await page.locator('.dbar').first().waitFor({ timeout: T });
      assert.equal(await overflowsSideways(page), false, `${name} fits 640 px`);
      await shot(page, `18-${name}-640`);
      await page.context().close();
    }
  });

  it('creating a workshop from a file shows the code, links and QR; a bad file shows the path', async () => {
    const page = await newPage({ viewport: { width: 1024, height: 900 } });
    await page.goto('/f');
    await page.getByRole('heading', { name: 'Create a workshop' }).waitFor({ timeout: T });
    await expectNoAxe(page, 'create workshop');
    const bad = join(tmpdir(), `cylch-bad-${process.pid}.json`);
    writeFileSync(bad, JSON.stringify({ title: { en: 'Bad' }, languages: ['en'], activities: [{ kind: 'likert', statement: { en: 'x' }, scale: 4 }] }));
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByLabel('Workshop file (JSON)').setInputFiles(bad);
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await page.getByText('The server did not accept the file:').waitFor({ timeout: T });
    const detail = await page.locator('.error-detail').innerText();
    assert.match(detail, /\$\.activities\[0\]/, `error names the path: ${detail}`);
    await shot(page, '19-create-error');
    rmSync(bad, { force: true });
    await page.getByLabel('Workshop file (JSON)').setInputFiles(templateFile);
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await page.getByRole('heading', { name: 'Workshop created' }).waitFor({ timeout: T });
    const code = await page.getByTestId('join-code').innerText();
    assert.match(code, /^\d{6}$/);
    assert.notEqual(code, ws.code);
    assert.match(await page.locator('#share-join').inputValue(), new RegExp(`/j/${code}$`));
    assert.match(await page.locator('#share-presenter').inputValue(), /\/p\/w_[^#]+#.+/);
    assert.match(await page.locator('#share-facilitator').inputValue(), /\/f\/w_[^#]+#.+/);
    assert.ok(await page.locator('img.qr').evaluate((img) => img.complete && img.naturalWidth > 0), 'QR loads');
    await shot(page, '20-create-done');
    await expectNoAxe(page, 'create workshop (done)');
    await page.context().close();
  });

  it('a wrong code or a wrong link is explained, not retried for ever', async () => {
    const page = await newPage(PHONE);
    await page.goto('/j/000000');
    await page.getByText('No workshop has this code. Check the code and try again.').waitFor({ timeout: T });
    await expectNoAxe(page, 'join failure');
    await page.goto(`/f/${ws.id}#not-the-token`);
    await page.getByText('This link is not valid', { exact: false }).waitFor({ timeout: T });
    // The page offers a way in for staff who have an account.
    await page.getByRole('link', { name: /sign in/i }).waitFor({ timeout: T });
    await page.context().close();
  });

  it('ending the workshop thanks the participants', async () => {
    await facilitator.getByRole('button', { name: 'End workshop' }).click();
    await facilitator.getByRole('button', { name: 'Yes, end the workshop' }).click();
    await facilitator.getByText('This workshop has ended.').waitFor({ timeout: T });
    await alys.getByRole('heading', { name: 'Thank you' }).waitFor({ timeout: T });
    await bryn.getByRole('heading', { name: 'Diolch' }).waitFor({ timeout: T });
    await shot(alys, '21-participant-ended');
    // The projector thanks the room and no longer invites anyone to join.
    await presenter.getByRole('heading', { name: 'Thank you' }).waitFor({ timeout: T });
    await presenter.getByTestId('join-code').waitFor({ state: 'detached', timeout: T });
    assert.equal(await presenter.locator('.presenter-join').count(), 0, 'no join code or QR after the end');
    await shot(presenter, '22-presenter-ended');
  });

  it('after the end a reviewer reads every result, with every group, on the results page', async () => {
    await addUser(server, 'Rhian', 'reviewer', 'correct horse battery');
    const page = await newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`/s/login?next=${encodeURIComponent(`/s/w/${ws.id}`)}`);
    await page.getByLabel('Name').fill('Rhian');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Results of Persona validation' }).waitFor({ timeout: T });
    await page.getByText('Ended', { exact: true }).waitFor();
    // The overview lists the one statement opened; its full result follows, with every group
    // (each of one person: withheld on the projector, shown here and marked so).
    const overview = page.locator('table.overview tbody tr');
    assert.equal(await overview.count(), 1);
    assert.match(await overview.first().innerText(), /I would like to use these personas in my work\./);
    const result = page.locator('.review-result');
    assert.equal(await result.count(), 1);
    assert.match(await result.locator('.agree-line').innerText(), /^2 of 3 agree \(67%, 95% CI \d+–\d+%\)$/);
    assert.equal(await result.locator('.group-bars li').count(), 3);
    assert.ok((await result.getByText('(not shown on the projector)').count()) >= 1);
    await page.getByRole('link', { name: 'Results for publication (JSON)' }).waitFor();
    // A report gives the statement in both languages.
    assert.equal(await result.getByTestId('other-language').innerText(), "Hoffwn ddefnyddio'r personas hyn yn fy ngwaith.");
    await shot(page, '23-review');
    await expectNoAxe(page, 'results page');
    // Printed (or saved as PDF): the results without the controls.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.topbar').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible(), false);
    assert.equal(await page.getByRole('link', { name: 'Results for publication (JSON)' }).isVisible(), false);
    assert.equal(await result.locator('.group-bars li').first().isVisible(), true);
    await shot(page, '24-review-print');
    await page.emulateMedia({ media: 'screen' });
    // For publication: the three groups of one are withheld ("fewer than 3"), the total of 3 shown.
    await page.getByRole('radio', { name: 'For publication' }).check();
    await result.locator('.group-bars .small-cell').first().waitFor({ timeout: T });
    assert.deepEqual(await result.locator('.group-bars .group-agree').allInnerTexts(), ['fewer than 3', 'fewer than 3', 'fewer than 3']);
    assert.equal(await result.getByText('(not shown on the projector)').count(), 0);
    assert.equal(await result.locator('.group-bars .dbar').count(), 0);
    assert.match(await result.locator('.agree-line').innerText(), /^2 of 3 agree/);
    await shot(page, '25-review-publication');
    await expectNoAxe(page, 'results page for publication');
    await page.getByRole('radio', { name: 'Everything (staff only)' }).check();
    await result.getByText('(not shown on the projector)').first().waitFor({ timeout: T });
    // The data dictionary describes exactly the columns the two CSV files have, in order.
    const header = async (name) => {
      const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
      const res = await page.request.get(href);
      assert.equal(res.status(), 200, name);
      return (await res.text()).split('\r\n')[0].split(',');
    };
    const exportHeader = await header('Responses (CSV)');
    const boardsHeader = await header('Board notes (CSV)');
    // The JSON download: the same responses, each keyed by the CSV's column names in order.
    const jsonHref = await page.getByRole('link', { name: 'Responses and board notes (JSON)', exact: true }).getAttribute('href');
    const json = await (await page.request.get(jsonHref)).json();
    assert.ok(json.responses.length >= 3, 'the answers of the three phones');
    assert.deepEqual(Object.keys(json.responses[0]), exportHeader);
    assert.ok(json.responses.every((r) => /^r\d+$/.test(r.respondent)));
    // The workshop file, to import again: the workshop's own title and agenda, no answers.
    const fileHref = await page.getByRole('link', { name: 'Workshop file (JSON, to import again here or elsewhere)', exact: true }).getAttribute('href');
    const file = await (await page.request.get(fileHref)).json();
    assert.equal(file.title.en, 'Persona validation');
    assert.ok(file.activities.length > 0 && !('responses' in file));
    await page.getByRole('link', { name: 'Data dictionary (what each column means)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Data dictionary' }).waitFor({ timeout: T });
    const described = (file) => page.locator(`table[data-file="${file}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-column')));
    assert.deepEqual(await described('export'), exportHeader);
    assert.deepEqual(await described('boards'), boardsHeader);
    await page.locator('table[data-file="export"] tr[data-column="respondent"]').getByText('in the order they joined').waitFor();
    await expectNoAxe(page, 'data dictionary');
    await shot(page, '26-dictionary');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Results of Persona validation' }).waitFor({ timeout: T });
    await page.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await page.getByRole('heading', { level: 1, name: 'Canlyniadau Dilysu personas' }).waitFor({ timeout: T });
    assert.match(await result.locator('.agree-line').innerText(), /^2 o 3 yn cytuno/);
    await page.context().close();
  });

  it('no screen broke the Content-Security-Policy (no inline script or style, no other origin)', () => {
    assert.deepEqual(cspViolations, []);
  });
});
