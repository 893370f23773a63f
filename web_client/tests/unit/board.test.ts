import { describe, expect, it } from 'vitest';
import {
  ackChange,
  addPending,
  applyPush,
  boardSettings,
  canAddDot,
  canRemoveDot,
  columnCounts,
  displayOrder,
  dotsLeft,
  dotsUsed,
  dotsVisibleToRoom,
  dropConflict,
  dropPosition,
  emptyBoard,
  failChange,
  groupNotes,
  isTempNote,
  keyboardMove,
  newClusterId,
  notesVisibleToRoom,
  noteLength,
  positionBetween,
  positionForNew,
  readOnlyReason,
  roomNotes,
  tempNoteId,
  textProblem,
  toggleSelection,
  viewClusters,
  viewLocked,
  viewNotes,
  type BoardState,
} from '../../src/lib/board';
import type { BoardActivity, BoardColumn, Cluster, ErrorMessage, Note } from '../../src/lib/protocol';

const A = 'a_board';

function note(id: string, over: Partial<Note> = {}): Note {
  return {
    id,
    text: `text of ${id}`,
    colour: 'yellow',
    column: null,
    x: 0.5,
    y: 0.5,
    version: 1,
    cluster: null,
    dots: 0,
    my_dots: 0,
    mine: false,
    ...over,
  };
}

function activity(over: Partial<BoardActivity> = {}): BoardActivity {
  return { id: A, kind: 'board', position: 0, state: 'open', prompt: { en: 'What would help?' }, ...over };
}

function board(notes: Note[], clusters: Cluster[] = [], locked?: boolean): BoardState {
  return applyPush(undefined, { type: 'board', activity: A, notes, clusters, ...(locked === undefined ? {} : { locked }) });
}

const err = (op: string, code: string, extra: Partial<ErrorMessage> = {}): ErrorMessage => ({ type: 'error', op, code, ...extra });
const ids = (s: BoardState) => viewNotes(s).map((n) => n.id);
const cols: BoardColumn[] = [
  { id: 'value', title: { en: 'Value', cy: 'Gwerth' } },
  { id: 'risk', title: { en: 'Risk', cy: 'Risg' } },
  { id: 'metrics', title: { en: 'Metrics' } },
];

describe('board pushes', () => {
  it('a board push replaces everything the client had', () => {
    let s = board([note('n_1'), note('n_2')], [{ id: 'k_1', label: { en: 'Ideas' } }], false);
    expect(ids(s)).toEqual(['n_1', 'n_2']);
    expect(s.locked).toBe(false);
    s = applyPush(s, { type: 'board', activity: A, notes: [note('n_3')], clusters: [] });
    expect(ids(s)).toEqual(['n_3']);
    expect(s.clusters).toEqual([]);
    expect(s.locked).toBe(false); // a push without `locked` keeps what was known
  });

  it('a note push adds a new note and replaces a known one in place', () => {
    let s = board([note('n_1'), note('n_2')]);
    s = applyPush(s, { type: 'note', activity: A, note: note('n_1', { text: 'changed', version: 2 }) });
    s = applyPush(s, { type: 'note', activity: A, note: note('n_9') });
    expect(ids(s)).toEqual(['n_1', 'n_2', 'n_9']);
    expect(s.notes[0]!.text).toBe('changed');
  });

  it('a note push for a board not seen yet starts that board', () => {
    const s = applyPush(undefined, { type: 'note', activity: A, note: note('n_1') });
    expect(s.activity).toBe(A);
    expect(ids(s)).toEqual(['n_1']);
  });

  it('board.changes upserts every note, then removes every id it lists (a flush of changes at once)', () => {
    let s = applyPush(undefined, { type: 'board', activity: A, notes: [note('n_1'), note('n_2')], clusters: [] });
    s = applyPush(s, {
      type: 'board.changes',
      activity: A,
      notes: [note('n_2', { text: 'changed', version: 2 }), note('n_3')],
      removed: ['n_1', 'n_unknown'],
    });
    expect(s.notes.map((n) => [n.id, n.text])).toEqual([
      ['n_2', 'changed'],
      ['n_3', note('n_3').text],
    ]);
    // An empty flush changes nothing.
    expect(applyPush(s, { type: 'board.changes', activity: A, notes: [], removed: [] }).notes).toEqual(s.notes);
  });

  it('note.removed takes the note away (deleted, or hidden from participants)', () => {
    let s = board([note('n_1'), note('n_2')]);
    s = applyPush(s, { type: 'note.removed', activity: A, note: 'n_1' });
    expect(ids(s)).toEqual(['n_2']);
    s = applyPush(s, { type: 'note.removed', activity: A, note: 'n_unknown' });
    expect(ids(s)).toEqual(['n_2']);
  });

  it('pushes leave pending local changes in place and do not change their input', () => {
    const s0 = board([note('n_1')]);
    const s1 = addPending(s0, { op: 'op-1', kind: 'edit', note: 'n_1', text: 'mine', base: 1 });
    const s2 = applyPush(s1, { type: 'board', activity: A, notes: [note('n_1'), note('n_2')], clusters: [] });
    expect(s2.pending).toHaveLength(1);
    expect(viewNotes(s2).find((n) => n.id === 'n_1')!.text).toBe('mine');
    expect(s0.pending).toHaveLength(0);
    expect(s1.notes).toHaveLength(1);
  });
});

describe('adding a note', () => {
  const add = { op: 'op-1', kind: 'add' as const, text: '  More time  ', colour: 'pink' as const, column: 'value', x: 0.5, y: 0.3, dots: 0 };

  it('shows at once, as mine and "saving", under a temporary id', () => {
    const s = addPending(board([]), add);
    const [n] = viewNotes(s);
    expect(n!.id).toBe(tempNoteId('op-1'));
    expect(isTempNote(n!.id)).toBe(true);
    expect(n).toMatchObject({ text: 'More time', colour: 'pink', column: 'value', mine: true, pending: true });
  });

  it('the ack names the note: it gets its id, and the later push does not duplicate it', () => {
    let s = addPending(board([]), add);
    s = ackChange(s, 'op-1', { type: 'ack', op: 'op-1', note: 'n_new' });
    expect(ids(s)).toEqual(['n_new']);
    expect(viewNotes(s)[0]).toMatchObject({ text: 'More time', version: 1, mine: true, pending: false });
    s = applyPush(s, { type: 'note', activity: A, note: note('n_new', { text: 'More time', mine: true, dots: 0 }) });
    expect(ids(s)).toEqual(['n_new']);
  });

  it('a push that arrives before the ack takes the placeholder’s place at once (never shown twice)', () => {
    let s = addPending(board([]), add);
    const pushed = note('n_new', { text: 'More time', colour: 'pink', column: 'value', mine: true, cluster: 'k_1' });
    s = applyPush(s, { type: 'note', activity: A, note: pushed });
    expect(ids(s)).toEqual(['n_new']);
    s = ackChange(s, 'op-1', { type: 'ack', op: 'op-1', note: 'n_new' });
    expect(ids(s)).toEqual(['n_new']);
    expect(s.notes[0]!.cluster).toBe('k_1');
    expect(s.pending).toEqual([]);
  });

  it('only my own note with the same text, colour and column stands in for a placeholder', () => {
    const two = addPending(addPending(board([]), add), { ...add, op: 'op-2' });
    const same = { text: 'More time', colour: 'pink', column: 'value' } as const;
    let s = applyPush(two, { type: 'note', activity: A, note: note('n_other', { ...same, mine: false }) });
    s = applyPush(s, { type: 'note', activity: A, note: note('n_diff', { ...same, text: 'Less time', mine: true }) });
    expect(ids(s)).toEqual(['n_other', 'n_diff', tempNoteId('op-1'), tempNoteId('op-2')]);
    // A whole-board push matches too, one placeholder per note.
    s = applyPush(s, { type: 'board', activity: A, notes: [note('n_a', { ...same, mine: true })], clusters: [] });
    expect(ids(s)).toEqual(['n_a', tempNoteId('op-2')]);
    s = ackChange(s, 'op-1', { type: 'ack', op: 'op-1', note: 'n_a' });
    expect(ids(s)).toEqual(['n_a', tempNoteId('op-2')]);
  });

  it('an ack without a note id drops the placeholder (the push brings the note)', () => {
    let s = addPending(board([]), add);
    s = ackChange(s, 'op-1', { type: 'ack', op: 'op-1' });
    expect(ids(s)).toEqual([]);
  });

  it('is rolled back when the server refuses it, and the refused change is returned', () => {
    const s = addPending(board([note('n_1')]), add);
    const r = failChange(s, 'op-1', err('op-1', 'closed'));
    expect(ids(r.state)).toEqual(['n_1']);
    expect(r.change?.kind).toBe('add');
    expect(failChange(r.state, 'op-1', err('op-1', 'closed')).change).toBeUndefined();
  });

  it('keeps totals hidden when the participant may not see them yet', () => {
    const s = addPending(board([]), { ...add, dots: null });
    expect(viewNotes(s)[0]!.dots).toBeNull();
    expect(ackChange(s, 'op-1', { type: 'ack', op: 'op-1', note: 'n_1' }).notes[0]!.dots).toBeNull();
  });

  it('goes after the last note of its column', () => {
    const notes = [note('a', { column: 'value', y: 0.2 }), note('b', { column: 'value', y: 0.6 }), note('c', { column: 'risk', y: 0.9 })];
    expect(positionForNew(notes, 'value')).toEqual({ x: 0.5, y: 0.8 });
    expect(positionForNew(notes, 'metrics')).toEqual({ x: 0.5, y: 0.1 });
  });
});

describe('editing, moving, deleting', () => {
  it('an edit shows at once, and the ack makes it the server’s text with the next version', () => {
    let s = board([note('n_1', { text: 'old', version: 3, mine: true })]);
    s = addPending(s, { op: 'e1', kind: 'edit', note: 'n_1', text: 'new', base: 3 });
    expect(viewNotes(s)[0]).toMatchObject({ text: 'new', pending: true });
    s = ackChange(s, 'e1');
    expect(s.notes[0]).toMatchObject({ text: 'new', version: 4 });
    expect(viewNotes(s)[0]!.pending).toBe(false);
  });

  it('an ack after a newer push leaves the push as it is', () => {
    let s = board([note('n_1', { text: 'old', version: 3 })]);
    s = addPending(s, { op: 'e1', kind: 'edit', note: 'n_1', text: 'new', base: 3 });
    s = applyPush(s, { type: 'note', activity: A, note: note('n_1', { text: 'new', version: 4, cluster: 'k_1' }) });
    s = ackChange(s, 'e1');
    expect(s.notes[0]).toMatchObject({ text: 'new', version: 4, cluster: 'k_1' });
  });

  it('an edit refused with conflict shows the newer note and keeps the text that was tried', () => {
    let s = board([note('n_1', { text: 'old', version: 3, mine: true })]);
    s = addPending(s, { op: 'e1', kind: 'edit', note: 'n_1', text: 'my edit', base: 3 });
    const newer = note('n_1', { text: 'edited on my laptop', version: 5, mine: true });
    const r = failChange(s, 'e1', err('e1', 'conflict', { message: 'stale version', note: newer }));
    expect(viewNotes(r.state)[0]).toMatchObject({ text: 'edited on my laptop', version: 5, pending: false });
    expect(r.state.conflicts).toEqual([{ note: 'n_1', text: 'my edit' }]);
    // Nothing was overwritten; the person chooses: edit again (clears the conflict) or keep the newer text.
    const again = addPending(r.state, { op: 'e2', kind: 'edit', note: 'n_1', text: 'my edit', base: 5 });
    expect(again.conflicts).toEqual([]);
    expect(dropConflict(r.state, 'n_1').conflicts).toEqual([]);
  });

  it('an edit refused for another reason goes back to the stored text', () => {
    let s = board([note('n_1', { text: 'old', version: 3 })]);
    s = addPending(s, { op: 'e1', kind: 'edit', note: 'n_1', text: 'new', base: 3 });
    s = failChange(s, 'e1', err('e1', 'closed')).state;
    expect(viewNotes(s)[0]!.text).toBe('old');
    expect(s.conflicts).toEqual([]);
  });

  it('a move shows at once and is rolled back on error', () => {
    let s = board([note('n_1', { column: 'value', x: 0.1, y: 0.1 })]);
    s = addPending(s, { op: 'm1', kind: 'move', note: 'n_1', column: 'risk', x: 0.4, y: 0.7, base: 1 });
    expect(viewNotes(s)[0]).toMatchObject({ column: 'risk', x: 0.4, y: 0.7, pending: true });
    const back = failChange(s, 'm1', err('m1', 'not_found')).state;
    expect(viewNotes(back)[0]).toMatchObject({ column: 'value', x: 0.1, y: 0.1, pending: false });
    const acked = ackChange(s, 'm1');
    expect(acked.notes[0]).toMatchObject({ column: 'risk', x: 0.4, y: 0.7, version: 2 });
  });

  it('a move of the column only keeps the position', () => {
    let s = board([note('n_1', { column: 'value', x: 0.1, y: 0.2 })]);
    s = addPending(s, { op: 'm1', kind: 'move', note: 'n_1', column: 'risk', base: 1 });
    expect(viewNotes(s)[0]).toMatchObject({ column: 'risk', x: 0.1, y: 0.2 });
  });

  it('a later move of the same note replaces the earlier one while it waits', () => {
    let s = board([note('n_1')]);
    s = addPending(s, { op: 'm1', kind: 'move', note: 'n_1', column: 'risk', base: 1 });
    s = addPending(s, { op: 'm2', kind: 'move', note: 'n_1', column: 'metrics', base: 1 });
    expect(s.pending.map((p) => p.op)).toEqual(['m2']);
    expect(viewNotes(s)[0]!.column).toBe('metrics');
    expect(ackChange(s, 'm1')).toBe(s); // the replaced one's answer changes nothing
  });

  it('a delete hides the note at once; the ack removes it; an error brings it back', () => {
    let s = board([note('n_1'), note('n_2')]);
    s = addPending(s, { op: 'd1', kind: 'delete', note: 'n_1' });
    expect(ids(s)).toEqual(['n_2']);
    expect(ids(failChange(s, 'd1', err('d1', 'closed')).state)).toEqual(['n_1', 'n_2']);
    s = ackChange(s, 'd1');
    expect(s.notes.map((n) => n.id)).toEqual(['n_2']);
  });

  it('hide and unhide (facilitator) show at once and fold on ack', () => {
    let s = board([note('n_1')]);
    s = addPending(s, { op: 'h1', kind: 'hide', note: 'n_1', hidden: true, base: 1 });
    expect(viewNotes(s)[0]!.hidden).toBe(true);
    s = ackChange(s, 'h1');
    expect(s.notes[0]).toMatchObject({ hidden: true, version: 2 });
  });
});

describe('clusters and the lock', () => {
  it('a new cluster shows at once with its notes, and stays after the ack', () => {
    let s = board([note('n_1'), note('n_2'), note('n_3')]);
    s = addPending(s, { op: 'c1', kind: 'cluster', cluster: 'k_1', label: { en: 'Time', cy: 'Amser' }, notes: ['n_1', 'n_3'] });
    expect(viewClusters(s)).toEqual([{ id: 'k_1', label: { en: 'Time', cy: 'Amser' } }]);
    expect(viewNotes(s).map((n) => n.cluster)).toEqual(['k_1', null, 'k_1']);
    s = ackChange(s, 'c1');
    expect(s.clusters).toEqual([{ id: 'k_1', label: { en: 'Time', cy: 'Amser' } }]);
    expect(s.notes.map((n) => n.cluster)).toEqual(['k_1', null, 'k_1']);
  });

  it('renaming keeps the notes; taking notes out sets their cluster to null; dissolving keeps the notes', () => {
    let s = board([note('n_1', { cluster: 'k_1' }), note('n_2', { cluster: 'k_1' })], [{ id: 'k_1', label: { en: 'Time' } }]);
    s = ackChange(addPending(s, { op: 'r', kind: 'cluster', cluster: 'k_1', label: { en: 'Money' }, notes: [] }), 'r');
    expect(s.clusters[0]!.label).toEqual({ en: 'Money' });
    expect(s.notes.map((n) => n.cluster)).toEqual(['k_1', 'k_1']);
    s = ackChange(addPending(s, { op: 'o', kind: 'cluster', cluster: null, notes: ['n_2'] }), 'o');
    expect(s.notes.map((n) => n.cluster)).toEqual(['k_1', null]);
    const pendingDissolve = addPending(s, { op: 'x', kind: 'dissolve', cluster: 'k_1' });
    expect(viewClusters(pendingDissolve)).toEqual([]);
    expect(viewNotes(pendingDissolve).map((n) => n.cluster)).toEqual([null, null]);
    expect(viewClusters(failChange(pendingDissolve, 'x', err('x', 'not_found')).state)).toHaveLength(1);
  });

  it('the lock: a pending change shows, then the server’s word; the activity is the fallback', () => {
    const a = activity({ locked: true });
    expect(viewLocked(undefined, a)).toBe(true);
    expect(viewLocked(board([]), activity())).toBe(false);
    let s = board([], [], false);
    expect(viewLocked(s, a)).toBe(false); // the board push is newer than nothing
    s = addPending(s, { op: 'l1', kind: 'lock', locked: true });
    expect(viewLocked(s, activity())).toBe(true);
    expect(viewLocked(failChange(s, 'l1', err('l1', 'not_allowed')).state, activity())).toBe(false);
    expect(ackChange(s, 'l1').locked).toBe(true);
  });

  it('participants may change the board only while it is open and not locked, and are told why not', () => {
    expect(readOnlyReason(activity(), false)).toBeNull();
    expect(readOnlyReason(activity(), true)).toBe('locked');
    expect(readOnlyReason(activity({ state: 'closed' }), false)).toBe('closed');
    expect(readOnlyReason(activity({ state: 'revealed' }), false)).toBe('revealed');
  });
});

describe('dot-voting', () => {
  const three = boardSettings(activity({ dots_per_person: 3 }));
  const twoPerNote = boardSettings(activity({ dots_per_person: 3, dots_per_note: 2 }));

  it('fills the defaults of the contract', () => {
    expect(boardSettings(activity())).toEqual({ columns: [], dotsPerPerson: 0, dotsPerNote: 0, dotTotals: 'live', hiddenUntilReveal: false });
    expect(three.dotsPerNote).toBe(1);
    expect(boardSettings(activity({ dots_per_person: 3, dots_per_note: 9 })).dotsPerNote).toBe(3);
    expect(boardSettings(activity({ dots_per_person: 3, dot_totals: 'on_reveal' })).dotTotals).toBe('on_reveal');
  });

  it('dots left = dots_per_person − my dots on every note', () => {
    const notes = [note('a', { my_dots: 1 }), note('b', { my_dots: 1 }), note('c')];
    expect(dotsUsed(notes)).toBe(2);
    expect(dotsLeft(three, notes)).toBe(1);
    expect(dotsLeft(three, [...notes, note('d', { my_dots: 5 })])).toBe(0); // never below 0
  });

  it('obeys dots_per_note and the budget', () => {
    const a = note('a', { my_dots: 1 });
    const b = note('b');
    expect(canAddDot(three, [a, b], a)).toBe(false); // one dot per note
    expect(canAddDot(three, [a, b], b)).toBe(true);
    expect(canAddDot(twoPerNote, [a, b], a)).toBe(true);
    const full = [note('a', { my_dots: 2 }), note('b', { my_dots: 1 })];
    expect(canAddDot(twoPerNote, full, full[1]!)).toBe(false); // budget spent
    expect(canRemoveDot(three, a)).toBe(true);
    expect(canRemoveDot(three, b)).toBe(false);
    expect(canAddDot(boardSettings(activity()), [b], b)).toBe(false); // no dot-voting on this board
    expect(canAddDot(three, [b], { ...b, id: tempNoteId('op') })).toBe(false); // not before the server names it
  });

  it('a dot shows at once (own and total), and is taken back on error', () => {
    let s = board([note('n_1', { dots: 4, my_dots: 0 })]);
    s = addPending(s, { op: 'd', kind: 'dot', note: 'n_1', on: true, applied: false });
    expect(viewNotes(s)[0]).toMatchObject({ dots: 5, my_dots: 1, pending: true });
    expect(dotsLeft(three, viewNotes(s))).toBe(2);
    const back = failChange(s, 'd', err('d', 'not_allowed')).state;
    expect(viewNotes(back)[0]).toMatchObject({ dots: 4, my_dots: 0 });
  });

  it('is counted once whether the push comes before or after the ack', () => {
    const start = board([note('n_1', { dots: 4, my_dots: 0 })]);
    const sent = addPending(start, { op: 'd', kind: 'dot', note: 'n_1', on: true, applied: false });
    const pushed = note('n_1', { dots: 5, my_dots: 1 });
    // push, then ack
    let s = applyPush(sent, { type: 'note', activity: A, note: pushed });
    expect(viewNotes(s)[0]).toMatchObject({ dots: 5, my_dots: 1 });
    s = ackChange(s, 'd');
    expect(viewNotes(s)[0]).toMatchObject({ dots: 5, my_dots: 1 });
    // ack, then push
    s = ackChange(sent, 'd');
    expect(viewNotes(s)[0]).toMatchObject({ dots: 5, my_dots: 1 });
    s = applyPush(s, { type: 'note', activity: A, note: pushed });
    expect(viewNotes(s)[0]).toMatchObject({ dots: 5, my_dots: 1 });
    // a whole-board push counts as well
    s = applyPush(sent, { type: 'board', activity: A, notes: [pushed], clusters: [] });
    expect(viewNotes(ackChange(s, 'd'))[0]).toMatchObject({ dots: 5, my_dots: 1 });
  });

  it('someone else’s dot in a push does not swallow my pending one', () => {
    let s = board([note('n_1', { dots: 4, my_dots: 0 })]);
    s = addPending(s, { op: 'd', kind: 'dot', note: 'n_1', on: true, applied: false });
    s = applyPush(s, { type: 'note', activity: A, note: note('n_1', { dots: 5, my_dots: 0 }) });
    expect(viewNotes(s)[0]).toMatchObject({ dots: 6, my_dots: 1 });
  });

  it('taking a dot back works the same way', () => {
    let s = board([note('n_1', { dots: 2, my_dots: 1 })]);
    s = addPending(s, { op: 'u', kind: 'dot', note: 'n_1', on: false, applied: false });
    expect(viewNotes(s)[0]).toMatchObject({ dots: 1, my_dots: 0 });
    s = applyPush(s, { type: 'note', activity: A, note: note('n_1', { dots: 1, my_dots: 0 }) });
    expect(ackChange(s, 'u').notes[0]).toMatchObject({ dots: 1, my_dots: 0 });
  });

  it('hidden totals stay hidden', () => {
    let s = board([note('n_1', { dots: null, my_dots: 0 })]);
    s = addPending(s, { op: 'd', kind: 'dot', note: 'n_1', on: true, applied: false });
    expect(viewNotes(s)[0]).toMatchObject({ dots: null, my_dots: 1 });
    expect(ackChange(s, 'd').notes[0]).toMatchObject({ dots: null, my_dots: 1 });
  });
});

describe('what the room may see', () => {
  it('hidden mode shows no note texts on the projector until the reveal', () => {
    expect(notesVisibleToRoom(activity())).toBe(true);
    expect(notesVisibleToRoom(activity({ hidden_until_reveal: true }))).toBe(false);
    expect(notesVisibleToRoom(activity({ hidden_until_reveal: true, state: 'closed' }))).toBe(false);
    expect(notesVisibleToRoom(activity({ hidden_until_reveal: true, state: 'revealed' }))).toBe(true);
  });

  it('dot totals go up when they are live or revealed, and only on boards with dots', () => {
    expect(dotsVisibleToRoom(activity({ dots_per_person: 3 }))).toBe(true);
    expect(dotsVisibleToRoom(activity({ dots_per_person: 3, dot_totals: 'on_reveal' }))).toBe(false);
    expect(dotsVisibleToRoom(activity({ dots_per_person: 3, dot_totals: 'on_reveal', state: 'revealed' }))).toBe(true);
    expect(dotsVisibleToRoom(activity())).toBe(false);
  });

  it('notes the facilitator hid never reach the room; counts per column for hidden mode', () => {
    const notes = [note('a', { column: 'value' }), note('b', { column: 'value', hidden: true }), note('c', { column: 'risk' })];
    expect(roomNotes(notes).map((n) => n.id)).toEqual(['a', 'c']);
    expect(columnCounts(roomNotes(notes), cols).map((c) => [c.id, c.count])).toEqual([
      ['value', 1],
      ['risk', 1],
      ['metrics', 0],
    ]);
  });
});

describe('grouping by column and cluster', () => {
  const clusters: Cluster[] = [
    { id: 'k_b', label: { en: 'B' } },
    { id: 'k_a', label: { en: 'A' } },
  ];

  it('lanes follow the columns; clusters in the board’s order, then the rest; notes by position', () => {
    const notes = [
      note('1', { column: 'risk', y: 0.9 }),
      note('2', { column: 'value', y: 0.5, cluster: 'k_a' }),
      note('3', { column: 'value', y: 0.2, cluster: 'k_a' }),
      note('4', { column: 'value', y: 0.1 }),
      note('5', { column: 'value', y: 0.3, cluster: 'k_b' }),
      note('6', { column: 'risk', y: 0.1 }),
    ];
    const lanes = groupNotes(notes, cols, clusters);
    expect(lanes.map((l) => [l.id, l.count])).toEqual([
      ['value', 4],
      ['risk', 2],
      ['metrics', 0],
    ]);
    expect(lanes[0]!.groups.map((g) => [g.cluster?.id ?? null, g.notes.map((n) => n.id)])).toEqual([
      ['k_b', ['5']],
      ['k_a', ['3', '2']],
      [null, ['4']],
    ]);
    expect(lanes[1]!.groups).toEqual([{ cluster: null, notes: [notes[5], notes[0]] }]);
    expect(displayOrder(lanes).map((n) => n.id)).toEqual(['5', '3', '2', '4', '6', '1']);
  });

  it('notes in no known column get a lane of their own, only when there are some', () => {
    const lanes = groupNotes([note('1', { column: null }), note('2', { column: 'gone' })], cols, []);
    expect(lanes.map((l) => l.id)).toEqual(['value', 'risk', 'metrics', null]);
    expect(lanes[3]!.count).toBe(2);
  });

  it('a board without columns is one lane; ties keep the server’s order; x breaks ties of y', () => {
    const lanes = groupNotes([note('1', { y: 0.5, x: 0.9 }), note('2', { y: 0.5, x: 0.1 }), note('3', { y: 0.5, x: 0.1 })], [], []);
    expect(lanes).toHaveLength(1);
    expect(lanes[0]!.id).toBeNull();
    expect(lanes[0]!.groups[0]!.notes.map((n) => n.id)).toEqual(['2', '3', '1']);
  });

  it('a note in a cluster the board no longer has counts as in no cluster', () => {
    const lanes = groupNotes([note('1', { cluster: 'k_gone' })], [], clusters);
    expect(lanes[0]!.groups).toEqual([{ cluster: null, notes: [expect.objectContaining({ id: '1' })] }]);
  });
});

describe('moving with the keyboard', () => {
  const notes = [
    note('v1', { column: 'value', y: 0.2 }),
    note('v2', { column: 'value', y: 0.4 }),
    note('v3', { column: 'value', y: 0.6 }),
    note('r1', { column: 'risk', y: 0.3 }),
  ];
  const lanes = groupNotes(notes, cols, []);

  it('Right and Left go to the next and previous column, after its last note', () => {
    const mv = keyboardMove(lanes, cols, 'v2', 'ArrowRight');
    expect(mv).toMatchObject({ note: 'v2', column: 'risk', effect: { kind: 'column', column: cols[1] } });
    expect(mv!.y).toBeCloseTo(0.65);
    expect(keyboardMove(lanes, cols, 'r1', 'ArrowRight')).toMatchObject({ column: 'metrics', y: 0.3 });
    expect(keyboardMove(lanes, cols, 'r1', 'ArrowLeft')).toMatchObject({ column: 'value' });
    expect(keyboardMove(lanes, cols, 'v1', 'ArrowLeft')).toBeNull();
  });

  it('Up and Down move one place, to a position between the neighbours on the other side', () => {
    const up = keyboardMove(lanes, cols, 'v3', 'ArrowUp')!;
    expect(up.effect).toEqual({ kind: 'earlier', past: notes[1] });
    expect(up.y).toBeCloseTo(0.3);
    const moved = notes.map((n) => (n.id === 'v3' ? { ...n, y: up.y! } : n));
    expect(groupNotes(moved, cols, [])[0]!.groups[0]!.notes.map((n) => n.id)).toEqual(['v1', 'v3', 'v2']);
    expect(keyboardMove(lanes, cols, 'v1', 'ArrowUp')).toBeNull();
    expect(keyboardMove(lanes, cols, 'v3', 'ArrowDown')).toBeNull();
    const first = keyboardMove(lanes, cols, 'v2', 'ArrowUp')!;
    expect(first.y).toBeCloseTo(0.1);
    const last = keyboardMove(lanes, cols, 'v2', 'ArrowDown')!;
    expect(last.effect.kind).toBe('later');
    expect(last.y).toBeCloseTo(0.8);
  });

  it('on a board without columns, Left and Right move earlier and later', () => {
    const free = groupNotes([note('a', { y: 0.1 }), note('b', { y: 0.5 })], [], []);
    expect(keyboardMove(free, [], 'b', 'ArrowLeft')!.effect.kind).toBe('earlier');
    expect(keyboardMove(free, [], 'a', 'ArrowRight')!.effect.kind).toBe('later');
  });

  it('neighbours at the same height are passed by x', () => {
    const tied = groupNotes([note('a', { y: 0.5, x: 0.5 }), note('b', { y: 0.5, x: 0.5 })], [], []);
    const mv = keyboardMove(tied, [], 'b', 'ArrowUp')!;
    const after = groupNotes([note('a', { y: 0.5, x: 0.5 }), note('b', { y: mv.y!, x: mv.x! })], [], []);
    expect(after[0]!.groups[0]!.notes.map((n) => n.id)).toEqual(['b', 'a']);
  });

  it('an unknown note does not move', () => {
    expect(keyboardMove(lanes, cols, 'nope', 'ArrowUp')).toBeNull();
  });
});

describe('positions and drops', () => {
  it('between two neighbours, or half way to the edge', () => {
    expect(positionBetween(0.2, 0.4)).toBeCloseTo(0.3);
    expect(positionBetween(null, 0.4)).toBeCloseTo(0.2);
    expect(positionBetween(0.6, null)).toBeCloseTo(0.8);
    expect(positionBetween(null, null)).toBe(0.5);
  });

  it('a drop lands between the notes whose middles are above and below the pointer', () => {
    const others = [
      { y: 0.2, top: 100, bottom: 140 },
      { y: 0.4, top: 150, bottom: 190 },
      { y: 0.6, top: 200, bottom: 240 },
    ];
    const mid = dropPosition(others, 160, 0.3);
    expect(mid.x).toBe(0.3);
    expect(mid.y).toBeCloseTo(0.3);
    expect(dropPosition(others, 50, 1.4)).toEqual({ x: 1, y: 0.1 });
    expect(dropPosition(others, 500, -1).y).toBeCloseTo(0.8);
    expect(dropPosition([], 10, 0.5)).toEqual({ x: 0.5, y: 0.5 });
  });
});

describe('note text', () => {
  it('is checked as the server checks it', () => {
    expect(textProblem('')).toBe('empty');
    expect(textProblem('   \n ')).toBe('empty');
    expect(textProblem('Funding beyond pilots')).toBeNull();
    expect(textProblem('line one\nline two')).toBeNull();
    expect(textProblem('x'.repeat(280))).toBeNull();
    expect(textProblem(`  ${'x'.repeat(280)}  `)).toBeNull();
    expect(textProblem('x'.repeat(281))).toBe('too_long');
    expect(textProblem('<b>bold</b>')).toBe('markup');
    expect(textProblem('</p>')).toBe('markup');
    expect(textProblem('<!-- c -->')).toBe('markup');
    expect(textProblem('a < b and 3<4')).toBeNull();
    expect(textProblem('bell\u0007')).toBe('control');
    expect(textProblem('tab\tinside')).toBe('control');
    expect(textProblem('invoice\u202efdp.exe')).toBe('control');
    expect(textProblem('\u2067x')).toBe('control');
    expect(textProblem('nel\u0085')).toBe('control');
    expect(textProblem('\u0085')).toBe('control');
    expect(textProblem('\uffff')).toBe('control');
    expect(textProblem('\u{1fffe}')).toBe('control');
    expect(textProblem('\u200b\u200d\u2060')).toBe('empty');
    expect(textProblem('\u3164 \u2800')).toBe('empty');
    expect(textProblem('\u200b.')).toBeNull();
    expect(textProblem('\u05e9\u05dc\u05d5\u05dd')).toBeNull();
  });

  it('is counted after normalisation to NFC', () => {
    expect(noteLength('e\u0301'.repeat(280))).toBe(280);
    expect(textProblem('e\u0301'.repeat(280))).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(noteLength('ŵ👍🏽')).toBe(3);
    expect(textProblem('👍'.repeat(280))).toBeNull();
  });
});

describe('selection and cluster ids', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];

  it('a click toggles one note; a shift-click ticks the range from the last one clicked', () => {
    let sel = toggleSelection(new Set(), order, 'b', null, false);
    expect([...sel]).toEqual(['b']);
    sel = toggleSelection(sel, order, 'd', 'b', true);
    expect([...sel].sort()).toEqual(['b', 'c', 'd']);
    sel = toggleSelection(sel, order, 'c', 'd', false);
    expect([...sel].sort()).toEqual(['b', 'd']);
    // Shift-click from an unticked note unticks the range.
    sel = toggleSelection(sel, order, 'e', 'c', true);
    expect([...sel]).toEqual(['b']);
  });

  it('cluster ids follow the contract', () => {
    let i = 0;
    const id = newClusterId(() => (i++ % 10) / 10);
    expect(id).toMatch(/^k_[A-Za-z0-9]{12}$/);
    expect(newClusterId()).not.toBe(newClusterId());
  });

  it('an empty board is empty', () => {
    expect(viewNotes(undefined)).toEqual([]);
    expect(viewClusters(undefined)).toEqual([]);
    expect(viewNotes(emptyBoard(A))).toEqual([]);
  });
});
