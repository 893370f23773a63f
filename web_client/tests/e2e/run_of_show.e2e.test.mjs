// End to end: the facilitator runs a whole agenda with the Next button only — a live statement,
// a statement whose results wait for the reveal, and a hidden brainstorming board — while the
// projector follows every step and a phone answers.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, shot } from './browser.mjs';
import { ADMIN_TOKEN, startServer } from './server.mjs';

const T = 10_000;
const PHONE = { viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, hasTouch: true };
const FIRST = { en: 'Statement one is shown live.', cy: 'Dangosir datganiad un yn fyw.' };
const SECOND = { en: 'Statement two waits for the reveal.', cy: "Mae datganiad dau yn aros am y datgelu." };
const BOARD = { en: 'What would help?', cy: "Beth fyddai'n helpu?" };
const file = {
  title: { en: 'Run of show', cy: 'Trefn y sesiwn' },
  languages: ['en', 'cy'],
  activities: [
    { kind: 'likert', statement: FIRST, scale: 5, results: 'live' },
    { kind: 'likert', statement: SECOND, scale: 5, results: 'on_reveal' },
    { kind: 'board', prompt: BOARD, hidden_until_reveal: true, dots_per_person: 2 },
  ],
};

const server = await startServer({ imports: [] });
after(() => server.stop());

describe('a whole agenda run with Next only', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  let ws, facilitator, presenter, phone;

  async function newPage(options = {}) {
    const context = await browser.newContext({ ...options, baseURL: server.baseUrl });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
    return page;
  }
  const next = () => facilitator.locator('.next-step button');
  const stateOf = (i) => facilitator.locator('li.agenda-item').nth(i).locator('.badge').first();
  const presenterShows = (text) => presenter.locator('.presenter-stage').getByText(text).first().waitFor({ timeout: T });

  before(async () => {
    const res = await fetch(`${server.baseUrl}/api/workshops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(file),
    });
    assert.equal(res.status, 201);
    ws = await res.json();
    browser = await launch();
    facilitator = await newPage({ viewport: { width: 1366, height: 768 } });
    await facilitator.goto(`/f/${ws.id}#${ws.facilitator_token}`);
    presenter = await newPage({ viewport: { width: 1920, height: 1080 } });
    await presenter.goto(`/p/${ws.id}#${ws.presenter_token}`);
    phone = await newPage(PHONE);
    await phone.goto(`/j/${ws.code}`);
  });
  after(() => browser?.close());

  it('Start opens the first activity', async () => {
    await next().getByText('Start: open the first activity').waitFor({ timeout: T });
    assert.deepEqual(await axeViolations(facilitator), [], 'axe on the console with Next');
    await next().click();
    await presenterShows(FIRST.en);
    await phone.getByText(FIRST.en).waitFor({ timeout: T });
    await facilitator.getByText('Next is activity 2:', { exact: false }).waitFor({ timeout: T });
  });

  it('Next closes the live statement and opens the second', async () => {
    await next().getByText('Next activity').click();
    await presenterShows(SECOND.en);
    await stateOf(0).getByText('Closed').waitFor({ timeout: T });
    await stateOf(1).getByText('Open').waitFor({ timeout: T });
    assert.equal(await facilitator.locator('li.agenda-item .badge-open').count(), 1, 'one open activity at a time');
    await phone.getByText(SECOND.en).waitFor({ timeout: T });
  });

  it('on a statement whose results wait, Next reveals them first, then moves on', async () => {
    await next().getByText('Next: close and reveal the results').click();
    await stateOf(1).getByText('Revealed').waitFor({ timeout: T });
    await presenterShows(SECOND.en); // still on it: the room sees the results
    await shot(presenter, 'r-01-presenter-revealed');
    await next().getByText('Next activity').click();
    await presenterShows(BOARD.en);
    await stateOf(2).getByText('Open').waitFor({ timeout: T });
  });

  it('on a hidden board, Next reveals the notes, then closes the last activity', async () => {
    await next().getByText('Next: close and reveal the results').click();
    await stateOf(2).getByText('Revealed').waitFor({ timeout: T });
    assert.equal(await next().count(), 0, 'nothing follows the last activity once it is revealed');
    // Only one activity was ever open at a time.
    assert.equal(await facilitator.locator('li.agenda-item .badge-open').count(), 0);
    await shot(facilitator, 'r-02-console-done');
  });
  it('opening an activity while another is open asks first: close it, open both, or cancel', async () => {
    const item = (i) => facilitator.locator('li.agenda-item').nth(i);
    await item(0).getByRole('button', { name: 'Reopen' }).click(); // nothing else open: no question
    await stateOf(0).getByText('Open').waitFor({ timeout: T });
    await item(1).getByRole('button', { name: 'Reopen' }).click();
    const warning = facilitator.getByRole('alertdialog');
    await warning.getByText('This activity is still open:').waitFor({ timeout: T });
    await warning.getByText(`“${FIRST.en}”`).waitFor();
    await warning.getByText(`“${SECOND.en}”`).waitFor(); // the one being opened
    assert.deepEqual(await axeViolations(facilitator), [], 'axe on the console with the warning');
    await shot(facilitator, 'r-03-console-still-open');
    await warning.getByRole('button', { name: 'Cancel' }).click();
    await warning.waitFor({ state: 'detached', timeout: T });
    assert.equal(await facilitator.locator('li.agenda-item .badge-open').count(), 1, 'cancel changed nothing');
    await stateOf(1).getByText('Revealed').waitFor();

    await item(1).getByRole('button', { name: 'Reopen' }).click();
    await warning.getByRole('button', { name: 'Close it and open this one' }).click();
    await stateOf(1).getByText('Open').waitFor({ timeout: T });
    await stateOf(0).getByText('Closed').waitFor({ timeout: T });
    assert.equal(await facilitator.locator('li.agenda-item .badge-open').count(), 1, 'one open activity');
    await presenterShows(SECOND.en);
  });
});
