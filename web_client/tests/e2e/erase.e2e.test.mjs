// End to end: staff erase every response of an ended workshop from the workshop list (what
// is erased, byte for byte, is proven in tests/integration/retention_test.cpp). While the
// workshop runs there is no erase button; after the end a
// reviewer still has none; the admin asks, reads what it means, cancels once, then confirms:
// the list says the responses were erased (in English and Welsh), the CSV link goes, and the
// results and export say so. Then the admin deletes the workshop itself (asked first): it
// leaves the list, its console link and API, and the audit trail names who deleted it.
// Axe on every state; no CSP violation.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, openPage, shot } from './browser.mjs';
import { addUser as addServerUser, startServer } from './server.mjs';

const T = 10_000;
const PASSWORD = 'correct horse battery';
const LAPTOP = { viewport: { width: 1366, height: 768 } };

const server = await startServer();
after(() => server.stop());
const ws = server.workshops[0];

const addUser = (name, role) => addServerUser(server, name, role, PASSWORD);

describe('erasing a whole workshop', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const csp = [];

  before(async () => {
    await addUser('Alun', 'admin');
    await addUser('Rhian', 'reviewer');
    browser = await launch();
  });
  after(() => browser?.close());

  async function signedIn(name) {
    const page = await openPage(browser, server.baseUrl, csp, LAPTOP);
    await page.goto('/s/login');
    await page.getByLabel(/^(Name|Enw)$/).fill(name);
    await page.getByLabel(/^(Password|Cyfrinair)$/).fill(PASSWORD);
    await page.getByRole('button', { name: /^(Sign in|Mewngofnodi)$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Workshops' }).waitFor({ timeout: T });
    return page;
  }

  const row = (page) => page.locator(`tr[data-workshop="${ws.id}"]`);
  const eraseButton = (page) => row(page).getByRole('button', { name: 'Erase all responses of Persona validation' });
  const deleteButton = (page) => row(page).getByRole('button', { name: 'Delete Persona validation' });

  it('is offered only for an ended workshop, and not to reviewers', async () => {
    const admin = await signedIn('Alun');
    await row(admin).waitFor({ timeout: T });
    assert.equal(await eraseButton(admin).count(), 0, 'no erase while the workshop runs');
    assert.equal(await deleteButton(admin).count(), 0, 'no deletion while the workshop runs');

    // The facilitator ends the workshop.
    const console_ = await openPage(browser, server.baseUrl, csp, LAPTOP);
    await console_.goto(`/f/${ws.id}#${ws.facilitatorToken}`);
    await console_.getByRole('button', { name: 'End workshop' }).click();
    await console_.getByRole('button', { name: 'Yes, end the workshop' }).click();
    await console_.getByText('This workshop has ended.').waitFor({ timeout: T });
    await console_.context().close();

    const reviewer = await signedIn('Rhian');
    await row(reviewer).getByText('Ended').waitFor({ timeout: T });
    assert.equal(await eraseButton(reviewer).count(), 0, 'reviewers change nothing');
    assert.equal(await deleteButton(reviewer).count(), 0, 'reviewers delete nothing');
    await reviewer.context().close();
    await admin.context().close();
  });

  it('asks first, then erases, and the list, results and export say so', async () => {
    const admin = await signedIn('Alun');
    await eraseButton(admin).click();
    const confirm = row(admin).getByRole('group', { name: 'Erase all responses of Persona validation' });
    await confirm.getByText('will be deleted for good, and no results kept').waitFor({ timeout: T });
    assert.deepEqual(await axeViolations(admin), []);
    await shot(admin, 'erase-01-confirm');
    // Cancel leaves everything as it was.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await eraseButton(admin).waitFor({ timeout: T });
    assert.equal(await row(admin).getByTestId('purged').count(), 0);
    assert.equal((await admin.request.get(`/api/workshops/${ws.id}/export.csv`)).status(), 200);

    await eraseButton(admin).click();
    await row(admin).getByRole('button', { name: 'Yes, erase everything' }).click();
    await row(admin).getByRole('status').getByText('All responses were erased.').waitFor({ timeout: T });
    await row(admin).getByTestId('purged').getByText(/^Responses erased on \d{1,2} \w+ \d{4}$/).waitFor({ timeout: T });
    assert.equal(await eraseButton(admin).count(), 0, 'nothing left to erase');
    assert.equal(await row(admin).getByRole('link', { name: /Download CSV/ }).count(), 0);
    assert.deepEqual(await axeViolations(admin), []);
    await shot(admin, 'erase-02-done');

    const results = await admin.request.get(`/api/workshops/${ws.id}/results`);
    assert.equal(results.status(), 200);
    const body = await results.json();
    assert.equal(body.purged.aggregates_kept, false);
    assert.deepEqual(body.activities, []);
    assert.equal((await admin.request.get(`/api/workshops/${ws.id}/export.csv`)).status(), 410);

    // In Welsh the badge is Welsh.
    await admin.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await row(admin).getByTestId('purged').getByText(/^Ymatebion wedi’u dileu ar /).waitFor({ timeout: T });
    await admin.context().close();
  });

  it('deletes the ended workshop after asking: gone from the list, its link and API, in the audit trail', async () => {
    const admin = await signedIn('Alun');
    await deleteButton(admin).click();
    const confirm = row(admin).getByRole('group', { name: 'Delete Persona validation' });
    await confirm.getByText('will be deleted for good: every response, its questions, its links and join code').waitFor({ timeout: T });
    assert.deepEqual(await axeViolations(admin), []);
    await shot(admin, 'erase-03-delete-confirm');
    await confirm.getByRole('button', { name: 'Yes, delete the workshop' }).click();
    await admin.getByRole('status').getByText('Persona validation was deleted.').waitFor({ timeout: T });
    await row(admin).waitFor({ state: 'detached', timeout: T });
    assert.equal((await admin.request.get(`/api/workshops/${ws.id}/results`)).status(), 404);
    await shot(admin, 'erase-04-deleted');

    // The console's link no longer opens anything.
    const console_ = await openPage(browser, server.baseUrl, csp, LAPTOP);
    await console_.goto(`/f/${ws.id}#${ws.facilitatorToken}`);
    await console_.getByText('This link is not valid', { exact: false }).waitFor({ timeout: T });
    await console_.context().close();

    // The audit trail says who deleted what, and when.
    await admin.getByRole('link', { name: 'Audit trail' }).click();
    const entry = admin.locator('tbody tr[data-action="workshop_deleted"]');
    await entry.waitFor({ timeout: T });
    const text = await entry.innerText();
    assert.match(text, /Workshop deleted/);
    assert.match(text, /Alun/);
    assert.match(text, /Persona validation/);
    await admin.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await entry.getByText('Gweithdy wedi’i ddileu').waitFor({ timeout: T });
    await admin.context().close();
  });

  it('no page broke the content security policy', () => {
    assert.deepEqual(csp, []);
  });
});
