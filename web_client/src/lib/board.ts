// Sticky-note boards in the browser: pure functions over a BoardState (board_push.ts) that
// the board screens use. Nothing here touches the socket or Svelte; board_model.svelte.ts
// sends the requests and calls these. See docs/protocol.md, Boards for the contract.
//
// - Local changes: `addPending` lays a change over the board at once; `ackChange` folds it
//   into the server's state when acked (so nothing flickers back before the push arrives);
//   `failChange` drops it again (rollback), and an edit refused with `conflict` keeps the
//   server's newer note and remembers the text the person tried to save.
// - Dots: the budget rules the server enforces (dots_per_person in all, dots_per_note on one
//   note), mirrored so buttons are disabled rather than refused.
// - Layout: notes are shown in lanes (columns) and, inside a lane, by cluster; within a group
//   they are ordered by their position (y, then x). Positions are fractions 0..1; moving a note
//   between two others gives it a position between theirs.

import { applyPush, emptyBoard, type BoardState, type Conflict, type PendingChange } from './board_push';
import { textLength, textProblem as plainTextProblem, type TextProblem } from './plain_text';
import { isRevealed, type AckMessage, type BoardActivity, type BoardColumn, type Cluster, type ErrorMessage, type Note } from './protocol';

export { applyPush, emptyBoard };
export type { BoardState, Conflict, PendingChange };

export const MAX_NOTE_CHARS = 280;

/** A board's settings with the defaults of docs/protocol.md, Boards filled in. */
export interface BoardSettings {
  columns: BoardColumn[];
  dotsPerPerson: number;
  /** At most this many of one person's dots on one note (1..dotsPerPerson). */
  dotsPerNote: number;
  dotTotals: 'live' | 'on_reveal';
  hiddenUntilReveal: boolean;
}

export function boardSettings(a: BoardActivity): BoardSettings {
  const dotsPerPerson = Math.max(0, Math.floor(a.dots_per_person ?? 0));
  const perNote = Math.floor(a.dots_per_note ?? 1);
  return {
    columns: a.columns ?? [],
    dotsPerPerson,
    dotsPerNote: dotsPerPerson === 0 ? 0 : Math.min(Math.max(1, perNote), dotsPerPerson),
    dotTotals: a.dot_totals === 'on_reveal' ? 'on_reveal' : 'live',
    hiddenUntilReveal: a.hidden_until_reveal === true,
  };
}

/** A note as shown: the server's note with this browser's unacknowledged changes laid over it. */
export interface ViewNote extends Note {
  /** A change to it is waiting for the server ("Saving…"). */
  pending: boolean;
}

/** The id a note being added has until the server names it. */
export function tempNoteId(op: string): string {
  return `tmp:${op}`;
}

export function isTempNote(id: string): boolean {
  return id.startsWith('tmp:');
}

/** Requests with the same key replace each other while unsent (connection.ts), so their pending changes do too. */
export function pendingKey(p: PendingChange): string | undefined {
  if (p.kind === 'move' || p.kind === 'edit' || p.kind === 'hide') return `${p.kind}:${p.note}`;
  if (p.kind === 'lock') return 'lock';
  return undefined;
}

/** Lays a new local change over the board (replacing an earlier one with the same key). */
export function addPending(state: BoardState, change: PendingChange): BoardState {
  const key = pendingKey(change);
  const pending = key === undefined ? state.pending : state.pending.filter((p) => pendingKey(p) !== key);
  const conflicts = change.kind === 'edit' ? state.conflicts.filter((c) => c.note !== change.note) : state.conflicts;
  return { ...state, pending: [...pending, change], conflicts };
}

/** The server acked `op`: its change becomes part of the server's state. */
export function ackChange(state: BoardState, op: string, ack?: AckMessage): BoardState {
  const p = state.pending.find((x) => x.op === op);
  if (!p) return state;
  const s: BoardState = { ...state, pending: state.pending.filter((x) => x !== p) };
  const update = (id: string, f: (n: Note) => Note): Note[] => s.notes.map((n) => (n.id === id ? f(n) : n));
  switch (p.kind) {
    case 'add': {
      const id = ack?.note;
      if (!id || s.notes.some((n) => n.id === id)) return s; // no id (older server), or its push came first
      const note: Note = {
        id,
        text: p.text.trim(),
        colour: p.colour,
        column: p.column,
        x: p.x,
        y: p.y,
        version: 1,
        cluster: null,
        dots: p.dots,
        my_dots: 0,
        mine: true,
      };
      return { ...s, notes: [...s.notes, note] };
    }
    case 'edit':
      // Folded only if no push has changed the note since (a push is the server's word).
      return {
        ...s,
        notes: update(p.note, (n) => (n.version === p.base ? { ...n, text: p.text.trim(), version: n.version + 1 } : n)),
      };
    case 'move':
      return {
        ...s,
        notes: update(p.note, (n) => (n.version === p.base ? { ...moved(n, p), version: n.version + 1 } : n)),
      };
    case 'hide':
      return {
        ...s,
        notes: update(p.note, (n) => (n.version === p.base ? { ...n, hidden: p.hidden, version: n.version + 1 } : n)),
      };
    case 'delete':
      return { ...s, notes: s.notes.filter((n) => n.id !== p.note) };
    case 'dot':
      if (p.applied) return s;
      return { ...s, notes: update(p.note, (n) => withDot(n, p.on)) };
    case 'cluster':
      return { ...s, ...clustered(s.notes, s.clusters, p) };
    case 'dissolve':
      return { ...s, ...dissolved(s.notes, s.clusters, p.cluster) };
    case 'lock':
      return { ...s, locked: p.locked };
  }
}

/**
 * The server refused `op`: the change is taken back. An edit refused with `conflict` and the
 * current note keeps that note and remembers the text the person tried to save, so the screen
 * can show both and let them apply it again.
 */
export function failChange(
  state: BoardState,
  op: string,
  error: ErrorMessage,
): { state: BoardState; change: PendingChange | undefined } {
  const p = state.pending.find((x) => x.op === op);
  if (!p) return { state, change: undefined };
  let s: BoardState = { ...state, pending: state.pending.filter((x) => x !== p) };
  if (error.code === 'conflict' && error.note) {
    s = applyPush(s, { type: 'note', activity: s.activity, note: error.note });
    if (p.kind === 'edit') s = { ...s, conflicts: [...s.conflicts.filter((c) => c.note !== p.note), { note: p.note, text: p.text }] };
  }
  return { state: s, change: p };
}

/** The person chose what to do about a conflict (keep the newer text, or edit again). */
export function dropConflict(state: BoardState, note: string): BoardState {
  return { ...state, conflicts: state.conflicts.filter((c) => c.note !== note) };
}

function moved(n: Note, p: { column?: string | null; x?: number; y?: number }): Note {
  return {
    ...n,
    column: p.column !== undefined ? p.column : n.column,
    x: p.x !== undefined ? p.x : n.x,
    y: p.y !== undefined ? p.y : n.y,
  };
}

function withDot(n: Note, on: boolean): Note {
  const d = on ? 1 : -1;
  return { ...n, my_dots: Math.max(0, n.my_dots + d), dots: n.dots === null ? null : Math.max(0, n.dots + d) };
}

function clustered(
  notes: Note[],
  clusters: Cluster[],
  p: { cluster: string | null; label?: Cluster['label']; notes: string[] },
): { notes: Note[]; clusters: Cluster[] } {
  let cs = clusters;
  if (p.cluster !== null && p.label) {
    const label = p.label;
    const id = p.cluster;
    cs = cs.some((c) => c.id === id) ? cs.map((c) => (c.id === id ? { ...c, label } : c)) : [...cs, { id, label }];
  }
  const ids = new Set(p.notes);
  return { notes: notes.map((n) => (ids.has(n.id) ? { ...n, cluster: p.cluster } : n)), clusters: cs };
}

function dissolved(notes: Note[], clusters: Cluster[], id: string): { notes: Note[]; clusters: Cluster[] } {
  return {
    notes: notes.map((n) => (n.cluster === id ? { ...n, cluster: null } : n)),
    clusters: clusters.filter((c) => c.id !== id),
  };
}

/** The notes as shown: the server's notes with the pending changes laid over them, in order. */
export function viewNotes(state: BoardState | undefined): ViewNote[] {
  if (!state) return [];
  const notes = new Map<string, ViewNote>(state.notes.map((n) => [n.id, { ...n, pending: false }]));
  const change = (id: string, f: (n: ViewNote) => ViewNote) => {
    const n = notes.get(id);
    if (n) notes.set(id, { ...f(n), pending: true });
  };
  for (const p of state.pending) {
    switch (p.kind) {
      case 'add':
        if (p.arrived) break; // the server's note is already shown
        notes.set(tempNoteId(p.op), {
          id: tempNoteId(p.op),
          text: p.text.trim(),
          colour: p.colour,
          column: p.column,
          x: p.x,
          y: p.y,
          version: 0,
          cluster: null,
          dots: p.dots,
          my_dots: 0,
          mine: true,
          pending: true,
        });
        break;
      case 'edit':
        change(p.note, (n) => ({ ...n, text: p.text.trim() }));
        break;
      case 'move':
        change(p.note, (n) => ({ ...moved(n, p), pending: true }));
        break;
      case 'delete':
        notes.delete(p.note);
        break;
      case 'dot':
        if (!p.applied) change(p.note, (n) => ({ ...withDot(n, p.on), pending: true }));
        break;
      case 'hide':
        change(p.note, (n) => ({ ...n, hidden: p.hidden }));
        break;
      case 'cluster': {
        const ids = new Set(p.notes);
        for (const n of notes.values()) if (ids.has(n.id)) notes.set(n.id, { ...n, cluster: p.cluster, pending: true });
        break;
      }
      case 'dissolve':
        for (const n of notes.values()) if (n.cluster === p.cluster) notes.set(n.id, { ...n, cluster: null, pending: true });
        break;
      case 'lock':
        break;
    }
  }
  return [...notes.values()];
}

/** The clusters as shown (pending creations, renames and dissolutions included). */
export function viewClusters(state: BoardState | undefined): Cluster[] {
  if (!state) return [];
  let cs = state.clusters;
  for (const p of state.pending) {
    if (p.kind === 'cluster') cs = clustered([], cs, p).clusters;
    else if (p.kind === 'dissolve') cs = cs.filter((c) => c.id !== p.cluster);
  }
  return cs;
}

/** Whether the board is locked, as shown (a pending lock or unlock counts). */
export function viewLocked(state: BoardState | undefined, activity: BoardActivity): boolean {
  const pending = state?.pending ?? [];
  for (let i = pending.length - 1; i >= 0; i--) {
    const p = pending[i]!;
    if (p.kind === 'lock') return p.locked;
  }
  return state?.locked ?? activity.locked ?? false;
}

// ---- who may do what (mirrors the server; it has the last word) ----

/** Participants may change the board only while it is open and not locked. */
export function participantCanChange(activity: BoardActivity, locked: boolean): boolean {
  return activity.state === 'open' && !locked;
}

/** Why a participant cannot change the board now (null: they can). */
export function readOnlyReason(activity: BoardActivity, locked: boolean): 'locked' | 'closed' | 'revealed' | 'pending' | null {
  if (activity.state === 'pending') return 'pending';
  if (activity.state === 'revealed') return 'revealed';
  if (activity.state === 'closed') return 'closed';
  return locked ? 'locked' : null;
}

/** The dots this person has placed (pending ones included). */
export function dotsUsed(notes: readonly Note[]): number {
  return notes.reduce((sum, n) => sum + Math.max(0, n.my_dots), 0);
}

/** dots_per_person − the dots placed, never below 0. */
export function dotsLeft(settings: BoardSettings, notes: readonly Note[]): number {
  return Math.max(0, settings.dotsPerPerson - dotsUsed(notes));
}

/** Whether one more dot may go on `note` (the server's budget rules). */
export function canAddDot(settings: BoardSettings, notes: readonly Note[], note: Note): boolean {
  if (settings.dotsPerPerson === 0 || isTempNote(note.id)) return false;
  return dotsLeft(settings, notes) > 0 && note.my_dots < settings.dotsPerNote;
}

/** Whether a dot may be taken back from `note`. */
export function canRemoveDot(settings: BoardSettings, note: Note): boolean {
  return settings.dotsPerPerson > 0 && note.my_dots > 0 && !isTempNote(note.id);
}

// ---- what the room may see (presenter) ----

/** Note texts go on the projector only when the board is not in hidden mode, or once revealed. */
export function notesVisibleToRoom(activity: BoardActivity): boolean {
  return !boardSettings(activity).hiddenUntilReveal || isRevealed(activity);
}

/** Dot totals go on the projector when they are live, or once revealed. */
export function dotsVisibleToRoom(activity: BoardActivity): boolean {
  const s = boardSettings(activity);
  return s.dotsPerPerson > 0 && (s.dotTotals === 'live' || isRevealed(activity));
}

/** The notes the room may ever see: never those the facilitator hid. */
export function roomNotes<N extends Note>(notes: readonly N[]): N[] {
  return notes.filter((n) => !n.hidden);
}

// ---- grouping by column and cluster ----

export interface NoteGroup<N extends Note = ViewNote> {
  cluster: Cluster | null;
  notes: N[];
}

export interface Lane<N extends Note = ViewNote> {
  /** The column id, or null: the whole board (no columns), or notes in no known column. */
  id: string | null;
  column: BoardColumn | null;
  groups: NoteGroup<N>[];
  count: number;
}

/** Reading order inside a group: by position, top to bottom, then left to right (stable). */
export function byPosition(a: Note, b: Note): number {
  return a.y - b.y || a.x - b.x;
}

/**
 * The notes by column (in the board's order; notes whose column is unknown in a lane of
 * their own at the end, only when there are any) and, inside each, by cluster (in the
 * board's order, then the notes in no cluster).
 */
export function groupNotes<N extends Note>(notes: readonly N[], columns: readonly BoardColumn[], clusters: readonly Cluster[]): Lane<N>[] {
  const known = new Set(columns.map((c) => c.id));
  const laneOf = (n: Note) => (n.column !== null && known.has(n.column) ? n.column : null);
  const lanes: Lane<N>[] = columns.map((c) => ({ id: c.id, column: c, groups: [], count: 0 }));
  const loose: Lane<N> = { id: null, column: null, groups: [], count: 0 };
  const clusterIds = new Set(clusters.map((c) => c.id));
  for (const lane of [...lanes, loose]) {
    const inLane = notes.filter((n) => laneOf(n) === lane.id).sort(byPosition);
    lane.count = inLane.length;
    for (const c of clusters) {
      const ns = inLane.filter((n) => n.cluster === c.id);
      if (ns.length) lane.groups.push({ cluster: c, notes: ns });
    }
    const rest = inLane.filter((n) => n.cluster === null || !clusterIds.has(n.cluster));
    if (rest.length) lane.groups.push({ cluster: null, notes: rest });
  }
  if (columns.length === 0 || loose.count > 0) lanes.push(loose);
  return lanes;
}

/** Notes per column (hidden mode on the projector: counts, not texts). */
export function columnCounts(notes: readonly Note[], columns: readonly BoardColumn[]): { id: string | null; column: BoardColumn | null; count: number }[] {
  return groupNotes(notes, columns, []).map((l) => ({ id: l.id, column: l.column, count: l.count }));
}

/** The notes in display order (lane by lane, group by group): for range selection and print. */
export function displayOrder<N extends Note>(lanes: readonly Lane<N>[]): N[] {
  return lanes.flatMap((l) => l.groups.flatMap((g) => g.notes));
}

// ---- positions and moves ----

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** A position between two neighbours' (null: the start or end of the lane). */
export function positionBetween(before: number | null, after: number | null): number {
  const a = before ?? 0;
  const b = after ?? 1;
  if (before === null && after !== null) return clamp01(after / 2);
  if (after === null && before !== null) return clamp01((before + 1) / 2);
  return clamp01((a + b) / 2);
}

/** Where a new note goes: after the last note of its lane. */
export function positionForNew(notes: readonly Note[], column: string | null): { x: number; y: number } {
  const ys = notes.filter((n) => n.column === column).map((n) => n.y);
  return { x: 0.5, y: ys.length ? positionBetween(Math.max(...ys), null) : 0.1 };
}

/** Where a note is moved to: a column and/or a position (each field given is set). */
export interface NoteMoveTarget {
  column?: string | null;
  x?: number;
  y?: number;
}

export type MoveKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

export function isMoveKey(key: string): key is MoveKey {
  return key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight';
}

export interface Move {
  note: string;
  column?: string | null;
  x?: number;
  y?: number;
  /** What happened, for the screen-reader announcement. */
  effect: { kind: 'column'; column: BoardColumn } | { kind: 'earlier' | 'later'; past: Note };
}

/**
 * The move an arrow key makes on a note: Left/Right to the previous/next column (boards with
 * columns); Up/Down — and Left/Right on boards without columns — one place earlier/later among
 * the notes of its group (it gets a position between the neighbours on the other side).
 * Null when it cannot go further.
 */
export function keyboardMove(lanes: readonly Lane<Note>[], columns: readonly BoardColumn[], noteId: string, key: MoveKey): Move | null {
  const lane = lanes.find((l) => l.groups.some((g) => g.notes.some((n) => n.id === noteId)));
  const group = lane?.groups.find((g) => g.notes.some((n) => n.id === noteId));
  if (!lane || !group) return null;
  const i = group.notes.findIndex((n) => n.id === noteId);
  const note = group.notes[i]!;
  if (columns.length > 0 && (key === 'ArrowLeft' || key === 'ArrowRight')) {
    const at = lane.id === null ? (key === 'ArrowRight' ? -1 : columns.length) : columns.findIndex((c) => c.id === lane.id);
    const target = columns[at + (key === 'ArrowRight' ? 1 : -1)];
    if (!target) return null;
    // Placed after the last note of the target column, like a new note there.
    const ys = lanes.find((l) => l.id === target.id)?.groups.flatMap((g) => g.notes.map((n) => n.y)) ?? [];
    return { note: noteId, column: target.id, y: ys.length ? positionBetween(Math.max(...ys), null) : note.y, effect: { kind: 'column', column: target } };
  }
  const earlier = key === 'ArrowUp' || key === 'ArrowLeft';
  const ns = group.notes;
  const j = earlier ? i - 1 : i + 1;
  const past = ns[j];
  if (!past) return null;
  const beyond = ns[earlier ? j - 1 : j + 1]?.y ?? null;
  let y = earlier ? positionBetween(beyond, past.y) : positionBetween(past.y, beyond);
  let x = note.x;
  if (y === past.y) {
    // Neighbours at the same height (or at the edge of the board): the tie goes by x.
    y = past.y;
    x = clamp01(past.x + (earlier ? -1e-6 : 1e-6));
    if (x === past.x) return null;
  }
  return { note: noteId, x, y, effect: { kind: earlier ? 'earlier' : 'later', past } };
}

/**
 * Where a note dropped at `pointerY` in a lane goes: between the notes above and below the
 * pointer (their on-screen middles decide), at the pointer's `xFraction` across the lane.
 * `others` are the lane's other notes in display order with their on-screen extents.
 */
export function dropPosition(
  others: readonly { y: number; top: number; bottom: number }[],
  pointerY: number,
  xFraction: number,
): { x: number; y: number } {
  let before: number | null = null;
  let after: number | null = null;
  for (const o of others) {
    if (pointerY > (o.top + o.bottom) / 2) before = o.y;
    else {
      after = o.y;
      break;
    }
  }
  return { x: clamp01(xFraction), y: positionBetween(before, after) };
}

// ---- text ----

export type { TextProblem };

/** Length as the server counts it (characters, not UTF-16 units), after trimming. */
export const noteLength = textLength;

/** What the server would refuse in a note's text (docs/protocol.md, Boards), or null. */
export function textProblem(text: string): TextProblem | null {
  return plainTextProblem(text, MAX_NOTE_CHARS);
}

/** A new cluster id: `k_` and 12 random letters and digits (docs/protocol.md, Boards: 1–64 of A-Z a-z 0-9 _ -). */
export function newClusterId(random: () => number = Math.random): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let id = 'k_';
  for (let i = 0; i < 12; i++) id += chars[Math.floor(random() * chars.length)];
  return id;
}

/** The selection after a click on a note's checkbox; shift-click selects the range from the last one clicked. */
export function toggleSelection(
  selected: ReadonlySet<string>,
  order: readonly string[],
  id: string,
  anchor: string | null,
  shift: boolean,
): Set<string> {
  const next = new Set(selected);
  if (shift && anchor !== null && anchor !== id) {
    const a = order.indexOf(anchor);
    const b = order.indexOf(id);
    if (a >= 0 && b >= 0) {
      const on = selected.has(anchor);
      for (const x of order.slice(Math.min(a, b), Math.max(a, b) + 1)) {
        if (on) next.add(x);
        else next.delete(x);
      }
      return next;
    }
  }
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
