// End to end: a sticky-note board (docs/protocol.md, Boards) with a facilitator, a presenter and two
// participants (one in Welsh): open the board, add notes (two taps on a phone), hidden until
// the reveal (the projector shows counts only), drag and keyboard moves, clusters named in
// English and Welsh, dot-voting within the budget, editing and deleting, lock, hide, close,
// reveal, the printable board, and axe checks on every board screen.
//
// Run: npm run test:e2e   (builds dist/ first; needs the server binary and /usr/bin/chromium)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axeViolations, launch, overflowsSideways, shot, watchCsp } from './browser.mjs';
import { ADMIN_TOKEN, startServer } from './server.mjs';

const PHONE = { viewport: { width: 360, height: 760 }, deviceScaleFactor: 2, hasTouch: true };
const T = 10_000;

const PROMPT_EN = 'What would help you use the personas?';
const PROMPT_CY = "Beth fyddai'n eich helpu i ddefnyddio'r personas?";
const BOARD = {
  kind: 'board',
  prompt: { en: PROMPT_EN, cy: PROMPT_CY },
  columns: [
    { id: 'value', title: { en: 'Value', cy: 'Gwerth' } },
    { id: 'risk', title: { en: 'Risk', cy: 'Risg' } },
  ],
  dots_per_person: 2,
  dots_per_note: 1,
  dot_totals: 'live',
  hidden_until_reveal: true,
};
const LIKERT = { kind: 'likert', statement: { en: 'A warm-up statement.', cy: 'Datganiad cynhesu.' }, scale: 5 };
const workshopFile = (activities) => ({ title: { en: 'Boards e2e', cy: 'Byrddau e2e' }, languages: ['en', 'cy'], activities });

async function createWorkshop(server, file) {
  const res = await fetch(`${server.baseUrl}/api/workshops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(file),
  });
  return { status: res.status, json: await res.json() };
}

// One server for the file.
const server = await startServer({ imports: [] });
const probe = await createWorkshop(server, workshopFile([LIKERT, BOARD]));
if (probe.status !== 201) {
  await server.stop();
  throw new Error(`cylch-server refused the board workshop: ${probe.status} ${JSON.stringify(probe.json)}`);
}
after(() => server.stop());

describe(
  'a sticky-note board with a facilitator, a presenter and two participants',
  () => {
    /** @type {import('playwright-core').Browser} */ let browser;
    const ws = probe.json; // { id, code, facilitator_token, presenter_token }
    let facilitator, presenter, alys, bryn;
    const shotName = (n) => `b-${n}`;

    async function expectNoAxe(page, where) {
      assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
    }

    const cspViolations = [];
    async function newPage(options = {}) {
      const context = await browser.newContext({ ...options, baseURL: server.baseUrl });
      await watchCsp(context, cspViolations);
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
      return page;
    }

    const panel = () => facilitator.locator('.board-panel');
    const consoleNote = (text) => panel().locator('article.note', { hasText: text });
    const lane = (page, title) => page.locator('section.lane').filter({ has: page.getByRole('heading', { name: new RegExp(`^${title}\\b`) }) });
    const phoneNote = (page, text) => page.locator('article.note', { hasText: text });

    async function join(page, welsh) {
      await page.goto(`/j/${ws.code}`);
      if (welsh) await page.getByRole('button', { name: "Newid i'r Gymraeg" }).click({ timeout: T });
      await page.getByRole('button', { name: welsh ? 'Parhau' : 'Continue' }).click({ timeout: T });
    }

    async function addNote(page, text, { column, colour, save = 'click' } = {}) {
      await page.getByRole('button', { name: /^\+?\s*(Add a note|Ychwanegu nodyn)$/ }).click();
      const box = page.getByRole('textbox');
      assert.equal(await box.evaluate((el) => el === document.activeElement), true, 'the text box has the focus');
      await box.fill(text);
      if (colour) await page.getByRole('radio', { name: colour }).check();
      if (column) await page.getByRole('combobox').selectOption({ label: column });
      if (save === 'enter') await box.press('Enter');
      else await page.getByRole('button', { name: /^(Save note|Cadw'r nodyn)$/ }).click();
      await phoneNote(page, text).waitFor({ timeout: T });
      // "Saving…" goes once the server has acknowledged it.
      await phoneNote(page, text).getByText(/^(Saving…|Yn cadw…)$/).waitFor({ state: 'detached', timeout: T });
    }

    async function dragNote(page, text, toLaneTitle) {
      const grip = page.locator('.board-panel article.note', { hasText: text }).locator('.note-text');
      const from = await grip.boundingBox();
      const target = await lane(page, toLaneTitle).boundingBox();
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      const tx = target.x + target.width / 2;
      const ty = target.y + target.height - 20;
      for (let i = 1; i <= 10; i++) {
        await page.mouse.move(from.x + ((tx - from.x) * i) / 10, from.y + ((ty - from.y) * i) / 10);
      }
      await page.mouse.up();
    }

    before(async () => {
      browser = await launch();
    });

    after(async () => {
      await browser?.close();
    });

    it('the console lists the board in the agenda and opens it', async () => {
      facilitator = await newPage({ viewport: { width: 1280, height: 900 } });
      await facilitator.goto(`/f/${ws.id}#${ws.facilitator_token}`);
      const item = facilitator.locator('li.agenda-item', { hasText: PROMPT_EN });
      await item.waitFor({ timeout: T });
      await item.getByText('Board 2').waitFor();
      presenter = await newPage({ viewport: { width: 1366, height: 768 } });
      await presenter.goto(`/p/${ws.id}#${ws.presenter_token}`);
      await presenter.getByTestId('join-code').waitFor({ timeout: T });

      await item.getByRole('button', { name: 'Open' }).click();
      await panel().getByRole('heading', { name: PROMPT_EN }).waitFor({ timeout: T });
      await panel().getByText('Participants see only their own notes until you reveal the board.').waitFor();
      await panel().getByRole('button', { name: 'Lock the board' }).waitFor();
      await shot(facilitator, shotName('01-console-open'));
      await expectNoAxe(facilitator, 'console (board open)');
    });

    it('participants see the board in their own language, with their dots and what hidden mode means', async () => {
      alys = await newPage(PHONE);
      await join(alys, false);
      await alys.getByRole('heading', { name: PROMPT_EN }).waitFor({ timeout: T });
      await alys.getByText('Only you can see your notes until the facilitator reveals the board.').waitFor();
      await alys.getByText('2 dots left').waitFor();
      await alys.getByText('You can put one dot on a note.').waitFor();
      await shot(alys, shotName('02-participant-board'));
      await expectNoAxe(alys, 'participant board');
      assert.equal(await overflowsSideways(alys), false, 'the board fits 360 px');

      bryn = await newPage(PHONE);
      await join(bryn, true);
      await bryn.getByRole('heading', { name: PROMPT_CY }).waitFor({ timeout: T });
      await bryn.getByText('Dotiau ar ôl: 2').waitFor();
      await bryn.getByRole('button', { name: /Ychwanegu nodyn/ }).waitFor();
      await expectNoAxe(bryn, 'participant board (cy)');
    });

    it('a note is added in two taps: the button, then Save (and Enter saves too)', async () => {
      await alys.getByRole('button', { name: /Add a note/ }).click();
      await alys.getByRole('textbox', { name: 'Your note' }).fill('More time to learn');
      await alys.getByText('18 of 280 characters').waitFor();
      await shot(alys, shotName('03-participant-add'));
      await expectNoAxe(alys, 'add a note');
      await alys.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(await alys.getByRole('textbox').count(), 0);

      await addNote(alys, 'More time to learn');
      await addNote(alys, 'Shared examples from other teams', { column: 'Risk', colour: 'Green', save: 'enter' });
      await addNote(bryn, 'Amser i ddysgu gyda chydweithwyr', { colour: 'Glas' });
      assert.equal(await lane(alys, 'Risk').locator('article.note', { hasText: 'Shared examples' }).count(), 1, 'in the chosen column');
      // A note's name says what a sighted person sees.
      assert.equal(
        await phoneNote(alys, 'More time to learn').getAttribute('aria-label'),
        'Yellow note in column “Value”: More time to learn. Your note.',
      );
      await shot(alys, shotName('04-participant-notes'));
      await expectNoAxe(alys, 'participant with notes');
    });

    it('until the reveal, each participant sees only their own notes and the room sees only counts', async () => {
      assert.equal(await phoneNote(alys, 'Amser i ddysgu').count(), 0, 'Alys does not see Bryn’s note');
      assert.equal(await phoneNote(bryn, 'More time').count(), 0, 'Bryn does not see Alys’s notes');
      await consoleNote('Amser i ddysgu').waitFor({ timeout: T });
      await consoleNote('More time to learn').waitFor();
      await presenter.getByRole('heading', { name: new RegExp(PROMPT_EN.replace('?', '\\?')) }).waitFor({ timeout: T });
      await presenter.getByText('The notes stay hidden until the facilitator reveals the board.').waitFor({ timeout: T });
      await presenter.getByTestId('note-count').getByText('Notes: 3').waitFor({ timeout: T });
      assert.equal(await presenter.getByText('More time to learn').count(), 0, 'no note text on the projector');
      await shot(presenter, shotName('05-presenter-hidden'));
      await expectNoAxe(presenter, 'presenter (hidden board)');
    });

    it('the facilitator drags a note to another column', async () => {
      await dragNote(facilitator, 'More time to learn', 'Risk');
      await lane(facilitator, 'Risk').locator('article.note', { hasText: 'More time to learn' }).waitFor({ timeout: T });
      // The author sees it move too.
      await lane(alys, 'Risk').locator('article.note', { hasText: 'More time to learn' }).waitFor({ timeout: T });
      await shot(facilitator, shotName('06-console-dragged'));
    });

    it('a note moves with the arrow keys, and the move is announced', async () => {
      await consoleNote('More time to learn').focus();
      await facilitator.keyboard.press('ArrowLeft');
      await lane(facilitator, 'Value').locator('article.note', { hasText: 'More time to learn' }).waitFor({ timeout: T });
      await panel().locator('p.sr-only[aria-live]').getByText('Moved to “Value”').waitFor({ timeout: T });
      assert.equal(
        await facilitator.evaluate(() => document.activeElement?.textContent?.includes('More time to learn')),
        true,
        'the moved note keeps the focus',
      );
      // On a phone, the author moves a note with the column picker, and the help says so
      // (not the arrow keys, which a touch screen does not have).
      await alys.getByText('To move one of your notes to another column, use its “Move” button.').waitFor({ timeout: T });
      assert.equal(await alys.getByText('use the arrow keys', { exact: false }).isVisible(), false, 'no keyboard help on a phone');
      await phoneNote(alys, 'Shared examples').getByRole('button', { name: /^Move/ }).click();
      await alys.getByLabel('Move to').selectOption({ label: 'Value' });
      await alys.getByRole('button', { name: 'Move', exact: true }).click();
      await lane(alys, 'Value').locator('article.note', { hasText: 'Shared examples' }).waitFor({ timeout: T });
      await lane(facilitator, 'Value').locator('article.note', { hasText: 'Shared examples' }).waitFor({ timeout: T });
      // With a keyboard, the author moves their own note with the arrow keys.
      await phoneNote(alys, 'Shared examples').focus();
      await alys.keyboard.press('ArrowRight');
      await lane(alys, 'Risk').locator('article.note', { hasText: 'Shared examples' }).waitFor({ timeout: T });
      await alys.locator('p.sr-only[aria-live]').getByText('Moved to “Risk”').waitFor({ timeout: T });
      await alys.keyboard.press('ArrowLeft');
      await lane(alys, 'Value').locator('article.note', { hasText: 'Shared examples' }).waitFor({ timeout: T });
      await lane(facilitator, 'Value').locator('article.note', { hasText: 'Shared examples' }).waitFor({ timeout: T });
    });

    it('the facilitator ticks notes and puts them in a cluster named in English and Welsh', async () => {
      // Space on a focused note ticks it.
      await consoleNote('Shared examples').focus();
      await facilitator.keyboard.press('Space');
      await panel().locator('.selected-count', { hasText: 'Selected: 1' }).waitFor();
      await facilitator.keyboard.press('Space');
      await panel().locator('.selected-count', { hasText: 'Selected: 0' }).waitFor();
      // A shift-click ticks every note from the last one ticked, in the order they are shown.
      const order = await panel().locator('article.note .note-text').allInnerTexts();
      const from = order.indexOf('Shared examples from other teams');
      const to = order.indexOf('Amser i ddysgu gyda chydweithwyr');
      await facilitator.getByRole('checkbox', { name: 'Select: Shared examples from other teams' }).check();
      await facilitator.getByRole('checkbox', { name: 'Select: Amser i ddysgu gyda chydweithwyr' }).click({ modifiers: ['Shift'] });
      await panel().locator('.selected-count', { hasText: `Selected: ${Math.abs(to - from) + 1}` }).waitFor();
      for (const text of order.slice(Math.min(from, to), Math.max(from, to) + 1)) {
        const box = facilitator.getByRole('checkbox', { name: `Select: ${text}` });
        if (text === 'Amser i ddysgu gyda chydweithwyr' || text === 'More time to learn') await box.check();
        else await box.uncheck();
      }
      await facilitator.getByRole('checkbox', { name: 'Select: More time to learn' }).check();
      await panel().locator('.selected-count', { hasText: 'Selected: 2' }).waitFor();
      await panel().getByRole('button', { name: 'Cluster', exact: true }).click();
      await facilitator.getByLabel('Name (English)').fill('Time');
      await facilitator.getByLabel('Name (Cymraeg)').fill('Amser');
      await shot(facilitator, shotName('07-console-cluster-form'));
      await expectNoAxe(facilitator, 'console (cluster form)');
      await facilitator.getByRole('button', { name: 'Make the cluster' }).click();
      await panel().locator('.note-group.is-cluster').getByRole('heading', { name: 'Time' }).first().waitFor({ timeout: T });
      await panel().locator('.cluster-list').getByText('Time').waitFor();
      // Bryn's own note is in the cluster: he sees its Welsh name.
      await bryn.locator('.note-group.is-cluster').getByRole('heading', { name: 'Amser' }).waitFor({ timeout: T });
      await facilitator.getByRole('button', { name: 'Rename cluster “Time”' }).click();
      await facilitator.getByLabel('Name (English)').fill('Time and learning');
      await facilitator.getByRole('button', { name: 'Save', exact: true }).click();
      await panel().locator('.cluster-list').getByText('Time and learning').waitFor({ timeout: T });
    });

    it('dot-voting stays within the budget and one dot per note', async () => {
      const plus = (text) => alys.getByRole('button', { name: new RegExp(`^Add a dot: ${text}`) });
      const minus = (text) => alys.getByRole('button', { name: new RegExp(`^Take a dot back: ${text}`) });
      await plus('More time').click();
      await alys.getByText('1 dot left').waitFor({ timeout: T });
      assert.equal(await plus('More time').isDisabled(), true, 'one dot per note');
      await plus('Shared examples').click();
      await alys.getByText('No dots left').waitFor({ timeout: T });
      assert.equal(await plus('Shared examples').isDisabled(), true);
      await minus('Shared examples').click();
      await alys.getByText('1 dot left').waitFor({ timeout: T });
      await panel().locator('.most-dots').getByText('More time to learn').waitFor({ timeout: T });
      await shot(alys, shotName('08-participant-dots'));
      await expectNoAxe(alys, 'participant (dots)');
    });

    it('participants edit and delete their own notes', async () => {
      await phoneNote(bryn, 'Amser i ddysgu').getByRole('button', { name: /^Golygu/ }).click();
      await bryn.getByRole('textbox', { name: 'Golygu eich nodyn' }).fill('Amser i ddysgu gyda chydweithwyr eraill');
      await bryn.getByRole('button', { name: 'Cadw', exact: true }).click();
      await consoleNote('Amser i ddysgu gyda chydweithwyr eraill').waitFor({ timeout: T });
      await addNote(alys, 'A note to delete');
      await phoneNote(alys, 'A note to delete').getByRole('button', { name: /^Delete/ }).click();
      await alys.getByRole('button', { name: 'Yes, delete it' }).click();
      await phoneNote(alys, 'A note to delete').waitFor({ state: 'detached', timeout: T });
      await consoleNote('A note to delete').waitFor({ state: 'detached', timeout: T });
    });

    it('a locked board is read-only for participants, and they are told why', async () => {
      await panel().getByRole('button', { name: 'Lock the board' }).click();
      await alys.getByText('The facilitator has locked the board', { exact: false }).waitFor({ timeout: T });
      assert.equal(await alys.getByRole('button', { name: /Add a note/ }).count(), 0);
      assert.equal(await alys.getByRole('button', { name: /^Add a dot/ }).count(), 0);
      await shot(alys, shotName('09-participant-locked'));
      await expectNoAxe(alys, 'participant (locked)');
      await panel().getByRole('button', { name: 'Unlock the board' }).click();
      await alys.getByRole('button', { name: /Add a note/ }).waitFor({ timeout: T });
    });

    it('a hidden note leaves the participants’ and the room’s view, and its dots go back', async () => {
      await alys.getByRole('button', { name: /^Add a dot: Shared examples/ }).click();
      await alys.getByText('No dots left').waitFor({ timeout: T });
      await consoleNote('Shared examples').getByText('Dots: 1').waitFor({ timeout: T });
      await consoleNote('Shared examples').getByRole('button', { name: /^Hide/ }).click();
      // A note with dots: the console asks first, saying where the dots go.
      await consoleNote('Shared examples')
        .getByText('Hide this note? Its dot goes back to the participant who gave it', { exact: false })
        .waitFor({ timeout: T });
      // Checked from the top of the page: scrolled down, the sticky selection bar lies over the
      // notes under it, which axe counts against their checkboxes whatever is on screen.
      await facilitator.evaluate(() => window.scrollTo(0, 0));
      await expectNoAxe(facilitator, 'console (hide confirmation)');
      await consoleNote('Shared examples').getByRole('button', { name: 'Yes, hide it' }).click();
      await phoneNote(alys, 'Shared examples').waitFor({ state: 'detached', timeout: T });
      await alys.getByText('1 dot left').waitFor({ timeout: T }); // the server gave it back
      await consoleNote('Shared examples').getByText('Hidden', { exact: true }).waitFor({ timeout: T });
      await presenter.getByTestId('note-count').getByText('Notes: 2').waitFor({ timeout: T });
      await consoleNote('Shared examples').getByRole('button', { name: /^Show again/ }).click();
      await phoneNote(alys, 'Shared examples').waitFor({ timeout: T });
      assert.equal(await consoleNote('Shared examples').getByText(/^Dots:/).count(), 0, 'shown again without dots');
      await alys.getByText('1 dot left').waitFor({ timeout: T });
    });

    it('revealed while open, everyone sees every note and dot-votes on the others’ notes', async () => {
      // Silent writing is over: reveal the board, and leave it open for dots.
      await panel().getByRole('button', { name: 'Reveal the board' }).click();
      await phoneNote(alys, 'Amser i ddysgu gyda chydweithwyr eraill').waitFor({ timeout: T });
      await phoneNote(bryn, 'More time to learn').waitFor({ timeout: T });
      await alys.getByText('Give your dots to the ideas you like most', { exact: false }).waitFor({ timeout: T });
      await bryn.getByText("Rhowch eich dotiau i'r syniadau", { exact: false }).waitFor({ timeout: T });
      assert.equal(await panel().getByRole('button', { name: 'Reveal the board' }).count(), 0, 'revealed once');
      await panel().getByRole('button', { name: 'Close', exact: true }).waitFor();
      // Bryn gives a dot to Alys's note, which he could not see before the reveal.
      await bryn.getByRole('button', { name: /^Rhoi dot: More time to learn/ }).click();
      await consoleNote('More time to learn').getByText('Dots: 2').waitFor({ timeout: T });
      await presenter.locator('.board-presenter').getByText('More time to learn').waitFor({ timeout: T });
      await shot(bryn, shotName('09b-participant-revealed-open-cy'));
      await expectNoAxe(bryn, 'participant (revealed while open, cy)');
    });

    it('closing the revealed board shows every note to everyone, with clusters and dots on the projector', async () => {
      await panel().getByRole('button', { name: 'Close', exact: true }).click();
      await alys.getByText('The facilitator has revealed the board: everyone’s notes are shown.').waitFor({ timeout: T });
      assert.equal(await alys.getByRole('button', { name: /Add a note/ }).count(), 0);
      assert.equal(await alys.getByRole('button', { name: /^Add a dot/ }).count(), 0);
      await phoneNote(alys, 'Amser i ddysgu gyda chydweithwyr eraill').waitFor({ timeout: T });
      await phoneNote(bryn, 'More time to learn').waitFor({ timeout: T });
      await presenter.locator('.board-presenter').getByText('More time to learn').waitFor({ timeout: T });
      await presenter.locator('.board-presenter').getByRole('heading', { name: 'Time and learning' }).first().waitFor();
      await presenter.locator('.board-presenter').getByText('Dots: 2').first().waitFor();
      await shot(presenter, shotName('10-presenter-revealed'));
      await expectNoAxe(presenter, 'presenter (revealed board)');
      await shot(bryn, shotName('11-participant-revealed-cy'));
      await expectNoAxe(bryn, 'participant (revealed, cy)');
      await shot(facilitator, shotName('12-console-revealed'));
      await expectNoAxe(facilitator, 'console (revealed board)');
      assert.equal(await overflowsSideways(bryn), false, 'the revealed board fits 360 px');
      // The console at 200% zoom of a 1280 px screen (640 CSS px) reflows.
      const zoomed = await newPage({ viewport: { width: 640, height: 800 }, deviceScaleFactor: 2 });
      await zoomed.goto(`/f/${ws.id}#${ws.facilitator_token}`);
      await zoomed.locator('.board-panel article.note').first().waitFor({ timeout: T });
      assert.equal(await overflowsSideways(zoomed), false, 'the board console fits 640 px');
      await shot(zoomed, shotName('12b-console-640'));
      await zoomed.context().close();
    });

    it('reopened, the board stays revealed and dot-voting goes on', async () => {
      await panel().getByRole('button', { name: 'Reopen' }).click();
      await alys.getByRole('button', { name: /^Add a dot/ }).first().waitFor({ timeout: T });
      await phoneNote(alys, 'Amser i ddysgu gyda chydweithwyr eraill').waitFor();
      assert.equal(await alys.getByText('Only you can see your notes', { exact: false }).count(), 0);
      await panel().getByRole('button', { name: 'Close', exact: true }).click();
      await alys.getByText('The facilitator has revealed the board: everyone’s notes are shown.').waitFor({ timeout: T });
    });

    it('the printable board lists the notes by column and cluster, with their dots', async () => {
      await panel().getByRole('button', { name: 'Print board' }).click();
      const view = facilitator.locator('.board-print');
      await view.getByRole('heading', { name: PROMPT_EN }).waitFor({ timeout: T });
      await view.getByRole('heading', { name: /^Value/ }).waitFor();
      await view.getByRole('heading', { name: /^Time and learning/ }).first().waitFor();
      await view.getByText('Dots: 2').first().waitFor();
      assert.equal(await facilitator.locator('.agenda').isVisible(), false, 'only the board is shown');
      await expectNoAxe(facilitator, 'printable board');
      await facilitator.emulateMedia({ media: 'print' });
      assert.equal(await view.getByRole('button', { name: 'Print', exact: true }).isVisible(), false, 'no buttons on paper');
      await shot(facilitator, shotName('13-print'));
      await facilitator.emulateMedia({ media: 'screen' });
      await view.getByRole('button', { name: 'Back to the console' }).click();
      await panel().getByRole('button', { name: 'Print board' }).waitFor();
      assert.equal(await facilitator.locator('.agenda').isVisible(), true);
    });

    it('no board screen broke the Content-Security-Policy', () => {
      assert.deepEqual(cspViolations, []);
    });
  },
);
