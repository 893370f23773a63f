// End to end: a programme of research, from authoring to the printed report. An admin signs in,
// makes a workshop in the browser from the "Persona validation" template (one statement edited,
// a programme named), runs it from the console with three phones (one in Welsh), ends it, reads
// its results page (n, timings; in Welsh too), downloads its CSV (parsed here), compares it with
// a second workshop of the same programme (made through the API, one phone) on the programme's
// report, and prints the report and the results (emulated print, and a PDF of each). Axe on
// every screen, none scrolls sideways at 360 px.
//
// Run: npm run test:e2e   (builds dist/ first; needs a cylch-server — CYLCH_SERVER_BIN — and
// /usr/bin/chromium), whose results carry `timings` (docs/protocol.md).
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SHOTS, axeViolations, launch, openPage, overflowsSideways, shot } from './browser.mjs';
import { ADMIN_TOKEN, addUser, startServer } from './server.mjs';
import { parseCsv } from './csv.mjs';

const T = 10_000;
const PASSWORD = 'correct horse battery';
const PROGRAMME = 'Care 2026';
const LAPTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 } };
const NARROW = { width: 360, height: 800 };
const STATEMENT_EN = 'I would like to use these personas in my own work.';
const STATEMENT_CY = "Hoffwn ddefnyddio'r personas hyn yn fy ngwaith fy hun.";

const server = await startServer({ imports: [] });
after(() => server.stop());


async function api(method, path, body) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The first activity's summary n in the staff results, once it reaches `n`. */
async function waitForAnswers(workshopId, n) {
  const deadline = Date.now() + T;
  for (;;) {
    const r = await api('GET', `/api/workshops/${workshopId}/results`);
    const got = r.body?.activities?.[0]?.summary?.n ?? 0;
    if (got >= n) return r.body;
    if (Date.now() > deadline) throw new Error(`expected ${n} answers, have ${got}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function noAxe(page, what) {
  assert.deepEqual(await axeViolations(page), [], what);
}

/** The page at 360 px wide: nothing scrolls sideways. Back to its size afterwards. */
async function fitsNarrow(page, what) {
  const size = page.viewportSize();
  await page.setViewportSize(NARROW);
  assert.equal(await overflowsSideways(page), false, `${what} scrolls sideways at 360 px`);
  await page.setViewportSize(size);
}

describe('a programme of research, from template to printed report', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const csp = [];
  let admin;
  let workshopId;
  let code;
  let second; // the second workshop of the programme (API)

  before(async () => {
    await addUser(server, 'Mererid', 'admin', PASSWORD);
    browser = await launch();
  });
  after(() => browser?.close());

  it('an admin authors a workshop from the persona-validation template', async () => {
    admin = await openPage(browser, server.baseUrl, csp, LAPTOP);
    await admin.goto('/s/login');
    await admin.getByLabel('Name').fill('Mererid');
    await admin.getByLabel('Password').fill(PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Workshops' }).waitFor({ timeout: T });
    await admin.getByRole('link', { name: 'New workshop', exact: true }).click();
    await admin.getByRole('heading', { level: 1, name: 'New workshop' }).waitFor({ timeout: T });

    // The choice of a start, in Welsh too.
    await admin.getByRole('group', { name: 'Start from' }).waitFor({ timeout: T });
    for (const name of ['An empty form', 'Persona validation', 'Focus group', 'Self-paced questionnaire']) {
      await admin.getByRole('radio', { name: new RegExp(`^${name}`) }).waitFor();
    }
    await admin.locator('.lang-switch').click();
    await admin.getByRole('group', { name: 'Dechrau o' }).waitFor({ timeout: T });
    await admin.getByRole('radio', { name: /^Dilysu personas/ }).waitFor();
    await noAxe(admin, 'template chooser (cy)');
    await fitsNarrow(admin, 'template chooser');
    await shot(admin, 'prog-01-templates-cy');
    await admin.locator('.lang-switch').click();

    await admin.getByRole('radio', { name: /^Persona validation/ }).check();
    await admin.getByRole('button', { name: 'Start with this' }).click();
    await admin.getByTestId('started-from').getByText('Started from “Persona validation”').waitFor({ timeout: T });
    // The form is filled: title, groups, consent, the statements with their cards.
    assert.equal(await admin.getByLabel('Title (English)', { exact: true }).inputValue(), 'Persona validation');
    assert.equal(await admin.getByLabel('Title (Welsh)', { exact: true }).inputValue(), 'Dilysu personas');
    assert.equal(await admin.getByRole('radio', { name: /^Live/ }).isChecked(), true);
    const first = admin.getByRole('group', { name: 'Activity 1: Likert statement' });
    assert.equal(await first.getByLabel('Statement (English)', { exact: true }).inputValue(), 'I would like to use these personas in my work.');
    assert.ok((await admin.getByText('This activity has a card; it is kept as it is.').count()) >= 3);

    // The researcher adapts it: a title, the programme, one statement reworded in both languages.
    await admin.getByLabel('Title (English)', { exact: true }).fill('Persona validation, Cardiff');
    await admin.getByLabel('Title (Welsh)', { exact: true }).fill('Dilysu personas, Caerdydd');
    await admin.getByLabel('Programme (optional)').fill(PROGRAMME);
    await first.getByLabel('Statement (English)', { exact: true }).fill(STATEMENT_EN);
    await first.getByLabel('Statement (Welsh)', { exact: true }).fill(STATEMENT_CY);
    await noAxe(admin, 'editor filled from a template');
    await fitsNarrow(admin, 'editor');
    await shot(admin, 'prog-02-template-filled');

    await admin.getByRole('button', { name: 'Create workshop' }).click();
    await admin.getByRole('heading', { name: 'Workshop created' }).waitFor({ timeout: T });
    code = (await admin.getByTestId('join-code').innerText()).trim();
    workshopId = (await admin.getByRole('link', { name: 'Edit workshop' }).getAttribute('href')).split('/')[3];
    assert.match(workshopId, /^w_/);

    // What was saved is the template as edited.
    const file = (await api('GET', `/api/workshops/${workshopId}/file`)).body;
    assert.equal(file.programme, PROGRAMME);
    assert.deepEqual(file.activities[0].statement, { en: STATEMENT_EN, cy: STATEMENT_CY });
    assert.equal(file.activities.filter((a) => a.card).length, 3);
    assert.equal(file.groups.length, 3);
  });

  it('it runs with three phones (one in Welsh), and ends', async () => {
    const console_ = await admin.context().newPage(); // the admin's sign-in opens the console
    await console_.goto(`/f/${workshopId}`);
    await console_.locator('li.agenda-item').nth(0).getByRole('button', { name: 'Open' }).click();

    const phones = [
      { lang: 'en', group: 'Innovator', answer: 'Agree' },
      { lang: 'en', group: 'Stakeholder', answer: 'Strongly agree' },
      { lang: 'cy', group: 'Galluogwr', answer: 'Cytuno' },
    ];
    for (const p of phones) {
      const phone = await openPage(browser, server.baseUrl, csp, PHONE);
      if (p.lang === 'cy') {
        await phone.goto('/');
        await phone.getByRole('button', { name: "Newid i'r Gymraeg" }).click();
      }
      await phone.goto(`/j/${code}`);
      if (p.lang === 'cy') {
        await phone.getByLabel("Rwy'n cytuno i gymryd rhan").check({ timeout: T });
        await phone.getByRole('radio', { name: p.group }).check();
        await phone.getByRole('button', { name: 'Parhau' }).click();
        await phone.getByRole('heading', { name: STATEMENT_CY }).waitFor({ timeout: T });
      } else {
        await phone.getByLabel('I agree to take part').check({ timeout: T });
        await phone.getByRole('radio', { name: p.group }).check();
        await phone.getByRole('button', { name: 'Continue' }).click();
        await phone.getByRole('heading', { name: STATEMENT_EN }).waitFor({ timeout: T });
      }
      await phone.getByRole('radio', { name: p.answer, exact: true }).check();
      p.page = phone;
    }
    await waitForAnswers(workshopId, 3);
    await shot(phones[2].page, 'prog-03-phone-cy');
    for (const p of phones) await p.page.context().close();

    await console_.getByRole('button', { name: 'End workshop' }).click();
    await console_.getByRole('button', { name: 'Yes, end the workshop' }).click();
    await console_.getByText('This workshop has ended.').waitFor({ timeout: T });
    await console_.close();
  });

  it('its results page: n, timings, in English and Welsh, and its CSV', async () => {
    await admin.goto(`/s/w/${workshopId}`);
    await admin.getByRole('heading', { level: 1, name: 'Results of Persona validation, Cardiff' }).waitFor({ timeout: T });
    const result = admin.locator('section.review-result').first();
    await result.getByRole('heading', { name: `1. ${STATEMENT_EN}` }).waitFor();
    assert.equal(await result.getByTestId('other-language').innerText(), STATEMENT_CY);
    assert.equal((await result.locator('.answers-count').innerText()).trim(), 'Answers: 3');

    const served = (await api('GET', `/api/workshops/${workshopId}/results`)).body;
    assert.ok(served.timings, 'GET …/results carries timings (staff view)');
    const timings = admin.getByTestId('review-timings');
    await timings.waitFor({ timeout: T });
    const row = timings.locator(`tr[data-activity="${served.activities[0].activity.id}"]`);
    assert.equal((await row.getByTestId('timing-answers').innerText()).trim(), '3');
    assert.match(await row.innerText(), new RegExp(`^1\\. ${STATEMENT_EN}`));
    // Opened from the console and closed when the workshop ended: a time and a length.
    assert.match(await row.innerText(), /\d{1,2} \S+ \d{4} \d\d:\d\d/);
    assert.doesNotMatch(await row.innerText(), /not opened|still open/);
    assert.match(await timings.getByTestId('respondent-span').innerText(), /^3 respondents took a median of .+ \(quartiles .+ to .+\)\.$/);
    // The publication view leaves them out (they are not in ?publishable=1).
    await admin.getByRole('radio', { name: 'For publication' }).check();
    await timings.waitFor({ state: 'detached', timeout: T });
    await admin.getByRole('radio', { name: 'Everything (staff only)' }).check();
    await timings.waitFor({ timeout: T });
    await noAxe(admin, 'results page');
    await fitsNarrow(admin, 'results page');
    await shot(admin, 'prog-04-results');
    await timings.screenshot({ path: join(SHOTS, 'prog-04b-timings.png') });

    // In Welsh.
    await admin.locator('.lang-switch').click();
    await admin.getByRole('heading', { level: 1, name: 'Canlyniadau Dilysu personas, Caerdydd' }).waitFor({ timeout: T });
    assert.equal((await result.locator('.answers-count').innerText()).trim(), 'Atebion: 3');
    await timings.getByRole('heading', { name: 'Amseriadau' }).waitFor();
    assert.match(await timings.getByTestId('respondent-span').innerText(), /^Cymerodd 3 o ymatebwyr ganolrif o /);
    await noAxe(admin, 'results page (cy)');
    await shot(admin, 'prog-05-results-cy');

    // The CSV, downloaded from the page: one row per answer, as answered.
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Ymatebion (CSV)', exact: true }).click(),
    ]);
    const rows = parseCsv(readFileSync(await download.path(), 'utf8')).filter((r) => r.length > 1);
    await admin.locator('.lang-switch').click();
    const [head, ...body] = rows;
    const col = (name) => head.indexOf(name);
    for (const name of ['workshop', 'activity_position', 'statement', 'respondent', 'group', 'language', 'value', 'label']) {
      assert.ok(col(name) >= 0, `CSV column ${name}: ${head.join(',')}`);
    }
    assert.equal(body.length, 3, JSON.stringify(rows));
    assert.ok(body.every((r) => r[col('activity_position')] === '1' && r[col('statement')] === STATEMENT_EN));
    assert.deepEqual(body.map((r) => r[col('value')]).sort(), ['4', '4', '5']);
    assert.deepEqual(body.map((r) => r[col('group')]).sort(), ['enabler', 'innovator', 'stakeholder']);
    assert.deepEqual(body.map((r) => r[col('language')]).sort(), ['cy', 'en', 'en']);
    assert.deepEqual(new Set(body.map((r) => r[col('respondent')])).size, 3);

    // Printed: the controls go, the results and timings stay; a PDF of it.
    await admin.emulateMedia({ media: 'print' });
    assert.equal(await admin.getByRole('button', { name: 'Print or save as PDF' }).isVisible(), false);
    assert.equal(await result.isVisible(), true);
    assert.equal(await timings.isVisible(), true);
    const pdf = join(SHOTS, 'prog-results.pdf');
    await admin.pdf({ path: pdf, format: 'A4', printBackground: true });
    assert.ok(statSync(pdf).size > 0);
    await admin.emulateMedia({ media: 'screen' });
  });

  it('compared with a second workshop of the programme, and printed as the programme report', async () => {
    // The second workshop, made through the API with the same statement, answered by one phone.
    // It was run in English only: the report still gives the statement in Welsh, from Cardiff's.
    const made = await api('POST', '/api/workshops', {
      title: { en: 'Persona validation, Bangor' },
      languages: ['en'],
      programme: PROGRAMME,
      activities: [{ kind: 'likert', statement: { en: STATEMENT_EN }, scale: 5 }],
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    second = made.body;
    const console_ = await openPage(browser, server.baseUrl, csp, LAPTOP);
    await console_.goto(`/f/${second.id}#${second.facilitator_token}`);
    await console_.locator('li.agenda-item').nth(0).getByRole('button', { name: 'Open' }).click();
    const phone = await openPage(browser, server.baseUrl, csp, PHONE);
    await phone.goto(`/j/${second.code}`);
    await phone.getByRole('heading', { name: STATEMENT_EN }).waitFor({ timeout: T });
    await phone.getByRole('radio', { name: 'Disagree', exact: true }).check();
    await waitForAnswers(second.id, 1);
    await phone.context().close();
    await console_.context().close();

    // The programme's report, from its tag on the workshop list.
    await admin.goto('/s');
    await admin.locator(`tr[data-workshop="${workshopId}"]`).getByRole('link', { name: `Programme: ${PROGRAMME}` }).click();
    const statements = admin.getByTestId('compared-statement');
    const statement = statements.first();
    await statement.waitFor({ timeout: T });
    await admin.getByTestId('report-head').getByText(`Programme report: ${PROGRAMME}`).waitFor();
    assert.equal(await statements.count(), 5); // the template's five statements; the first in both workshops
    await statement.getByRole('heading', { name: `1. ${STATEMENT_EN}` }).waitFor();
    await statement.getByText(STATEMENT_CY).waitFor(); // both languages
    assert.match(await statement.innerText(), /Asked in 2 of 2 workshops/);
    assert.match(await statement.locator(`tr[data-workshop="${workshopId}"]`).innerText(), /Persona validation, Cardiff\s+3\s/);
    assert.match(await statement.locator(`tr[data-workshop="${second.id}"]`).innerText(), /Persona validation, Bangor\s+1\s/);
    assert.match(await statement.getByTestId('pooled').innerText(), /All together \(pooled\)\s+4\s/);
    const listed = admin.getByTestId('report-workshops');
    assert.match(await listed.locator(`tr[data-workshop="${workshopId}"]`).innerText(), /Cardiff[\s\S]*Dilysu personas, Caerdydd[\s\S]*Care 2026\s+Ended\s+3/);
    assert.match(await listed.locator(`tr[data-workshop="${second.id}"]`).innerText(), /Persona validation, Bangor\s+Care 2026\s+Live\s+1/);
    assert.equal((await listed.getByTestId('report-participants').innerText()).trim(), '4');
    await noAxe(admin, 'programme report');
    await fitsNarrow(admin, 'programme report');
    await shot(admin, 'prog-06-report');

    // In Welsh.
    await admin.locator('.lang-switch').click();
    await admin.getByTestId('report-head').getByText(`Adroddiad y rhaglen: ${PROGRAMME}`).waitFor({ timeout: T });
    await admin.getByRole('heading', { name: 'Gweithdai yn yr adroddiad hwn' }).waitFor();
    await noAxe(admin, 'programme report (cy)');
    await shot(admin, 'prog-07-report-cy');
    await admin.locator('.lang-switch').click();
    await admin.getByTestId('report-head').getByText(`Programme report: ${PROGRAMME}`).waitFor({ timeout: T });

    // Printed: the report without the form and controls, every table and chart, as a PDF.
    await admin.emulateMedia({ media: 'print' });
    assert.equal(await admin.locator('form.compare-choice').isVisible(), false);
    assert.equal(await admin.getByRole('button', { name: 'Print or save as PDF' }).isVisible(), false);
    for (const id of ['report-head', 'report-workshops']) assert.equal(await admin.getByTestId(id).isVisible(), true, id);
    assert.equal(await statement.getByTestId('pooled').isVisible(), true);
    assert.equal(await statement.locator('.dbar').count(), 3);
    assert.equal(await statement.getByText(STATEMENT_CY).isVisible(), true);
    await shot(admin, 'prog-08-report-print');
    const pdf = join(SHOTS, 'prog-report.pdf');
    await admin.pdf({ path: pdf, format: 'A4', printBackground: true });
    assert.ok(statSync(pdf).size > 0);
    await admin.emulateMedia({ media: 'screen' });
    assert.deepEqual(csp, []);
  });
});
