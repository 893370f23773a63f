// End to end: the audit trail page. An admin signs in (after a wrong password), opens /s/audit
// from the header, sees their own sign-in and the failed one with the address, filters by
// action, downloads the CSV, switches to Welsh and sees Welsh headings and months; a
// facilitator has no link and is refused. Axe on every state; no CSP violation.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, openPage, shot } from './browser.mjs';
import { addUser as addServerUser, startServer } from './server.mjs';

const T = 10_000;
const PASSWORD = 'correct horse battery';

const server = await startServer({ imports: [] });
after(() => server.stop());

const addUser = (name, role) => addServerUser(server, name, role, PASSWORD);

describe('audit trail page', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const csp = [];

  before(async () => {
    await addUser('Alun', 'admin');
    await addUser('Ceri', 'facilitator');
    browser = await launch();
  });
  after(() => browser?.close());

  async function signIn(page, name, password = PASSWORD) {
    await page.getByLabel(/^(Name|Enw)$/).fill(name);
    await page.getByLabel(/^(Password|Cyfrinair)$/).fill(password);
    await page.getByRole('button', { name: /^(Sign in|Mewngofnodi)$/ }).click();
  }

  it('an admin sees their own sign-in, filters by action, downloads the CSV, and reads it in Welsh', async () => {
    const page = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await page.goto('/s/login');
    await signIn(page, 'Alun', 'not the password');
    await page.getByRole('alert').getByText('Wrong name or password.').waitFor({ timeout: T });
    await signIn(page, 'Alun');
    await page.getByRole('heading', { level: 1, name: 'Workshops' }).waitFor({ timeout: T });
    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor({ timeout: T });

    // Newest first: the sign-in, the failed one (both from this browser's address), the user
    // added by the admin token.
    const rows = page.locator('tbody tr');
    await rows.first().waitFor({ timeout: T });
    const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
    assert.deepEqual(actions.slice(0, 2), ['sign_in', 'sign_in_failed']);
    const first = await rows.first().innerText();
    assert.match(first, /Alun/);
    assert.match(first, /127\.0\.0\.1/);
    assert.match(first, /Signed in/);
    assert.ok(!(await page.locator('main').innerText()).includes('not the password'));
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'audit-01-admin');

    await page.getByLabel('Action').selectOption('sign_in_failed');
    await page.getByRole('button', { name: 'Show entries' }).click();
    await page.getByText('1 entry shown').waitFor({ timeout: T });
    assert.equal(await page.locator('tbody tr[data-action="sign_in"]').count(), 0);
    await page.locator('tbody tr[data-action="sign_in_failed"]').getByText('Sign-in failed').waitFor({ timeout: T });

    // The CSV link carries the filter shown; the download is audited.
    const href = await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href');
    assert.equal(href, '/api/audit.csv?action=sign_in_failed');
    const csv = await page.request.get(href);
    assert.equal(csv.status(), 200);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines[0], 'id,at,at_ms,actor_kind,actor,action,workshop,detail,address');
    assert.equal(lines.length, 2);
    assert.match(lines[1], /,staff,Alun,sign_in_failed,,,127\.0\.0\.1$/);

    // In Welsh: headings, actions and months.
    await page.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await page.getByRole('heading', { level: 1, name: 'Trywydd archwilio' }).waitFor({ timeout: T });
    await page.getByLabel('Gweithred').selectOption('');
    await page.getByRole('button', { name: 'Dangos cofnodion' }).click();
    await page.locator('tbody tr[data-action="audit_exported"]').waitFor({ timeout: T });
    for (const heading of ['Pryd', 'Pwy', 'Beth', 'Gweithdy', 'Manylion']) {
      await page.getByRole('columnheader', { name: heading }).waitFor({ timeout: T });
    }
    await page.locator('tbody tr[data-action="audit_exported"]').getByText("Trywydd archwilio wedi'i allforio").waitFor({ timeout: T });
    await page.locator('tbody tr[data-action="sign_in"]').getByText('Wedi mewngofnodi').waitFor({ timeout: T });
    const main = await page.locator('main').innerText();
    for (const english of ['When', 'Who', 'Signed in', 'Sign-in failed', 'Load more', 'Nov', 'Dec', 'Jan']) {
      assert.ok(!main.includes(english), `English "${english}" on the Welsh page`);
    }
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'audit-02-admin-cy');
    await page.context().close();
  });

  it('a facilitator has no link to the audit trail and is refused it', async () => {
    const page = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await page.goto('/s/login');
    await signIn(page, 'Ceri');
    await page.getByRole('heading', { level: 1, name: 'Workshops' }).waitFor({ timeout: T });
    assert.equal(await page.getByRole('link', { name: 'Audit trail' }).count(), 0);
    await page.goto('/s/audit');
    await page.getByRole('alert').getByText('The audit trail is for admins and reviewers.').waitFor({ timeout: T });
    assert.equal((await page.request.get('/api/audit')).status(), 403);
    assert.deepEqual(await axeViolations(page), []);
    await page.context().close();
  });

  it('no page broke the content security policy', () => {
    assert.deepEqual(csp, []);
  });
});
