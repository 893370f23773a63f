// End to end: the core team compares workshops. Two focus groups of one programme ask the same
// statement (one words it with different spacing) and a third workshop of no programme does
// not; a reviewer picks the programme, ticks its workshops, and reads the statement side by side
// with the pooled answers and their interval, and each group's reach against its target; the
// report survives a reload (its address), prints without the controls, reads in Welsh, is axe
// clean.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, openPage, shot } from './browser.mjs';
import { ADMIN_TOKEN, addUser, startServer } from './server.mjs';

const T = 10_000;
const PASSWORD = 'correct horse battery';

const focusGroup = (title, wording, target, programme = 'Libraries 2026') => ({
  title: { en: title, cy: `${title} (cy)` },
  languages: ['en', 'cy'],
  ...(programme ? { programme } : {}),
  min_cell: 1,
  groups: [
    { id: 'staff', label: { en: 'Library staff', cy: 'Staff llyfrgell' }, target },
    { id: 'public', label: { en: 'Public', cy: 'Cyhoedd' } },
  ],
  activities: [{ kind: 'likert', statement: { en: wording, cy: "Mae'n hawdd cyrraedd y llyfrgell." }, scale: 5 }],
});

const server = await startServer({ imports: [] });
after(() => server.stop());

async function create(file) {
  const res = await fetch(`${server.baseUrl}/api/workshops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(file),
  });
  assert.equal(res.status, 201);
  return res.json();
}

describe('comparing workshops', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const csp = [];
  let cardiff;
  let bangor;
  let other;

  before(async () => {
    cardiff = await create(focusGroup('Cardiff', 'The library is easy to reach.', 4));
    bangor = await create(focusGroup('Bangor', 'The  library is easy to reach. ', 6));
    other = await create(focusGroup('Pilot', 'Something else entirely.', 2, null));
    await addUser(server, 'Rhian', 'reviewer', PASSWORD);
    browser = await launch();
    // The facilitator opens the statement and phones answer it, over the protocol.
    const page = await openPage(browser, server.baseUrl, csp);
    await page.goto('/s/login'); // any page of the origin will do
    for (const [w, votes] of [
      [cardiff, [['staff', 5], ['staff', 4], ['public', 2]]],
      [bangor, [['staff', 4], ['public', 4]]],
    ]) {
      await page.evaluate(
        async ({ w, votes }) => {
          const connect = async () => {
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
            let n = 0;
            const request = async (body) => {
              const op = `op-compare-${Math.random().toString(36).slice(2)}-${n++}`;
              sock.send(JSON.stringify({ ...body, op }));
              const reply = await waitFor((f) => f.op === op);
              if (reply.type !== 'ack') throw new Error(JSON.stringify(reply));
            };
            return { sock, waitFor, request };
          };
          const fac = await connect();
          fac.sock.send(JSON.stringify({ type: 'hello', v: 1, role: 'facilitator', workshop: w.id, token: w.facilitator_token }));
          const welcome = await fac.waitFor((f) => f.type === 'welcome');
          const statement = welcome.agenda[0].id;
          await fac.request({ type: 'activity.open', activity: statement });
          for (const [group, value] of votes) {
            const phone = await connect();
            phone.sock.send(JSON.stringify({ type: 'hello', v: 1, role: 'participant', code: w.code }));
            await phone.waitFor((f) => f.type === 'welcome');
            await phone.request({ type: 'profile', group });
            await phone.request({ type: 'vote', activity: statement, value });
            phone.sock.close();
          }
          fac.sock.close();
        },
        { w, votes },
      );
    }
    await page.context().close();
  });
  after(() => browser?.close());

  it('a reviewer compares the programme: side by side, pooled with its interval, reach against targets', async () => {
    const page = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 900 } });
    await page.goto('/s/login?next=%2Fs');
    await page.getByLabel('Name').fill('Rhian');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The list shows each workshop's programme.
    await page.locator(`tr[data-workshop="${cardiff.id}"]`).getByTestId('programme').waitFor({ timeout: T });
    assert.equal(await page.locator(`tr[data-workshop="${other.id}"]`).getByTestId('programme').count(), 0);
    // …and each group's reach against its target.
    const reachCell = await page.locator(`tr[data-workshop="${cardiff.id}"]`).getByTestId('reach').innerText();
    assert.match(reachCell, /Library staff: 2 of 4/);
    assert.match(reachCell, /Public: 1/);
    await page.getByRole('link', { name: 'Compare workshops' }).click();
    await page.getByRole('heading', { level: 1, name: 'Compare workshops' }).waitFor({ timeout: T });

    await page.getByLabel('Programme', { exact: true }).selectOption('Libraries 2026');
    // Only the programme's workshops are offered; ticking its workshops chooses both.
    assert.equal(await page.getByRole('checkbox').count(), 2);
    await page.getByRole('button', { name: 'Tick its workshops' }).click();
    await page.getByRole('button', { name: 'Compare', exact: true }).click();

    const statement = page.getByTestId('compared-statement');
    await statement.first().waitFor({ timeout: T });
    assert.equal(await statement.count(), 1); // matched despite the spacing
    await statement.getByRole('heading', { name: '1. The library is easy to reach.' }).waitFor();
    assert.match(await statement.innerText(), /Asked in 2 of 2 workshops/);
    const row = (id) => statement.locator(`tr[data-workshop="${id}"]`);
    assert.match(await row(cardiff.id).innerText(), /Cardiff\s+3\s/);
    assert.match(await row(cardiff.id).innerText(), /2 of 3 agree/);
    assert.match(await row(bangor.id).innerText(), /Bangor\s+2\s/);
    const pooled = statement.getByTestId('pooled');
    const pooledText = await pooled.innerText();
    assert.match(pooledText, /All together \(pooled\)\s+5\s/);
    assert.match(pooledText, /Agree/); // the median, in words
    const ci = /4 of 5 agree \(80%, 95% CI (\d+)–(\d+)%\)/.exec(pooledText);
    assert.ok(ci, pooledText);
    assert.ok(Number(ci[1]) < 80 && Number(ci[2]) > 80, pooledText);
    assert.equal(await statement.locator('.dbar').count(), 3);

    const reach = page.locator('tr[data-group="staff"]');
    assert.match(await reach.innerText(), /Library staff\s+3\s+10\s+\(30% of the target\)/);
    assert.match(await page.locator('tr[data-group="public"]').innerText(), /no target/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'cmp-01-compare');

    // The address keeps the report: a reload shows it again.
    const kept = new URL(page.url()).searchParams.get('workshops')?.split(',').sort();
    assert.deepEqual(kept, [cardiff.id, bangor.id].sort());
    await page.reload();
    await page.getByTestId('pooled').waitFor({ timeout: T });

    // Printed: no form, no controls; the tables stay.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('form.compare-choice').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible(), false);
    assert.equal(await page.getByTestId('pooled').isVisible(), true);
    await shot(page, 'cmp-02-compare-print');
    await page.emulateMedia({ media: 'screen' });

    // In Welsh.
    await page.locator('.lang-switch').click();
    await page.getByRole('heading', { level: 1, name: 'Cymharu gweithdai' }).waitFor({ timeout: T });
    await page.getByText('Pob un gyda’i gilydd (wedi’u cyfuno)').waitFor();
    await page.getByText('Gofynnwyd mewn 2 o 2 gweithdy').waitFor();
    assert.match(await page.locator('tr[data-group="staff"]').innerText(), /Staff llyfrgell/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'cmp-03-compare-cy');

    // The programme's report straight from the list: its tag links to it.
    await page.locator('.lang-switch').click();
    await page.goto('/s');
    await page.locator(`tr[data-workshop="${bangor.id}"]`).getByRole('link', { name: 'Programme: Libraries 2026' }).click();
    await page.getByTestId('pooled').waitFor({ timeout: T });
    assert.match(await page.getByTestId('compared-statement').innerText(), /Asked in 2 of 2 workshops/);
    assert.equal(await page.getByRole('checkbox', { checked: true }).count(), 2);

    // A workshop's results page shows its groups' reach against their targets (staff view).
    await page.goto(`/s/w/${cardiff.id}`);
    const reachPanel = page.getByTestId('review-reach');
    await reachPanel.waitFor({ timeout: T });
    assert.match(await reachPanel.locator('tr[data-group="staff"]').innerText(), /Library staff\s+2\s+4\s+\(50% of the target\)/);
    assert.match(await reachPanel.locator('tr[data-group="public"]').innerText(), /Public\s+1\s+no target/);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('radio', { name: 'For publication' }).check();
    await reachPanel.waitFor({ state: 'detached', timeout: T }); // staff only
    assert.deepEqual(csp, []);
  });
});
