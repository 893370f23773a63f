// End to end: a participant withdraws from their own phone. They confirm (in Welsh here), the
// server deletes their vote and their note, the console's board and the results lose them at
// once, and the phone forgets its identity: a reload is a new person.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, shot } from './browser.mjs';
import { ADMIN_TOKEN, startServer } from './server.mjs';

const T = 10_000;
const NOTE = 'My idea that nobody else should keep';
const file = {
  title: { en: 'Withdrawal', cy: "Tynnu'n ôl" },
  languages: ['en', 'cy'],
  min_cell: 1, // two phones: their results are shown
  groups: [
    { id: 'innovator', label: { en: 'Innovator', cy: 'Arloeswr' } },
    { id: 'enabler', label: { en: 'Enabler', cy: 'Galluogwr' } },
  ],
  activities: [
    { kind: 'likert', statement: { en: 'I would take part again.', cy: 'Byddwn yn cymryd rhan eto.' }, scale: 5, results: 'live' },
    { kind: 'board', prompt: { en: 'What would help?', cy: "Beth fyddai'n helpu?" } },
  ],
};

const server = await startServer({ imports: [] });
after(() => server.stop());
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** One of the workshop's CSV exports (export.csv, boards.csv) as staff download it. */
async function csv(id, name) {
  const res = await fetch(`${server.baseUrl}/api/workshops/${id}/${name}`, { headers: admin });
  assert.equal(res.status, 200);
  return res.text();
}

/** The workshop's results as the API gives them to staff. */
async function results(id) {
  const res = await fetch(`${server.baseUrl}/api/workshops/${id}/results`, { headers: admin });
  assert.equal(res.status, 200);
  return res.json();
}

describe('withdrawing from a phone', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  let ws, phone, facilitator;
  const agenda = () => facilitator.locator('li.agenda-item');

  before(async () => {
    const res = await fetch(`${server.baseUrl}/api/workshops`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify(file),
    });
    assert.equal(res.status, 201);
    ws = await res.json();
    browser = await launch();
    facilitator = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: server.baseUrl })).newPage();
    await facilitator.goto(`/f/${ws.id}#${ws.facilitator_token}`);
    // min_cell 1 here: the console warns that small-cell protection is off.
    await facilitator.getByTestId('small-cells-off').getByText(/Small-cell protection is off/).waitFor({ timeout: T });
    await agenda().first().getByRole('button', { name: 'Open' }).click({ timeout: T });
    const ctx = await browser.newContext({ viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, hasTouch: true, baseURL: server.baseUrl });
    phone = await ctx.newPage();
    await phone.goto(`/j/${ws.code}`);
    await phone.getByRole('radio', { name: 'Innovator' }).check({ timeout: T });
    await phone.getByRole('button', { name: 'Continue' }).click();
  });
  after(() => browser?.close());

  it('a vote and a note, then a change of mind that keeps them', async () => {
    await phone.getByRole('radio', { name: 'Strongly agree' }).check({ timeout: T });
    await phone.getByText(/saved|counted/i).first().waitFor({ timeout: T }).catch(() => {});
    // Someone else answers too, so the summary has something left after the withdrawal.
    await phone.evaluate(async (code) => {
      const sock = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
      const acks = new Set();
      sock.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.type === 'ack') acks.add(m.op);
        if (m.type === 'welcome') {
          sock.send(JSON.stringify({ type: 'profile', op: 'op-withdraw-e2e-profile-0001', consent: true, group: 'enabler' }));
          sock.send(JSON.stringify({ type: 'vote', op: 'op-withdraw-e2e-vote-00000001', activity: m.activity.id, value: 1 }));
        }
      };
      sock.onopen = () => sock.send(JSON.stringify({ type: 'hello', v: 1, role: 'participant', code, token: null, lang: 'en' }));
      for (let i = 0; i < 400 && acks.size < 2; i++) await new Promise((r) => setTimeout(r, 25));
      sock.close();
    }, ws.code);
    for (let i = 0; i < 100; i++) {
      if ((await results(ws.id)).activities[0].summary.n === 2) break;
      await phone.waitForTimeout(50);
    }
    assert.equal((await results(ws.id)).activities[0].summary.n, 2);

    await agenda().nth(1).getByRole('button', { name: 'Open' }).click();
    await facilitator.getByRole('button', { name: /^Close it and open/ }).click({ timeout: 2_000 }).catch(() => {});
    await phone.getByRole('button', { name: /Add a note/ }).click({ timeout: T });
    await phone.getByRole('textbox', { name: 'Your note' }).fill(NOTE);
    await phone.getByRole('button', { name: 'Save note' }).click();
    await facilitator.locator('article.note', { hasText: NOTE }).waitFor({ timeout: T });

    assert.ok((await csv(ws.id, 'export.csv')).includes('Strongly agree'));
    assert.ok((await csv(ws.id, 'boards.csv')).includes(NOTE));

    // Asked, then cancelled: nothing is deleted.
    await phone.getByRole('button', { name: /Withdraw and delete my answers/ }).click();
    await phone.getByRole('heading', { name: 'Delete all your answers?' }).waitFor();
    assert.equal(await phone.evaluate(() => document.activeElement?.textContent), 'Delete all your answers?', 'the question has the focus');
    await phone.getByRole('button', { name: 'Cancel' }).click();
    await phone.getByRole('heading', { name: 'Delete all your answers?' }).waitFor({ state: 'detached' });
    assert.equal((await results(ws.id)).activities[0].summary.n, 2);
  });

  it('withdrawn in Welsh: the vote and the note are gone everywhere, and the phone forgets', async () => {
    await phone.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await phone.getByRole('button', { name: /Tynnu'n ôl a dileu fy atebion/ }).click();
    await phone.getByRole('heading', { name: 'Dileu eich holl atebion?' }).waitFor({ timeout: T });
    await shot(phone, 'withdraw-01-confirm-cy');
    assert.deepEqual(await axeViolations(phone), [], 'axe on the question');
    await phone.getByRole('button', { name: "Ie, tynnu'n ôl a dileu" }).click();
    await phone.getByRole('heading', { name: "Rydych chi wedi tynnu'n ôl" }).waitFor({ timeout: T });
    await shot(phone, 'withdraw-02-done-cy');
    assert.deepEqual(await axeViolations(phone), [], 'axe after withdrawing');

    // The console's board loses the note without a reload (the board is pushed again).
    await facilitator.locator('article.note', { hasText: NOTE }).waitFor({ state: 'detached', timeout: T });
    const after = await results(ws.id);
    assert.equal(after.activities[0].summary.n, 1, 'the summary is recomputed');
    assert.deepEqual(after.activities[0].summary.counts, [1, 0, 0, 0, 0], 'only the other vote is left');
    assert.ok(!JSON.stringify(after).includes(NOTE), 'the note is not in the results');
    const answers = await csv(ws.id, 'export.csv');
    assert.ok(!answers.includes('Strongly agree'), answers);
    assert.ok(answers.includes('Strongly disagree'), 'the other person’s answer stays');
    assert.ok(!(await csv(ws.id, 'boards.csv')).includes(NOTE));

    // The device no longer holds the token; coming back is joining afresh.
    assert.equal(await phone.evaluate((code) => localStorage.getItem(`cylch.participant.${code}`), ws.code), null);
    await phone.goto(`/j/${ws.code}`);
    await phone.getByRole('radio', { name: 'Arloeswr' }).waitFor({ timeout: T });
  });
});
