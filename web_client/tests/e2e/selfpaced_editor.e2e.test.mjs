// End to end: a self-paced questionnaire authored in the browser. An admin starts from the
// "Self-paced questionnaire" template (its dates filled in), sees the form's date and board
// errors next to their fields in English and Welsh, and a refusal of the server (a file the
// form would not send) land on its field too; creates it; the workshop list shows its mode and
// window; the edit page shows its dates as saved. Axe on every screen, 360 px without sideways
// scrolling.
//
// Run: npm run test:e2e   (needs a cylch-server with self-paced workshops — CYLCH_SERVER_BIN).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { SHOTS, axeViolations, launch, openPage, overflowsSideways, shot } from './browser.mjs';
import { addUser, startServer } from './server.mjs';

const T = 10_000;
const PASSWORD = 'correct horse battery';
const SELF_PACED = /^Self-paced: people answer/;

const server = await startServer({ imports: [] });
after(() => server.stop());

describe('a self-paced questionnaire in the editor', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const csp = [];
  let page;
  let workshopId;

  before(async () => {
    await addUser(server, 'Siân', 'admin', PASSWORD);
    browser = await launch();
    page = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/London' });
    await page.goto('/s/login?next=%2Fs%2Fnew');
    await page.getByLabel('Name').fill('Siân');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'New workshop' }).waitFor({ timeout: T });
  });
  after(() => browser?.close());

  const opens = () => page.getByLabel('Opens', { exact: true });
  const closes = () => page.getByLabel('Closes', { exact: true });
  const closesError = () => page.locator('#f-closes_at-error');

  it('the template fills a self-paced form with its dates', async () => {
    await page.getByRole('radio', { name: /^Self-paced questionnaire/ }).check();
    await page.getByRole('button', { name: 'Start with this' }).click();
    await page.getByTestId('started-from').waitFor({ timeout: T });
    assert.equal(await page.getByRole('radio', { name: SELF_PACED }).isChecked(), true);
    assert.match(await opens().inputValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    assert.match(await closes().inputValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const kinds = await page.locator('[data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    assert.ok(!kinds.includes('board'), kinds.join());
    assert.deepEqual(await axeViolations(page), []);
    await page.setViewportSize({ width: 360, height: 800 });
    assert.equal(await overflowsSideways(page), false);
    await shot(page, 'sp-01-questionnaire-360');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('closes before opens, and a board, are shown next to their fields in English and Welsh', async () => {
    await page.getByLabel('Title (English)', { exact: true }).fill('Care questionnaire');
    await page.getByLabel('Title (Welsh)', { exact: true }).fill('Holiadur gofal');
    // Going back to the choice of a start would lose the changes: it asks first.
    await page.getByRole('button', { name: 'Choose another start' }).click();
    await page.getByText('What you have changed in this form will be lost.').waitFor({ timeout: T });
    await page.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.getByLabel('Title (Welsh)', { exact: true }).inputValue(), 'Holiadur gofal');
    await opens().fill('2026-12-14T17:00');
    await closes().fill('2026-12-01T09:00');
    await page.getByLabel('Kind of activity to add').selectOption('board');
    await page.getByRole('button', { name: 'Add the activity' }).click();
    const board = page.getByRole('group', { name: 'Activity 5: Board' });
    await board.getByLabel('Prompt (English)', { exact: true }).fill('Ideas');
    await board.getByLabel('Prompt (Welsh)', { exact: true }).fill('Syniadau');
    await page.getByRole('button', { name: 'Create workshop' }).click();

    await closesError().getByText('Closes must be after opens.').waitFor({ timeout: T });
    assert.equal(await closes().getAttribute('aria-invalid'), 'true');
    assert.match(await closes().getAttribute('aria-describedby'), /f-closes_at-error/);
    await board.getByText('A board needs a live workshop').waitFor();
    const summary = page.locator('.summary');
    await summary.getByRole('link', { name: 'Closes: Closes must be after opens.' }).waitFor();
    await summary.getByRole('link', { name: /^Activity 5: A board needs a live workshop/ }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'sp-02-errors-en');

    await page.locator('.lang-switch').click();
    await closesError().getByText('Rhaid i’r dyddiad cau fod ar ôl y dyddiad agor.').waitFor({ timeout: T });
    await summary.getByRole('link', { name: /^Gweithgaredd 5: Mae angen gweithdy byw ar fwrdd/ }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'sp-03-errors-cy');
    await page.locator('#f-mode').screenshot({ path: join(SHOTS, 'sp-03b-dates-cy.png') });
    await page.locator('.lang-switch').click();
    await board.getByRole('button', { name: /^Remove/ }).click();
  });

  it("the server's refusal of a date lands next to the field", async () => {
    await closes().fill('2026-12-15T17:00');
    // A file the form would not send (closes equal to opens), as an older page might: the
    // server refuses it with the field's path, and the page shows it on that field.
    await page.route('**/api/workshops', async (route) => {
      const file = JSON.parse(route.request().postData());
      file.closes_at = file.opens_at;
      await route.continue({ postData: JSON.stringify(file) });
    });
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await closesError().getByText('Closes must be after opens.').waitFor({ timeout: T });
    assert.equal(await closes().getAttribute('aria-invalid'), 'true');
    await page.unroute('**/api/workshops');
    await shot(page, 'sp-04-server-error');
  });

  it('it is created; the list shows its mode and window; editing shows its dates', async () => {
    await page.getByRole('button', { name: 'Create workshop' }).click();
    await page.getByRole('heading', { name: 'Workshop created' }).waitFor({ timeout: T });
    workshopId = (await page.getByRole('link', { name: 'Edit workshop' }).getAttribute('href')).split('/')[3];
    const file = await (await page.request.get(`/api/workshops/${workshopId}/file`)).json();
    assert.equal(file.mode, 'self_paced');
    // 14 Dec 17:00 and 15 Dec 17:00 in London (GMT in December) as instants.
    assert.equal(Date.parse(file.opens_at), Date.parse('2026-12-14T17:00:00Z'));
    assert.equal(Date.parse(file.closes_at), Date.parse('2026-12-15T17:00:00Z'));

    await page.goto('/s');
    const row = page.locator(`tr[data-workshop="${workshopId}"]`);
    await row.getByTestId('mode').getByText('Self-paced').waitFor({ timeout: T });
    const windowText = async () => (await row.getByTestId('window').textContent()).replace(/\s+/g, ' ').trim();
    assert.equal(await windowText(), 'Open for answers: 14 Dec 2026 17:00 to 15 Dec 2026 17:00');
    assert.deepEqual(await axeViolations(page), []);
    await page.locator('.lang-switch').click();
    await row.getByTestId('mode').getByText('Ar eich cyflymder eich hun').waitFor({ timeout: T });
    assert.equal(await windowText(), 'Ar agor i atebion: 14 Rhag 2026 17:00 hyd 15 Rhag 2026 17:00');
    await shot(page, 'sp-05-list-cy');
    await page.locator('.lang-switch').click();

    await page.goto(`/s/w/${workshopId}/edit`);
    await page.getByRole('heading', { level: 1, name: 'Edit Care questionnaire' }).waitFor({ timeout: T });
    assert.equal(await page.getByRole('radio', { name: SELF_PACED }).isChecked(), true);
    assert.equal(await opens().inputValue(), '2026-12-14T17:00');
    assert.equal(await closes().inputValue(), '2026-12-15T17:00');
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'sp-06-edit');

    // Its results page says how it runs and when; nothing has opened yet.
    await page.goto(`/s/w/${workshopId}`);
    await page.getByTestId('review-mode').getByText('Self-paced').waitFor({ timeout: T });
    assert.equal(
      (await page.getByTestId('review-window').innerText()).trim(),
      'Open for answers: 14 Dec 2026 17:00 to 15 Dec 2026 17:00',
    );
    const results = await (await page.request.get(`/api/workshops/${workshopId}/results`)).json();
    assert.ok(results.timings, 'GET …/results carries timings (staff view)');
    const timings = page.getByTestId('review-timings');
    await timings.waitFor({ timeout: T });
    assert.equal(await timings.locator('tbody tr').count(), 4);
    assert.equal((await timings.getByTestId('respondent-span').innerText()).trim(), 'No one has answered yet.');
    assert.match(await timings.locator('tbody tr').first().innerText(), /not opened/); // it opens on 14 Dec
    assert.deepEqual(await axeViolations(page), []);
    await page.setViewportSize({ width: 360, height: 800 });
    assert.equal(await overflowsSideways(page), false);
    await shot(page, 'sp-07-results-360');
    assert.deepEqual(csp, []);
  });
});
