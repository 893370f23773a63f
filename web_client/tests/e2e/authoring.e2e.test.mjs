// End to end: authoring a workshop in the browser. An admin makes a workshop from the empty
// form (a Likert statement and a choice, in English and Welsh) and sees its join code; a
// participant (in Welsh) answers the statement; the admin edits the statement's Welsh text
// (the participant sees it after reconnecting), is refused a new scale for the answered
// statement (the error next to the field, in English, then in Welsh), and sees a form error
// (an empty Welsh statement) next to the field and in the summary. Axe on both screens.
//
// Run: npm run test:e2e   (builds dist/ first; needs a cylch-server with PUT /api/workshops/{id}
// — CYLCH_SERVER_BIN — and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, openPage, shot } from './browser.mjs';
import { readFileSync } from 'node:fs';
import { ADMIN_TOKEN, addUser, startServer, templateFile } from './server.mjs';

const T = 10_000;
const PASSWORD = 'correct horse battery';

const server = await startServer({ imports: [] });
after(() => server.stop());

describe('authoring a workshop in the browser', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const csp = [];
  let admin; // the admin's page
  let participant;
  let workshopId;
  let code;

  before(async () => {
    await addUser(server, 'Alun', 'admin', PASSWORD);
    browser = await launch();
  });
  after(() => browser?.close());

  const statementCy = () => admin.getByLabel('Statement (Welsh)');

  it('an admin makes a workshop from the empty form and sees its join code', async () => {
    admin = await openPage(browser, server.baseUrl, csp, { viewport: { width: 1280, height: 900 } });
    await admin.goto('/s/login');
    await admin.getByLabel('Name').fill('Alun');
    await admin.getByLabel('Password').fill(PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Workshops' }).waitFor({ timeout: T });
    await admin.getByRole('link', { name: 'New workshop', exact: true }).click();
    await admin.getByRole('heading', { level: 1, name: 'New workshop' }).waitFor({ timeout: T });
    // A new workshop starts from a choice: the empty form is the first (and chosen) one.
    assert.equal(await admin.getByRole('radio', { name: 'An empty form' }).isChecked(), true);
    await admin.getByRole('button', { name: 'Start with this' }).click();

    await admin.getByLabel('Title (English)').fill('Authoring test');
    await admin.getByLabel('Title (Welsh)').fill('Prawf awduro');
    const likert = admin.getByRole('group', { name: 'Activity 1: Likert statement' });
    await likert.getByLabel('Statement (English)').fill('The form is easy to use.');
    await likert.getByLabel('Statement (Welsh)').fill("Mae'r ffurflen yn hawdd.");

    await admin.getByLabel('Kind of activity to add').selectOption('choice');
    await admin.getByRole('button', { name: 'Add the activity' }).click();
    const choice = admin.getByRole('group', { name: 'Activity 2: Multiple choice' });
    await choice.getByLabel('Question (English)').fill('Which screen?');
    await choice.getByLabel('Question (Welsh)').fill('Pa sgrin?');
    for (const [n, id, en, cy] of [
      [1, 'phone', 'Phone', 'Ffôn'],
      [2, 'projector', 'Projector', 'Taflunydd'],
    ]) {
      const option = choice.getByRole('group', { name: `Option ${n}` });
      await option.getByLabel('Id').fill(id);
      await option.getByLabel('Label (English)').fill(en);
      await option.getByLabel('Label (Welsh)').fill(cy);
    }
    assert.deepEqual(await axeViolations(admin), []);
    await shot(admin, 'authoring-01-new-form');

    await admin.getByRole('button', { name: 'Create workshop' }).click();
    await admin.getByRole('heading', { name: 'Workshop created' }).waitFor({ timeout: T });
    code = (await admin.getByTestId('join-code').innerText()).trim();
    assert.match(code, /^[0-9]{6}$/);
    const edit = admin.getByRole('link', { name: 'Edit workshop' });
    workshopId = (await edit.getAttribute('href')).split('/')[3];
    assert.match(workshopId, /^w_/);
    assert.deepEqual(await axeViolations(admin), []);
    await shot(admin, 'authoring-02-created');
  });

  it('a participant answers the statement (in Welsh)', async () => {
    // The edit form is opened before anyone answers: it does not know the statement is answered.
    // Writers find "Edit" on the list and on the results page.
    await admin.goto('/s');
    const row = admin.locator(`tr[data-workshop="${workshopId}"]`);
    assert.equal(await row.getByRole('link', { name: 'Edit Authoring test' }).getAttribute('href'), `/s/w/${workshopId}/edit`);
    await admin.goto(`/s/w/${workshopId}`);
    await admin.getByRole('link', { name: 'Edit workshop' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Edit Authoring test' }).waitFor({ timeout: T });
    assert.equal(await statementCy().inputValue(), "Mae'r ffurflen yn hawdd.");
    assert.equal(await admin.getByLabel('Points on the scale').isDisabled(), false);

    const console_ = await admin.context().newPage(); // the admin's sign-in opens the console
    await console_.goto(`/f/${workshopId}`);
    const first = console_.locator('li.agenda-item').nth(0);
    await first.getByRole('button', { name: 'Open' }).click();

    participant = await openPage(browser, server.baseUrl, csp, { viewport: { width: 390, height: 844 } });
    await participant.goto('/');
    await participant.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await participant.goto(`/j/${code}`);
    await participant.getByRole('heading', { name: 'Cyn i chi ddechrau' }).waitFor({ timeout: T });
    await participant.getByRole('radio', { name: 'Cymraeg' }).check();
    await participant.getByRole('button', { name: 'Parhau' }).click();
    await participant.getByRole('heading', { name: "Mae'r ffurflen yn hawdd." }).waitFor({ timeout: T });
    await participant.getByRole('radio', { name: 'Cytuno', exact: true }).check();
    // The answer is stored: the results count it.
    await waitForAnswers(1);
    await console_.close();
  });

  async function waitForAnswers(n) {
    const deadline = Date.now() + T;
    for (;;) {
      const res = await admin.request.get(`/api/workshops/${workshopId}/file`);
      const file = await res.json();
      if ((file.answered ?? []).length >= n) return file;
      if (Date.now() > deadline) throw new Error(`no answers recorded: ${JSON.stringify(file.answered)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('a new scale for the answered statement is refused next to the field, in English and in Welsh', async () => {
    await admin.getByLabel('Points on the scale').selectOption('7');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    const scale = admin.getByLabel('Points on the scale');
    const error = admin.locator('#f-activities-0-scale-error');
    await error.getByText('This activity has answers: its scale').waitFor({ timeout: T });
    assert.equal(await scale.getAttribute('aria-invalid'), 'true');
    assert.match(await scale.getAttribute('aria-describedby'), /f-activities-0-scale-error/);
    // The summary at the top has the focus and links to the field.
    assert.equal(await admin.evaluate(() => document.activeElement?.classList.contains('summary')), true);
    await admin.locator('.summary').getByRole('link', { name: /Activity 1: Points on the scale: This activity has answers/ }).waitFor();
    await shot(admin, 'authoring-03-refused-en');

    await admin.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
    await error.getByText('Mae atebion i’r gweithgaredd hwn: ni all ei raddfa').waitFor({ timeout: T });
    await admin.locator('.summary').getByRole('link', { name: /Gweithgaredd 1: Pwyntiau ar y raddfa/ }).waitFor();
    assert.deepEqual(await axeViolations(admin), []);
    await shot(admin, 'authoring-04-refused-cy');
    await admin.getByRole('button', { name: 'Switch to English' }).click();
    await admin.getByLabel('Points on the scale').selectOption('5');
  });

  it('the statement’s Welsh text is changed; the participant sees it after reconnecting', async () => {
    await statementCy().fill("Mae'r ffurflen yn hawdd iawn.");
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByRole('status').getByText('Changes saved.').waitFor({ timeout: T });
    await admin.getByRole('status').getByRole('link', { name: "Open the workshop's results" }).waitFor();
    // Loaded again: the statement is now known to be answered, so its scale is locked.
    assert.equal(await admin.getByLabel('Points on the scale').isDisabled(), true);
    await admin.getByText('This activity has answers, so its kind and scale').waitFor();
    await shot(admin, 'authoring-05-saved');

    await participant.reload();
    await participant.getByRole('heading', { name: "Mae'r ffurflen yn hawdd iawn." }).waitFor({ timeout: T });
    assert.ok(await participant.getByRole('radio', { name: 'Cytuno', exact: true }).isChecked());
    await shot(participant, 'authoring-06-participant-sees-edit');
  });

  it('an empty Welsh statement is shown next to the field and in the summary, which has the focus', async () => {
    await statementCy().fill('');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    const summary = admin.locator('.summary');
    await summary.getByRole('heading', { name: 'There is 1 problem to fix' }).waitFor({ timeout: T });
    assert.equal(await admin.evaluate(() => document.activeElement?.classList.contains('summary')), true);
    await admin.locator('#f-activities-0-statement-cy-error').getByText('Fill this in.').waitFor();
    assert.equal(await statementCy().getAttribute('aria-invalid'), 'true');
    const link = summary.getByRole('link', { name: 'Activity 1: Statement (Welsh): Fill this in.' });
    await link.click();
    assert.equal(await admin.evaluate(() => document.activeElement?.id), 'f-activities-0-statement-cy');
    assert.deepEqual(await axeViolations(admin), []);
    await shot(admin, 'authoring-07-form-error');

    // Every kind of activity, a group and consent (not saved): labelled, axe clean, and on a
    // phone the form fits the width.
    for (const kind of ['ranking', 'open_text', 'board']) {
      await admin.getByLabel('Kind of activity to add').selectOption(kind);
      await admin.getByRole('button', { name: 'Add the activity' }).click();
    }
    await admin.getByRole('group', { name: 'Activity 5: Board' }).getByRole('button', { name: 'Add a column' }).click();
    await admin.getByRole('button', { name: 'Add a group' }).click();
    await admin.getByLabel('Show a consent statement when people join').check();
    await admin.getByLabel('Ask for a comment').first().check();
    assert.equal(await admin.getByRole('group', { name: 'Activity 3: Ranking' }).getByRole('group', { name: /^Item \d$/ }).count(), 3);
    await admin.getByLabel('Prompt (Welsh)', { exact: true }).waitFor();
    await admin.getByLabel('Comment prompt (Welsh)').waitFor();
    assert.deepEqual(await axeViolations(admin), []);
    await admin.setViewportSize({ width: 390, height: 844 });
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
    await shot(admin, 'authoring-08-phone');
  });

  it('saving a workshop with cards and every kind unchanged keeps every field of its file', async () => {
    const made = await fetch(`${server.baseUrl}/api/workshops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: readFileSync(templateFile, 'utf8'),
    });
    assert.equal(made.status, 201);
    const { id } = await made.json();
    const before = await (await admin.request.get(`/api/workshops/${id}/file`)).json();
    assert.ok(before.activities.some((a) => a.card), 'the template has cards');

    await admin.setViewportSize({ width: 1280, height: 900 });
    await admin.goto(`/s/w/${id}/edit`);
    await admin.getByRole('heading', { level: 1, name: 'Edit Persona validation' }).waitFor({ timeout: T });
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByRole('status').getByText('Changes saved.').waitFor({ timeout: T });
    const after = await (await admin.request.get(`/api/workshops/${id}/file`)).json();
    assert.deepEqual(after, before);
  });

  it('no page broke the Content-Security-Policy', () => {
    assert.deepEqual(csp, []);
  });
});
