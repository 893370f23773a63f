// End to end: the question kinds of the second round (docs/protocol.md, "Choice, ranking and
// open text") against the real cylch-server. A workshop with a choice of the six innovation
// profiles (a "why?" comment and a card), a ranking of the three action areas (results on
// reveal) and an open question is posted to /api/workshops; a facilitator, a projector at
// 1920×1080, a phone in English and a phone in Welsh (each with a group) and a kiosk take it
// through: choosing with a comment, ranking with the keyboard's Up/Down buttons, answering in
// writing; the console's counts, mean ranks, answers with their groups and the comment; one
// open answer shown on the screen and another hidden; the projector showing the shown answer
// only and never a comment, in type of at least 32 px; axe on every screen.
//
// Run: npm run test:e2e   (builds dist/ first; needs the server binary and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, openPage, overflowsSideways, shot } from './browser.mjs';
import { ADMIN_TOKEN, startServer } from './server.mjs';

const PHONE = { viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, hasTouch: true };
const T = 10_000;

const PROFILES = [
  ['problem_solver', 'Problem solver', 'Datryswr problemau'],
  ['cross_pollinator', 'Cross-pollinator', 'Croesbeillydd'],
  ['connector', 'Connector', 'Cysylltydd'],
  ['visionary', 'Visionary', 'Gweledydd'],
  ['experimenter', 'Experimenter', 'Arbrofwr'],
  ['people_powered', 'People-powered', "Wedi'i bweru gan bobl"],
];
const CHOICE_EN = 'Which innovation profile is most like you?';
const CHOICE_CY = "Pa broffil arloesi sydd fwyaf tebyg i chi?";
const CARD_TITLE = 'The six profiles';
const CARD_BODY = 'From 46 questionnaire answers: problem solvers were chosen most, cross-pollinators and people-powered least.';
const COMMENT = 'I like to see the big picture first';
const RANK_EN = 'Which action area should come first?';
const RANK_CY = "Pa faes gweithredu ddylai ddod yn gyntaf?";
const AREAS = [
  ['convene', 'Convening people', 'Dod â phobl ynghyd'],
  ['platform', 'A shared platform for ideas', 'Llwyfan a rennir ar gyfer syniadau'],
  ['embed', 'Embedding innovation in practice', "Ymgorffori arloesi mewn ymarfer"],
];
const OPEN_EN = 'What would make the personas useful to you?';
const OPEN_CY = "Beth fyddai'n gwneud y personas yn ddefnyddiol i chi?";
const ANSWER_ALYS = 'Examples from care teams in Wales';
const ANSWER_BRYN = 'Fersiwn Cymraeg o bob persona';

const label = ([, en, cy]) => ({ en, cy });
const CARD_ALT = 'Six circles, one for each profile';
const CARD_ALT_CY = 'Chwe chylch, un ar gyfer pob proffil';
// A real 1×1 PNG: the card's picture, uploaded before the workshop that shows it.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const FILE = {
  title: { en: 'Question kinds e2e', cy: 'Mathau o gwestiynau e2e' },
  languages: ['en', 'cy'],
  // Two phones and a kiosk answer: results of so few are shown here (small cells are tested
  // in the C++ suite and in small_cells.e2e).
  min_cell: 1,
  groups: [
    { id: 'innovator', label: { en: 'Innovator', cy: 'Arloeswr' }, target: 12 },
    { id: 'enabler', label: { en: 'Enabler', cy: 'Galluogwr' }, target: 12 },
    { id: 'stakeholder', label: { en: 'Stakeholder', cy: 'Rhanddeiliad' }, target: 10 },
  ],
  activities: [
    {
      kind: 'choice',
      question: { en: CHOICE_EN, cy: CHOICE_CY },
      max: 1,
      results: 'live',
      options: PROFILES.map((p) => ({ id: p[0], label: label(p) })),
      comment: { prompt: { en: 'Why?', cy: 'Pam?' } },
      card: { title: { en: CARD_TITLE, cy: 'Y chwe phroffil' }, body: { en: CARD_BODY }, alt: { en: CARD_ALT, cy: CARD_ALT_CY } },
    },
    { kind: 'ranking', question: { en: RANK_EN, cy: RANK_CY }, results: 'on_reveal', items: AREAS.map((a) => ({ id: a[0], label: label(a) })) },
    { kind: 'open_text', question: { en: OPEN_EN, cy: OPEN_CY }, max_length: 200 },
  ],
};

async function api(server, method, path, token, body) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json() };
}

// One server for the file; the workshop is posted first, so a server without the new kinds
// fails here with its own explanation.
const server = await startServer({ imports: [] });
const uploaded = await fetch(`${server.baseUrl}/api/images`, {
  method: 'POST',
  headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'image/png' },
  body: PNG,
});
if (uploaded.status !== 201) throw new Error(`the card's image was refused: ${uploaded.status}`);
FILE.activities[0].card.image = (await uploaded.json()).id;
const created = await api(server, 'POST', '/api/workshops', ADMIN_TOKEN, FILE);
if (created.status !== 201) {
  await server.stop();
  throw new Error(`cylch-server refused the workshop with the new kinds: ${created.status} ${JSON.stringify(created.json)}`);
}
after(() => server.stop());

describe('choice, ranking and open text with a facilitator, a projector, two phones and a kiosk', () => {
  /** @type {import('playwright-core').Browser} */ let browser;
  const ws = created.json; // { id, code, facilitator_token, presenter_token }
  let facilitator, presenter, alys, bryn;
  const shotName = (n) => `k-${n}`;
  const cspViolations = [];

  async function expectNoAxe(page, where) {
    assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
  }

  const newPage = (options = {}) => openPage(browser, server.baseUrl, cspViolations, options);

  async function join(page, welsh, group) {
    await page.goto(`/j/${ws.code}`);
    if (welsh) await page.getByRole('button', { name: "Newid i'r Gymraeg" }).click({ timeout: T });
    await page.getByRole('radio', { name: group }).check({ timeout: T });
    await page.getByRole('button', { name: welsh ? 'Parhau' : 'Continue' }).click();
    await page.getByRole('heading', { name: welsh ? 'Cyn i chi ddechrau' : 'Before you start' }).waitFor({ state: 'detached', timeout: T });
  }

  const next = () => facilitator.locator('.next-step button');
  const live = () => facilitator.locator('.live-panel');
  const stage = () => presenter.locator('.presenter-stage');

  /** The server's summary of the activity at `position`, as the facilitator gets it. */
  async function summary(position) {
    const { status, json } = await api(server, 'GET', `/api/workshops/${ws.id}/results`, ws.facilitator_token);
    assert.equal(status, 200);
    return json.activities.find((a) => a.activity.position === position).summary;
  }

  /** Text on the projector's stage set smaller than 32 px (1920×1080). */
  async function smallPresenterText() {
    return stage().evaluate((root) => {
      const out = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!node.textContent.trim() || !el || el.closest('.sr-only')) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
        const px = parseFloat(style.fontSize);
        if (px < 32) out.push(`${px}px “${node.textContent.trim().slice(0, 40)}”`);
      }
      return out;
    });
  }

  /** Drags the item `label` by its grip with the mouse to just above or below the item `target`. */
  async function dragItem(page, label, target, where) {
    const grip = await page.locator('.rank-item', { hasText: label }).locator('.rank-grip').boundingBox();
    const to = await page.locator('.rank-item', { hasText: target }).boundingBox();
    const y = where === 'above' ? to.y + 4 : to.y + to.height - 4;
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2 + ((y - grip.y - grip.height / 2) * i) / 8);
    await page.mouse.up();
  }

  async function presenterNeverShowsComment() {
    assert.equal(await presenter.getByText(COMMENT).count(), 0, 'no comment on the projector');
  }

  before(async () => {
    browser = await launch();
    facilitator = await newPage({ viewport: { width: 1366, height: 900 } });
    await facilitator.goto(`/f/${ws.id}#${ws.facilitator_token}`);
    presenter = await newPage({ viewport: { width: 1920, height: 1080 } });
    await presenter.goto(`/p/${ws.id}#${ws.presenter_token}`);
    await presenter.getByTestId('join-code').waitFor({ timeout: T });
  });

  after(async () => {
    await browser?.close();
  });

  it('the agenda names each kind; Start opens the choice', async () => {
    const items = facilitator.locator('li.agenda-item');
    await items.first().waitFor({ timeout: T });
    assert.deepEqual(await items.locator('.agenda-num').allInnerTexts(), ['Choice 1', 'Ranking 2', 'Open question 3']);
    await items.nth(0).getByText(CHOICE_EN).waitFor();
    await items.nth(0).getByText('Results: live').waitFor();
    await items.nth(1).getByText('Results: on reveal').waitFor();
    assert.equal(await items.nth(2).locator('.policy').count(), 0, 'an open question has no results policy');
    await next().getByText('Start: open the first activity').click();
    await live().getByText(CHOICE_EN).waitFor({ timeout: T });
    // The card is in the console's activity panel.
    await live().getByRole('heading', { name: CARD_TITLE }).waitFor();
    await live().getByText(CARD_BODY).waitFor();
  });

  it('a phone in English sees the choice with its card folded, and chooses with a comment', async () => {
    alys = await newPage(PHONE);
    await join(alys, false, 'Innovator');
    await alys.getByRole('heading', { name: CHOICE_EN }).waitFor({ timeout: T });
    await alys.getByText('Choose one answer.').waitFor();
    assert.equal(await alys.getByRole('radio').count(), 6, 'six profiles, as radio buttons');
    // The card folds away: the title is its summary, the body shows when it is opened.
    assert.equal(await alys.getByText(CARD_BODY).isVisible(), false, 'card folded');
    await alys.locator('summary', { hasText: CARD_TITLE }).click();
    await alys.getByText(CARD_BODY).waitFor({ state: 'visible' });
    // The card's picture, with its text alternative, loaded from /media/.
    const picture = alys.getByRole('img', { name: CARD_ALT });
    await picture.waitFor({ state: 'visible' });
    assert.equal(await picture.evaluate((img) => img.complete && img.naturalWidth), 1, 'the picture loaded');
    await alys.getByLabel('Why?').fill(COMMENT);
    await alys.getByRole('radio', { name: 'Visionary' }).check();
    await alys.getByText('Your answer has been saved').waitFor({ timeout: T });
    await alys.getByText('Your comment has been saved').waitFor({ timeout: T });
    assert.equal(await overflowsSideways(alys), false, 'the choice fits 360 px');
    await shot(alys, shotName('01-phone-choice'));
    await expectNoAxe(alys, 'phone: choice with comment and card');
  });

  it('a phone in Welsh sees the choice in Welsh and chooses', async () => {
    bryn = await newPage(PHONE);
    await join(bryn, true, 'Galluogwr');
    await bryn.getByRole('heading', { name: CHOICE_CY }).waitFor({ timeout: T });
    await bryn.getByText('Dewiswch un ateb.').waitFor();
    await bryn.getByLabel('Pam?').waitFor();
    await bryn.getByRole('radio', { name: 'Cysylltydd' }).check();
    await bryn.getByText("Mae eich ateb wedi'i gadw").waitFor({ timeout: T });
    await shot(bryn, shotName('02-phone-choice-cy'));
    await expectNoAxe(bryn, 'phone: choice (cy)');
    // Results are live: both phones see the bars (without groups or comments).
    await bryn.getByRole('heading', { name: 'Canlyniadau' }).waitFor({ timeout: T });
    await alys.getByRole('heading', { name: 'Results' }).waitFor({ timeout: T });
    // A comment stays with its author (in her text box) and the facilitator: no other phone sees it.
    assert.equal(await alys.getByLabel('Why?').inputValue(), COMMENT);
    assert.equal(await alys.getByText(COMMENT).count(), 0, 'not in the results');
    assert.equal(await bryn.getByText(COMMENT).count(), 0, 'not on another phone');
  });

  it('the console counts the choice by option and group and lists the comment with its group and answer', async () => {
    await live().getByText('Answers: 2').first().waitFor({ timeout: T });
    const row = (name) => live().locator('.choice-bars li', { hasText: name });
    await row('Visionary').getByText(/^1 \(50%, 95% CI \d+–\d+%\)$/).waitFor({ timeout: T });
    await row('Connector').getByText(/^1 \(50%, 95% CI \d+–\d+%\)$/).waitFor();
    await row('Experimenter').getByText(/^0 \(0%, 95% CI \d+–\d+%\)$/).waitFor();
    const byGroup = live().locator('table', { hasText: 'By group' });
    await byGroup.locator('tr', { hasText: 'Visionary' }).getByText('1 (100%)').waitFor();
    const comment = live().locator('.kind-comment-list li', { hasText: COMMENT });
    await comment.getByText('Innovator · Answer: Visionary').waitFor({ timeout: T });
    // Reach counts the answers per group.
    const reach = facilitator.locator('table.reach');
    assert.equal(await reach.locator('tr', { hasText: 'Innovator' }).locator('td').nth(1).innerText(), '1');
    await shot(facilitator, shotName('03-console-choice'));
    await expectNoAxe(facilitator, 'console: choice');
  });

  it('the projector shows the live choice with its card, never the comment, in large type', async () => {
    await stage().getByText(CHOICE_EN).waitFor({ timeout: T });
    await stage().getByText(CHOICE_CY).waitFor();
    await stage().getByTestId('answer-count').getByText('Answers: 2').waitFor({ timeout: T });
    await stage().locator('.choice-bars li', { hasText: 'Visionary' }).getByText(/^1 \(50%/).waitFor({ timeout: T });
    await stage().getByRole('heading', { name: CARD_TITLE }).waitFor();
    await stage().getByRole('img', { name: CARD_ALT }).waitFor();
    await presenterNeverShowsComment();
    assert.deepEqual(await smallPresenterText(), [], 'every text on the projector ≥ 32 px');
    await shot(presenter, shotName('04-presenter-choice'));
    await expectNoAxe(presenter, 'presenter: choice');
  });

  it('a kiosk answers the single-answer choice with one big button per profile', async () => {
    const reg = await api(server, 'POST', '/api/kiosks', ADMIN_TOKEN, { name: 'Foyer', workshop: ws.id });
    assert.equal(reg.status, 201);
    const kiosk = await newPage({ viewport: { width: 800, height: 480 }, hasTouch: true });
    await kiosk.goto(`/k/#kiosk=${reg.json.id}&token=${reg.json.token}&reset=1&interval=0`);
    await kiosk.getByText(CHOICE_CY).waitFor({ timeout: T });
    const buttons = kiosk.locator('.kiosk-point');
    assert.equal(await buttons.count(), 6);
    await kiosk.getByRole('button', { name: /^3 Connector Cysylltydd$/ }).waitFor();
    // The card is there as text, below the buttons.
    await kiosk.locator('.kiosk-card').getByText(CARD_BODY).waitFor();
    await kiosk.locator('.kiosk-card').getByText(CARD_TITLE).waitFor();
    await shot(kiosk, shotName('05-kiosk-choice'));
    await expectNoAxe(kiosk, 'kiosk: choice');
    await kiosk.getByRole('button', { name: /^5 Experimenter/ }).click();
    await kiosk.getByText('Your answer has been recorded.').waitFor({ timeout: T });
    const deadline = Date.now() + 15_000;
    let s = await summary(0);
    while (s.n < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      s = await summary(0);
    }
    assert.equal(s.n, 3, 'the kiosk press is a third respondent');
    assert.equal(s.counts.experimenter, 1);
    assert.equal(s.by_channel.kiosk.n, 1);
    await kiosk.context().close();
  });

  it('Next closes the choice and opens the ranking; both phones rank with the keyboard (and a grip drags)', async () => {
    await next().getByText('Next activity').click();
    await live().getByText(RANK_EN).waitFor({ timeout: T });

    await alys.getByRole('heading', { name: RANK_EN }).waitFor({ timeout: T });
    await alys.getByText('Put the items in order', { exact: false }).waitFor();
    // Embedding innovation: from third to first with its Up button, by keyboard only.
    const up = alys.getByRole('button', { name: `Move “${AREAS[2][1]}” up` });
    await up.focus();
    await alys.keyboard.press('Enter');
    await alys.getByText(`“${AREAS[2][1]}” is now number 2 of 3`).waitFor({ timeout: T });
    assert.equal(await up.evaluate((el) => el === document.activeElement), true, 'the focus stays on the item');
    await alys.keyboard.press('Enter');
    await alys.getByText(`“${AREAS[2][1]}” is now number 1 of 3`).waitFor({ timeout: T });
    // At the top its Up button is disabled, so the focus moves to its Down button.
    const down = alys.getByRole('button', { name: `Move “${AREAS[2][1]}” down` });
    assert.equal(await down.evaluate((el) => el === document.activeElement), true, 'the focus moves to Down at the top');
    assert.deepEqual(await alys.locator('.rank-item .rank-label').allInnerTexts(), [AREAS[2][1], AREAS[0][1], AREAS[1][1]]);
    await alys.getByText('You have changed the order: send it to save it.').waitFor();
    // Dragging an item by its grip moves it too: up above the first-but-one, and back.
    const labels = () => alys.locator('.rank-item .rank-label').allInnerTexts();
    await dragItem(alys, AREAS[1][1], AREAS[0][1], 'above');
    assert.deepEqual(await labels(), [AREAS[2][1], AREAS[1][1], AREAS[0][1]], 'dragged up');
    await alys.getByText(`“${AREAS[1][1]}” is now number 2 of 3`).waitFor({ timeout: T });
    await dragItem(alys, AREAS[1][1], AREAS[0][1], 'below');
    assert.deepEqual(await labels(), [AREAS[2][1], AREAS[0][1], AREAS[1][1]], 'dragged back down');
    await shot(alys, shotName('06-phone-ranking'));
    await expectNoAxe(alys, 'phone: ranking');
    await alys.getByRole('button', { name: 'Send my order' }).click();
    await alys.getByText('Your answer has been saved').waitFor({ timeout: T });

    // Bryn, in Welsh: Convening people from first to last with its Down button.
    await bryn.getByRole('heading', { name: RANK_CY }).waitFor({ timeout: T });
    const lawr = bryn.getByRole('button', { name: `Symud “${AREAS[0][2]}” i lawr` });
    await lawr.focus();
    await bryn.keyboard.press('Enter');
    await bryn.getByText(`Mae “${AREAS[0][2]}” bellach yn rhif 2 o 3`).waitFor({ timeout: T });
    await bryn.keyboard.press('Space');
    await bryn.getByText(`Mae “${AREAS[0][2]}” bellach yn rhif 3 o 3`).waitFor({ timeout: T });
    assert.deepEqual(await bryn.locator('.rank-item .rank-label').allInnerTexts(), [AREAS[1][2], AREAS[2][2], AREAS[0][2]]);
    await bryn.getByRole('button', { name: 'Anfon fy nhrefn' }).click();
    await bryn.getByText("Mae eich ateb wedi'i gadw").waitFor({ timeout: T });
    await expectNoAxe(bryn, 'phone: ranking (cy)');
    // Results wait for the reveal.
    await bryn.getByText("Bydd y canlyniadau'n cael eu dangos pan fydd yr hwylusydd yn eu datgelu.").waitFor({ timeout: T });
    assert.equal(await alys.locator('.rank-results').count(), 0, 'no ranking results on phones before the reveal');
  });

  it('the console shows mean ranks and Borda scores, best first, before the room sees them', async () => {
    await live().getByText('Answers: 2').first().waitFor({ timeout: T });
    const rows = live().locator('.rank-rows > li');
    await rows.first().getByText('Mean rank: 1.50 · Borda score: 3').waitFor({ timeout: T });
    assert.deepEqual(
      (await rows.locator('.rank-row-label').allInnerTexts()),
      [AREAS[2][1], AREAS[1][1], AREAS[0][1]],
      'ordered by mean rank',
    );
    await rows.nth(1).getByText('Mean rank: 2.00 · Borda score: 2').waitFor();
    await rows.nth(2).getByText('Mean rank: 2.50 · Borda score: 1').waitFor();
    const counts = live().locator('table', { hasText: 'How many people put each item in each place' });
    assert.deepEqual(await counts.locator('tr', { hasText: AREAS[0][1] }).locator('td').allInnerTexts(), ['0', '1', '1']);
    await live().getByText('Participants cannot see these results yet.').waitFor();
    assert.equal(await stage().locator('.rank-results').count(), 0, 'not on the projector before the reveal');
    await shot(facilitator, shotName('07-console-ranking'));
    await expectNoAxe(facilitator, 'console: ranking');
  });

  it('Next reveals the ranking to the room: phones and projector', async () => {
    await next().getByText('Next: close and reveal the results').click();
    await stage().locator('.rank-rows > li').first().locator('.rank-row-label', { hasText: AREAS[2][1] }).waitFor({ timeout: T });
    await alys.getByRole('heading', { name: 'Results' }).waitFor({ timeout: T });
    await alys.getByText('Mean rank: 1.50 · Borda score: 3').waitFor();
    await bryn.getByText('Safle cymedrig: 1.50 · Sgôr Borda: 3').waitFor({ timeout: T });
    assert.deepEqual(await smallPresenterText(), [], 'every text on the projector ≥ 32 px');
    await shot(presenter, shotName('08-presenter-ranking'));
    await expectNoAxe(presenter, 'presenter: ranking revealed');
    await expectNoAxe(bryn, 'phone: ranking results (cy)');
  });

  it('Next opens the open question; both phones answer, and one answer is changed', async () => {
    await next().getByText('Next activity').click();
    await alys.getByRole('heading', { name: OPEN_EN }).waitFor({ timeout: T });
    const box = alys.getByRole('textbox', { name: 'Your answer', exact: true });
    await box.fill('   ');
    await alys.getByRole('button', { name: 'Send my answer' }).click();
    await alys.getByText('Write something first.').waitFor();
    await box.fill('Examples');
    await alys.getByText('8 of 200 characters').waitFor();
    await alys.getByRole('button', { name: 'Send my answer' }).click();
    await alys.getByText('Your answer has been saved').waitFor({ timeout: T });
    await alys.getByText('No answers are on the screen yet.').waitFor();
    await box.fill(ANSWER_ALYS);
    await alys.getByRole('button', { name: 'Update my answer' }).click();
    await alys.getByText('Your answer has been saved').waitFor({ timeout: T });
    await shot(alys, shotName('09-phone-open'));
    await expectNoAxe(alys, 'phone: open question');

    await bryn.getByRole('heading', { name: OPEN_CY }).waitFor({ timeout: T });
    await bryn.getByRole('textbox', { name: 'Eich ateb', exact: true }).fill(ANSWER_BRYN);
    await bryn.getByRole('button', { name: 'Anfon fy ateb' }).click();
    await bryn.getByText("Mae eich ateb wedi'i gadw").waitFor({ timeout: T });
    await expectNoAxe(bryn, 'phone: open question (cy)');
  });

  it('the console lists every answer with its group; one is shown on the screen, another hidden', async () => {
    const answer = (text) => live().locator('li.open-answer', { hasText: text });
    await answer(ANSWER_ALYS).getByText('Innovator').waitFor({ timeout: T });
    await answer(ANSWER_BRYN).getByText('Enabler').waitFor({ timeout: T });
    assert.equal(await live().locator('li.open-answer').count(), 2, 'the changed answer replaced the first one');
    await answer(ANSWER_ALYS).getByRole('button', { name: 'Show on screen' }).click();
    await answer(ANSWER_ALYS).getByText('On screen').waitFor({ timeout: T });
    await answer(ANSWER_BRYN).getByRole('button', { name: 'Hide' }).click();
    await answer(ANSWER_BRYN).getByText('Hidden').waitFor({ timeout: T });
    assert.equal(await answer(ANSWER_BRYN).getByRole('button', { name: 'Show on screen' }).isDisabled(), true, 'a hidden answer cannot be shown');
    await answer(ANSWER_BRYN).getByRole('button', { name: 'Unhide' }).waitFor();
    await live().getByText('On screen: 1').waitFor();
    await shot(facilitator, shotName('10-console-open'));
    await expectNoAxe(facilitator, 'console: open question');
  });

  it('the projector and the phones show the shown answer only', async () => {
    await stage().locator('.shown-card', { hasText: ANSWER_ALYS }).waitFor({ timeout: T });
    assert.equal(await stage().getByText(ANSWER_BRYN).count(), 0, 'the hidden answer is not on the projector');
    assert.equal(await stage().locator('.shown-card').count(), 1);
    await presenterNeverShowsComment();
    assert.deepEqual(await smallPresenterText(), [], 'every text on the projector ≥ 32 px');
    await shot(presenter, shotName('11-presenter-open'));
    await expectNoAxe(presenter, 'presenter: open question');

    await bryn.getByText(ANSWER_ALYS).waitFor({ timeout: T });
    await alys.locator('.shown-card', { hasText: ANSWER_ALYS }).waitFor({ timeout: T });

    // Taken off the screen again.
    await live().locator('li.open-answer', { hasText: ANSWER_ALYS }).getByRole('button', { name: 'Take off screen' }).click();
    await stage().locator('.shown-card').waitFor({ state: 'detached', timeout: T });
  });

  it('loaded no script or style the security policy refused', () => {
    assert.deepEqual(cspViolations, []);
  });
});
