// End to end: small cells on the projector. With the default min_cell of 3, one answer must
// not be shown as a distribution on the projector (the room would learn what that person
// said); the facilitator's console still shows it, marked as not for the projector.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, shot } from './browser.mjs';
import { ADMIN_TOKEN, addUser, startServer } from './server.mjs';

const T = 10_000;
const file = {
  title: { en: 'Small cells', cy: 'Celloedd bach' },
  languages: ['en', 'cy'],
  groups: [
    { id: 'innovator', label: { en: 'Innovator', cy: 'Arloeswr' } },
    { id: 'enabler', label: { en: 'Enabler', cy: 'Galluogwr' } },
  ],
  activities: [{ kind: 'likert', statement: { en: 'One voice only.', cy: 'Un llais yn unig.' }, scale: 5, results: 'live' }],
};

const server = await startServer({ imports: [] });
after(() => server.stop());

describe('small cells on shared screens', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  let ws;
  before(async () => {
    const res = await fetch(`${server.baseUrl}/api/workshops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(file),
    });
    assert.equal(res.status, 201);
    ws = await res.json();
    browser = await launch();
  });
  after(() => browser?.close());

  it('one answer: the projector shows no distribution, the console shows it marked', async () => {
    const page = async (size) => (await browser.newContext({ baseURL: server.baseUrl, viewport: size })).newPage();
    const facilitator = await page({ width: 1366, height: 768 });
    await facilitator.goto(`/f/${ws.id}#${ws.facilitator_token}`);
    const presenter = await page({ width: 1920, height: 1080 });
    await presenter.goto(`/p/${ws.id}#${ws.presenter_token}`);
    await facilitator.locator('.next-step button').click();
    await presenter.getByText('One voice only.').first().waitFor({ timeout: T });

    // One participant answers "Strongly agree" over the protocol, from a page of the origin.
    const phone = await page({ width: 360, height: 760 });
    await phone.goto('/s/login'); // any page of the origin will do
    const s = await phone.evaluate(async (code) => {
      const sock = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws`);
      const frames = [];
      sock.onmessage = (e) => frames.push(JSON.parse(e.data));
      await new Promise((r) => (sock.onopen = r));
      const waitFor = async (pred) => {
        for (let i = 0; i < 400; i++) {
          const f = frames.find(pred);
          if (f) return f;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error('frame not received');
      };
      sock.send(JSON.stringify({ type: 'hello', v: 1, role: 'participant', code }));
      const welcome = await waitFor((f) => f.type === 'welcome');
      sock.send(JSON.stringify({ type: 'profile', op: 'op-small-cells-profile-0001', consent: true, group: 'innovator' }));
      await waitFor((f) => f.type === 'ack' && f.op === 'op-small-cells-profile-0001');
      sock.send(JSON.stringify({ type: 'vote', op: 'op-small-cells-vote-000002', activity: welcome.activity.id, value: 5 }));
      await waitFor((f) => f.type === 'ack' && f.op === 'op-small-cells-vote-000002');
      return waitFor((f) => f.type === 'summary' && f.n === 1);
    }, ws.code);
    // The participant's own summary carries n only.
    assert.equal(s.counts, undefined);

    // The console has the answer, marked as not for the projector.
    await facilitator.getByText(/not shown on the projector/).first().waitFor({ timeout: T });
    // The projector says how many answered, never what.
    await presenter.getByText('Answers: 1').first().waitFor({ timeout: T });
    // …and why there is nothing more.
    await presenter.getByText('Results are shown once 3 people have answered', { exact: false }).waitFor({ timeout: T });
    // Protection is on: the console has no warning that it is off.
    assert.equal(await facilitator.getByTestId('small-cells-off').count(), 0);
    const stage = await presenter.locator('.presenter-stage').innerText();
    assert.ok(!/1 of 1 agree/.test(stage), stage);
    assert.ok(!/Strongly agree/.test(stage), stage);
    assert.equal(await presenter.locator('.presenter-stage .dbar').count(), 0);
    assert.deepEqual(await axeViolations(presenter), []);
    await shot(presenter, 'sc-01-presenter-one-answer');
    await shot(facilitator, 'sc-02-console-one-answer');
  });

  it('the results page for publication withholds the one answer; the staff view shows it, marked', async () => {
    await addUser(server, 'Rhian', 'reviewer', 'correct horse battery');
    const page = await (await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1366, height: 768 } })).newPage();
    await page.goto(`/s/login?next=${encodeURIComponent(`/s/w/${ws.id}`)}`);
    await page.getByLabel('Name').fill('Rhian');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Results of Small cells' }).waitFor({ timeout: T });
    const result = page.locator('.review-result');
    // Staff: the answer, marked as withheld from shared screens.
    assert.match(await result.locator('.agree-line').innerText(), /^1 of 1 agree/);
    await result.getByText(/fewer than 3 — not shown on the projector/).waitFor();

    await page.getByRole('radio', { name: 'For publication' }).check();
    await result.getByTestId('results-withheld').waitFor({ timeout: T });
    assert.equal(
      await result.getByTestId('results-withheld').innerText(),
      'Fewer than 3 answers: the results are withheld, so that nobody’s answer can be picked out.',
    );
    await page.getByText('For publication: as the projector shows them.', { exact: false }).waitFor();
    const text = await result.innerText();
    assert.ok(!/agree|Strongly/.test(text), text);
    assert.equal(await result.locator('.dbar').count(), 0);
    assert.match(await page.locator('table.overview tbody tr').first().innerText(), /Withheld: fewer than 3 answers/);
    assert.match(page.url(), /\?view=publication$/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'sc-03-review-publication');

    // The address keeps the view: reloaded (or sent to a colleague), the page is for publication.
    await page.reload();
    await result.getByTestId('results-withheld').waitFor({ timeout: T });
    assert.equal(await page.getByRole('radio', { name: 'For publication' }).isChecked(), true);
    // The CSV for publication leaves out an activity with too few answers; the staff CSV has it.
    const rows = async (name) => {
      const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
      const res = await page.request.get(href);
      assert.equal(res.status(), 200, name);
      return (await res.text()).trim().split(/\r?\n/).length - 1;
    };
    assert.equal(await rows('Responses for publication (CSV)'), 0);
    assert.equal(await rows('Responses (CSV)'), 1);
    // Printed: the report without the choice of view.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('radio', { name: 'For publication' }).isVisible(), false);
    assert.equal(await result.getByTestId('results-withheld').isVisible(), true);
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await page.getByText('Llai na 3 o atebion: ni ddangosir y canlyniadau', { exact: false }).waitFor({ timeout: T });
    await page.getByRole('radio', { name: 'Popeth (staff yn unig)' }).check();
    await result.locator('.agree-line').waitFor({ timeout: T });
    assert.equal(await result.getByTestId('results-withheld').count(), 0);
    assert.doesNotMatch(page.url(), /view=/);
    await page.context().close();
  });
});
