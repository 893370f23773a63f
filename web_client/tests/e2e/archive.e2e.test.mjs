// End to end: ending and archiving from the workshop list. An admin ends a live workshop from
// its row (asked first; its console hears it), archives it (it leaves the list until archived
// workshops are shown), and takes it out of the archive; in Welsh too; axe clean.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, openPage, shot } from './browser.mjs';
import { ADMIN_TOKEN, addUser, startServer } from './server.mjs';

const T = 10_000;
const PASSWORD = 'correct horse battery';
const server = await startServer({ imports: [] });
after(() => server.stop());

describe('ending and archiving from the list', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const csp = [];
  let ws;
  before(async () => {
    const res = await fetch(`${server.baseUrl}/api/workshops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: { en: 'Old pilot', cy: 'Hen beilot' },
        languages: ['en', 'cy'],
        activities: [{ kind: 'likert', statement: { en: 'Done.', cy: 'Wedi gorffen.' } }],
      }),
    });
    assert.equal(res.status, 201);
    ws = await res.json();
    await addUser(server, 'Alun', 'admin', PASSWORD);
    browser = await launch();
  });
  after(() => browser?.close());

  it('ends, archives and brings back a workshop', async () => {
    const console_ = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await console_.goto(`/f/${ws.id}#${ws.facilitator_token}`);
    await console_.locator('li.agenda-item').first().waitFor({ timeout: T });

    const page = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 900 } });
    await page.goto('/s/login?next=%2Fs');
    await page.getByLabel('Name').fill('Alun');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.locator(`tr[data-workshop="${ws.id}"]`);
    await row.waitFor({ timeout: T });
    assert.equal(await row.getByRole('button', { name: 'Archive Old pilot' }).count(), 0); // live
    await row.getByRole('button', { name: 'End Old pilot' }).click();
    await row.getByText('End the workshop for everyone?', { exact: false }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await row.getByRole('button', { name: 'Yes, end the workshop' }).click();
    await row.getByText('This workshop has ended.').waitFor({ timeout: T });
    assert.match(await row.innerText(), /Ended/);
    // The console open elsewhere hears it at once.
    await console_.getByText('This workshop has ended.').first().waitFor({ timeout: T });

    await row.getByRole('button', { name: 'Archive Old pilot' }).click();
    await row.waitFor({ state: 'detached', timeout: T });
    const show = page.getByLabel('Show the archived workshop (1)');
    await show.check();
    await row.getByTestId('archived').waitFor({ timeout: T });
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'arc-01-archived-shown');

    await page.locator('.lang-switch').click();
    await page.getByText('Dangos y gweithdy sydd wedi’i archifo (1)').waitFor({ timeout: T });
    assert.match(await row.innerText(), /wedi’i archifo/);
    await row.getByRole('button', { name: 'Tynnu Hen beilot o’r archif' }).click();
    await row.getByText('Wedi’i dynnu o’r archif.').waitFor({ timeout: T });
    assert.equal(await row.getByTestId('archived').count(), 0);
    assert.equal(await page.getByText('Dangos y gweithdy sydd wedi’i archifo', { exact: false }).count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'arc-02-unarchived-cy');
    assert.deepEqual(csp, []);
  });
});
