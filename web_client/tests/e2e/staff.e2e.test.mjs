// End to end: staff accounts in the browser. A facilitator signs in, makes a workshop from a
// file, sees it listed, downloads its CSV (parsed here) and shares it; a reviewer (in Welsh)
// sees every workshop and no way to make one; an admin adds a user and disables one, whose
// next page asks for a sign-in again. Axe on every staff page; no CSP violation.
//
// Run: npm run test:e2e   (builds dist/ first; needs build/server/cylch-server and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, openPage, shot } from './browser.mjs';
import { addUser as addServerUser, startServer } from './server.mjs';
import { parseCsv } from './csv.mjs';

const T = 10_000;
const PASSWORD = 'correct horse battery';
const file = {
  title: { en: 'Staff pages test', cy: 'Prawf tudalennau staff' },
  languages: ['en', 'cy'],
  activities: [{ kind: 'likert', statement: { en: 'The list is useful.', cy: "Mae'r rhestr yn ddefnyddiol." }, scale: 5 }],
};

const server = await startServer({ imports: [] });
after(() => server.stop());

const addUser = (name, role) => addServerUser(server, name, role, PASSWORD);


describe('staff pages', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const csp = [];
  const dir = mkdtempSync(join(tmpdir(), 'cylch-staff-'));
  const workshopFile = join(dir, 'workshop.json');
  writeFileSync(workshopFile, JSON.stringify(file));

  before(async () => {
    await addUser('Alun', 'admin');
    await addUser('Ceri', 'facilitator');
    await addUser('Dafydd', 'facilitator');
    await addUser('Rhian', 'reviewer');
    browser = await launch();
  });
  after(() => browser?.close());

  async function signIn(page, name, password = PASSWORD) {
    await page.getByLabel(/^(Name|Enw)$/).fill(name);
    await page.getByLabel(/^(Password|Cyfrinair)$/).fill(password);
    await page.getByRole('button', { name: /^(Sign in|Mewngofnodi)$/ }).click();
  }

  let workshopId;

  it('a facilitator signs in, makes a workshop from a file, downloads its CSV and shares it', async () => {
    const page = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await page.goto('/s');
    await page.waitForURL(/\/s\/login\?next=%2Fs|\/s\/login\?next=\/s/, { timeout: T });
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 's-01-login');

    await signIn(page, 'Ceri', 'wrong password!');
    await page.getByRole('alert').getByText('Wrong name or password.').waitFor({ timeout: T });
    await signIn(page, 'Ceri');
    await page.getByRole('heading', { level: 1, name: 'Workshops' }).waitFor({ timeout: T });
    await page.getByText('Signed in as Ceri (facilitator)').waitFor({ timeout: T });
    await page.getByText('No workshops yet.').waitFor({ timeout: T });

    await page.getByLabel('Workshop file (JSON)').setInputFiles(workshopFile);
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await page.getByRole('heading', { name: 'Workshop created' }).waitFor({ timeout: T });
    const row = page.locator('tr[data-workshop]');
    await row.getByText('Staff pages test').waitFor({ timeout: T });
    workshopId = await row.getAttribute('data-workshop');
    assert.match(workshopId, /^w_/);
    assert.equal((await row.locator('td').nth(4).textContent()).trim(), 'Ceri'); // created, state, participants, reach, owner
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 's-02-workshops-facilitator');

    // The CSV link works with the session cookie; the file parses with the documented header.
    const csv = await page.request.get(`/api/workshops/${workshopId}/export.csv`);
    assert.equal(csv.status(), 200);
    const rows = parseCsv(await csv.text());
    assert.deepEqual(rows[0].slice(0, 6), ['workshop', 'activity_position', 'activity', 'statement', 'respondent', 'group']);

    await row.getByLabel('Share with a facilitator (their sign-in name)').fill('Nobody');
    await row.getByRole('button', { name: 'Share' }).click();
    await row.getByText('There is no active facilitator of that name.').waitFor({ timeout: T });
    await row.getByLabel('Share with a facilitator (their sign-in name)').fill('Dafydd');
    await row.getByRole('button', { name: 'Share' }).click();
    await row.getByText('Shared with Dafydd.').waitFor({ timeout: T });

    // A copy for next time: a new row owned by Ceri, with the links shown once.
    await row.getByRole('button', { name: 'Duplicate Staff pages test' }).click();
    await page.locator('tr[data-workshop]').nth(1).waitFor({ timeout: T });
    assert.equal(await page.locator('tr[data-workshop]').count(), 2);
    await page.getByRole('heading', { name: 'Workshop created' }).waitFor({ timeout: T });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/s\/login/, { timeout: T });
    const me = await page.request.get('/api/me');
    assert.equal(me.status(), 401);
    await page.context().close();
  });

  it('the owner makes new links: the console opened by the old link is refused, the new link opens it', async () => {
    const page = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await page.goto('/s/login');
    await signIn(page, 'Ceri');
    const row = page.locator(`tr[data-workshop="${workshopId}"]`);
    const rotate = async () => {
      await row.getByRole('button', { name: 'New links for Staff pages test' }).click();
      const confirm = row.getByRole('group', { name: 'New links for Staff pages test' });
      await confirm.getByText('will stop working').waitFor({ timeout: T });
      await confirm.getByRole('button', { name: 'Yes, make new links' }).click();
      await page.getByRole('heading', { name: 'New links: the old ones no longer work' }).waitFor({ timeout: T });
      const link = await page.locator('#share-facilitator').inputValue();
      assert.match(link, new RegExp(`/f/${workshopId}#.+`));
      return link;
    };
    const first = await rotate();
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 's-03-new-links');

    // A console opened by the first link (in a browser that is not signed in).
    const other = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await other.goto(first);
    await other.getByRole('heading', { level: 1, name: 'Staff pages test' }).waitFor({ timeout: T });

    // New links again: that console is sent away and refused; the new link opens it.
    const second = await rotate();
    assert.notEqual(second, first);
    await other.getByText('This link is not valid', { exact: false }).waitFor({ timeout: T });
    await other.context().close();
    const fresh = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await fresh.goto(second);
    await fresh.getByRole('heading', { level: 1, name: 'Staff pages test' }).waitFor({ timeout: T });
    await fresh.context().close();
    await page.context().close();
  });

  it('the facilitator it was shared with sees it as shared; a reviewer, in Welsh, sees all and makes nothing', async () => {
    const dafydd = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await dafydd.goto('/s/login');
    await signIn(dafydd, 'Dafydd');
    const row = dafydd.locator(`tr[data-workshop="${workshopId}"]`);
    await row.getByText('shared with you').waitFor({ timeout: T });
    assert.equal(await row.getByRole('button', { name: 'Share' }).count(), 0); // only owners share
    // The console opens from the list by the sign-in: no link token in the address.
    await row.getByRole('link', { name: 'Console: Staff pages test' }).click();
    await dafydd.waitForURL(new RegExp(`/f/${workshopId}$`), { timeout: T });
    await dafydd.locator('li.agenda-item').first().waitFor({ timeout: T });
    assert.equal(await dafydd.getByText('This link is not valid', { exact: false }).count(), 0);
    assert.deepEqual(await axeViolations(dafydd), []);
    await shot(dafydd, 's-02b-console-by-sign-in');
    await dafydd.context().close();

    // Signed out, the same address says so and signs in on the way back to the console.
    const stranger = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await stranger.goto(`/f/${workshopId}`);
    await stranger.getByRole('alert').getByText('not signed in', { exact: false }).waitFor({ timeout: T });
    await stranger.getByRole('link', { name: 'Sign in' }).click();
    await signIn(stranger, 'Dafydd');
    await stranger.waitForURL(new RegExp(`/f/${workshopId}$`), { timeout: T });
    await stranger.locator('li.agenda-item').first().waitFor({ timeout: T });
    await stranger.context().close();

    const rhian = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await rhian.goto('/s/login');
    await rhian.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await rhian.getByRole('heading', { level: 1, name: 'Mewngofnodi' }).waitFor({ timeout: T });
    await signIn(rhian, 'Rhian');
    await rhian.getByRole('heading', { level: 1, name: 'Gweithdai' }).waitFor({ timeout: T });
    await rhian.getByText('Wedi mewngofnodi fel Rhian (adolygydd)').waitFor({ timeout: T });
    await rhian.getByText('Prawf tudalennau staff').first().waitFor({ timeout: T });
    assert.equal(await rhian.getByText('Gweithdy newydd o ffeil gweithdy').count(), 0);
    assert.equal(await rhian.locator('input[type=file]').count(), 0);
    // A reviewer may put a workshop on the big screen but not run it.
    const reviewed = rhian.locator(`tr[data-workshop="${workshopId}"]`);
    assert.equal(await reviewed.getByRole('link', { name: /^Consol:/ }).count(), 0);
    await reviewed.getByRole('link', { name: 'Sgrin fawr: Prawf tudalennau staff' }).waitFor();
    const main = await rhian.locator('main').innerText();
    for (const english of ['Workshops', 'Title', 'Participants', 'Live', 'Sign out', 'Nov', 'Dec', 'Jan']) {
      assert.ok(!main.includes(english), `English "${english}" on the Welsh page`);
    }
    assert.deepEqual(await axeViolations(rhian), []);
    await shot(rhian, 's-03-workshops-reviewer-cy');
    // A reviewer's write is refused by the server too, whatever the page shows.
    const me = await (await rhian.request.get('/api/me')).json();
    const refused = await rhian.request.post('/api/workshops', {
      headers: { 'X-CSRF-Token': me.csrf, 'content-type': 'application/json' },
      data: JSON.stringify(file),
    });
    assert.equal(refused.status(), 403);
    await rhian.context().close();
  });

  it('an admin adds a user and disables one, whose session ends', async () => {
    const ceri = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await ceri.goto('/s/login');
    await signIn(ceri, 'Ceri');
    await ceri.getByRole('heading', { level: 1, name: 'Workshops' }).waitFor({ timeout: T });

    const alun = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1366, height: 768 } });
    await alun.goto('/s/login?next=/s/users');
    await signIn(alun, 'Alun');
    await alun.getByRole('heading', { level: 1, name: 'Users' }).waitFor({ timeout: T });
    await alun.locator('tr[data-user="Ceri"]').waitFor({ timeout: T });
    await alun.getByLabel('Name').fill('Eleri');
    await alun.getByLabel('Role').selectOption('reviewer');
    await alun.getByLabel('Password').fill('short');
    await alun.getByRole('button', { name: 'Add a user' }).click();
    await alun.getByRole('alert').getByText(/At least 10 characters/).waitFor({ timeout: T });
    await alun.getByLabel('Password').fill('a long enough password');
    await alun.getByRole('button', { name: 'Add a user' }).click();
    await alun.getByText('Eleri can now sign in.').waitFor({ timeout: T });
    await alun.locator('tr[data-user="Eleri"]').getByText('reviewer').waitFor({ timeout: T });
    await alun.getByRole('button', { name: 'Disable Ceri' }).click();
    await alun.locator('tr[data-user="Ceri"]').getByText('disabled').waitFor({ timeout: T });
    assert.deepEqual(await axeViolations(alun), []);
    await shot(alun, 's-04-users-admin');

    await ceri.reload();
    await ceri.waitForURL(/\/s\/login/, { timeout: T });
    await signIn(ceri, 'Ceri');
    await ceri.getByRole('alert').getByText('Wrong name or password.').waitFor({ timeout: T });
    await alun.context().close();
    await ceri.context().close();
  });

  it('no page broke the content security policy', () => {
    assert.deepEqual(csp, []);
  });
});
