// End to end: small cells on the projector. With the default min_cell of 3, one answer must
// not be shown as a distribution on the projector (the room would learn what that person
// said); the facilitator's console still shows it, marked as not for the projector.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, shot } from './browser.mjs';
import { ADMIN_TOKEN, startServer } from './server.mjs';

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
});
