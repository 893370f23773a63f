import { describe, expect, it } from 'vitest';
import { applyPush, viewNotes, type BoardState } from '../../src/lib/board';
import { BoardModel, type BoardSessionLike } from '../../src/lib/board_model.svelte';
import { colourName, failureText, moveText, noteName, shorten, textProblemText } from '../../src/lib/board_text';
import type { RequestOptions } from '../../src/lib/connection';
import { cy } from '../../src/i18n/cy';
import { en } from '../../src/i18n/en';
import type { BoardActivity, Note, Request } from '../../src/lib/protocol';

const A = 'a_board';

function note(id: string, over: Partial<Note> = {}): Note {
  return { id, text: `text of ${id}`, colour: 'yellow', column: null, x: 0.5, y: 0.5, version: 1, cluster: null, dots: 0, my_dots: 0, mine: true, ...over };
}

/** A session that records requests (the test answers them) and holds boards like the real one. */
function fakeSession(notes: Note[] = []) {
  const sent: { req: Request; opts: RequestOptions }[] = [];
  let boards: Record<string, BoardState> = {};
  const session: BoardSessionLike = {
    get boards() {
      return boards;
    },
    updateBoard(activity, f) {
      boards = { ...boards, [activity]: f(boards[activity]) };
    },
    request(req, opts = {}) {
      sent.push({ req, opts });
      return opts.op ?? 'op';
    },
  };
  session.updateBoard(A, (b) => applyPush(b, { type: 'board', activity: A, notes, clusters: [] }));
  const ack = (i: number, extra: object = {}) => sent[i]!.opts.onAck?.(sent[i]!.opts.op!, { type: 'ack', op: sent[i]!.opts.op!, ...extra });
  const fail = (i: number, code: string, extra: object = {}) =>
    sent[i]!.opts.onError?.({ type: 'error', op: sent[i]!.opts.op!, code, ...extra });
  const shown = () => viewNotes(session.boards[A]);
  return { session, sent, ack, fail, shown };
}

function activity(over: Partial<BoardActivity> = {}): BoardActivity {
  return { id: A, kind: 'board', position: 0, state: 'open', prompt: { en: 'What would help?' }, dots_per_person: 3, ...over };
}

describe('BoardModel', () => {
  it('adds a note: exactly the contract’s fields, shown at once, named by the ack', () => {
    const f = fakeSession();
    const model = new BoardModel(f.session, () => activity());
    const op = model.add({ text: '  More time ', colour: 'green', column: 'ignored' });
    expect(f.sent[0]!.req).toEqual({ type: 'note.add', activity: A, text: 'More time', colour: 'green', x: 0.5, y: 0.1 });
    expect(f.sent[0]!.opts.op).toBe(op);
    expect(op.length).toBeGreaterThanOrEqual(16);
    expect(f.shown()).toMatchObject([{ text: 'More time', pending: true, mine: true }]);
    f.ack(0, { note: 'n_7' });
    expect(f.shown()).toMatchObject([{ id: 'n_7', text: 'More time', pending: false }]);
    expect(model.failure).toBeNull();
  });

  it('sends the column on boards with columns, and hides totals until the reveal when asked', () => {
    const f = fakeSession();
    const a = activity({ columns: [{ id: 'value', title: { en: 'Value' } }], dot_totals: 'on_reveal' });
    new BoardModel(f.session, () => a).add({ text: 'x', colour: 'yellow', column: 'value' });
    expect(f.sent[0]!.req).toMatchObject({ type: 'note.add', column: 'value' });
    expect(f.shown()[0]!.dots).toBeNull();
  });

  it('rolls back a refused add and says why', () => {
    const f = fakeSession();
    const model = new BoardModel(f.session, () => activity());
    model.add({ text: 'x', colour: 'yellow', column: null });
    f.fail(0, 'not_allowed', { message: 'at most 50 notes' });
    expect(f.shown()).toEqual([]);
    expect(model.failure).toEqual({ action: 'add', code: 'not_allowed', message: 'at most 50 notes' });
    expect(failureText(en, model.failure!)).toBe(en.errNoteLimit);
  });

  it('edits with the version it saw; a conflict shows the newer text, and "use my text" edits again on top of it', () => {
    const f = fakeSession([note('n_1', { text: 'old', version: 2 })]);
    const model = new BoardModel(f.session, () => activity());
    model.edit('n_1', 'mine');
    expect(f.sent[0]!.req).toEqual({ type: 'note.edit', note: 'n_1', text: 'mine', version: 2 });
    expect(f.sent[0]!.opts.key).toBe('edit:n_1');
    f.fail(0, 'conflict', { note: note('n_1', { text: 'theirs', version: 3 }) });
    expect(f.shown()[0]!.text).toBe('theirs');
    expect(f.session.boards[A]!.conflicts).toEqual([{ note: 'n_1', text: 'mine' }]);
    expect(model.failure).toBeNull(); // shown beside the note, not as a general error
    model.resolveConflict('n_1', true);
    expect(f.sent[1]!.req).toEqual({ type: 'note.edit', note: 'n_1', text: 'mine', version: 3 });
    expect(f.session.boards[A]!.conflicts).toEqual([]);
  });

  it('"keep it as it is" sends nothing', () => {
    const f = fakeSession([note('n_1', { version: 2 })]);
    const model = new BoardModel(f.session, () => activity());
    model.edit('n_1', 'mine');
    f.fail(0, 'conflict', { note: note('n_1', { text: 'theirs', version: 3 }) });
    model.resolveConflict('n_1', false);
    expect(f.sent).toHaveLength(1);
    expect(f.session.boards[A]!.conflicts).toEqual([]);
  });

  it('moves carry the fields given, with a key so that only the last unsent move goes', () => {
    const f = fakeSession([note('n_1', { version: 4 })]);
    const model = new BoardModel(f.session, () => activity());
    model.move('n_1', { column: 'risk' });
    model.move('n_1', { x: 0.2, y: 0.7 });
    expect(f.sent.map((s) => s.req)).toEqual([
      { type: 'note.move', note: 'n_1', version: 4, column: 'risk' },
      { type: 'note.move', note: 'n_1', version: 4, x: 0.2, y: 0.7 },
    ]);
    expect(f.sent.map((s) => s.opts.key)).toEqual(['move:n_1', 'move:n_1']);
    expect(f.shown()[0]).toMatchObject({ x: 0.2, y: 0.7, pending: true });
  });

  it('does nothing to notes the server has not named yet', () => {
    const f = fakeSession();
    const model = new BoardModel(f.session, () => activity());
    model.add({ text: 'x', colour: 'yellow', column: null });
    const temp = f.shown()[0]!.id;
    expect(model.edit(temp, 'y')).toBeNull();
    expect(model.move(temp, { y: 0.1, x: 0.1 })).toBeNull();
    expect(model.remove(temp)).toBeNull();
    expect(model.dot(temp, true)).toBeNull();
    expect(f.sent).toHaveLength(1);
  });

  it('dots: sent one by one, counted at once, a refusal reported', () => {
    const f = fakeSession([note('n_1', { mine: false, dots: 2 })]);
    const model = new BoardModel(f.session, () => activity());
    model.dot('n_1', true);
    expect(f.sent[0]!.req).toEqual({ type: 'dot', note: 'n_1', on: true });
    expect(f.shown()[0]).toMatchObject({ dots: 3, my_dots: 1 });
    f.fail(0, 'not_allowed');
    expect(f.shown()[0]).toMatchObject({ dots: 2, my_dots: 0 });
    expect(failureText(cy, model.failure!)).toBe(cy.errNoDots);
  });

  it('facilitator requests: hide, cluster (create, add, take out), dissolve, lock, delete', () => {
    const f = fakeSession([note('n_1'), note('n_2')]);
    const model = new BoardModel(f.session, () => activity(), true);
    model.hide('n_1', true);
    model.setCluster('k_time', ['n_1', 'n_2'], { en: 'Time', cy: 'Amser' });
    model.setCluster('k_time', ['n_2']);
    model.setCluster(null, ['n_2'], { en: 'ignored' });
    model.dissolve('k_time');
    model.lock(true);
    model.remove('n_2');
    expect(f.sent.map((s) => s.req)).toEqual([
      { type: 'note.hide', note: 'n_1', hidden: true },
      { type: 'cluster.set', activity: A, cluster: 'k_time', notes: ['n_1', 'n_2'], label: { en: 'Time', cy: 'Amser' } },
      { type: 'cluster.set', activity: A, cluster: 'k_time', notes: ['n_2'] },
      { type: 'cluster.set', activity: A, cluster: null, notes: ['n_2'] },
      { type: 'cluster.dissolve', activity: A, cluster: 'k_time' },
      { type: 'board.lock', activity: A, locked: true },
      { type: 'note.delete', note: 'n_2' },
    ]);
    expect(f.shown().map((n) => n.id)).toEqual(['n_1']);
  });
});

describe('board words', () => {
  const ctx = {
    lang: 'en',
    languages: ['en', 'cy'],
    columns: [{ id: 'value', title: { en: 'Value', cy: 'Gwerth' } }],
    clusters: [{ id: 'k_1', label: { en: 'Time', cy: 'Amser' } }],
    showDots: true,
  };

  it('a note’s accessible name says colour, column, cluster, text, dots and whose it is', () => {
    const n = note('n_1', { text: 'More time', colour: 'blue', column: 'value', cluster: 'k_1', dots: 3 });
    expect(noteName(en, n, ctx)).toBe('Blue note in column “Value”, cluster “Time”: More time. Dots: 3. Your note.');
    expect(noteName(cy, n, { ...ctx, lang: 'cy' })).toBe('Nodyn glas yng ngholofn “Gwerth”, clwstwr “Amser”: More time. Dotiau: 3. Eich nodyn chi.');
    const other = note('n_2', { text: 'x', mine: false, dots: null, hidden: true });
    expect(noteName(en, other, ctx)).toBe('Yellow note: x. Hidden.');
    expect(noteName(en, note('n_3', { text: 'x', mine: false, dots: 2 }), { ...ctx, showDots: false })).toBe('Yellow note: x.');
  });

  it('colour names in both languages, and unknown colours as given', () => {
    expect(colourName(en, 'purple')).toBe('Purple');
    expect(colourName(cy, 'purple')).toBe('Porffor');
    expect(colourName(en, 'teal')).toBe('teal');
  });

  it('refusals in words', () => {
    expect(failureText(en, { action: 'edit', code: 'closed' })).toBe(en.errBoardClosed);
    expect(failureText(en, { action: 'move', code: 'not_found' })).toBe(en.errNoteGone);
    expect(failureText(en, { action: 'move', code: 'not_allowed' })).toBe(en.errNotAllowedBoard);
    expect(failureText(en, { action: 'add', code: 'server_error' })).toBe(en.errBoardGeneric);
    expect(textProblemText(en, 'too_long', 280, 'en')).toBe('A note can have at most 280 characters.');
    expect(textProblemText(cy, 'empty', 280, 'cy')).toBe('Ysgrifennwch rywbeth yn gyntaf.');
  });

  it('keyboard moves are announced', () => {
    const col = { id: 'risk', title: { en: 'Risk', cy: 'Risg' } };
    expect(moveText(cy, { note: 'n', column: 'risk', effect: { kind: 'column', column: col } }, 'cy', ['en', 'cy'])).toBe('Wedi\'i symud i “Risg”');
    expect(moveText(en, { note: 'n', y: 0.1, effect: { kind: 'earlier', past: note('p', { text: 'Other' }) } }, 'en', [])).toBe('Moved before “Other”');
    expect(shorten('a'.repeat(100))).toHaveLength(60);
    expect(shorten('  two\n lines ')).toBe('two lines');
  });

  it('dots left in words', () => {
    expect(en.dotsLeft(2, '2')).toBe('2 dots left');
    expect(en.dotsLeft(1, '1')).toBe('1 dot left');
    expect(en.dotsLeft(0, '0')).toBe('No dots left');
    expect(cy.dotsLeft(2, '2')).toBe('Dotiau ar ôl: 2');
    expect(cy.dotsLeft(0, '0')).toBe('Dim dotiau ar ôl');
  });
});
