// The state of one sticky-note board as this browser holds it, and how the server's pushes
// change it (docs/protocol.md, Boards). Pure functions over plain objects: the session applies pushes
// here (this file is small, so it rides in the participant's first download); everything
// else about boards (local changes, dots, grouping) is in board.ts, loaded with the board UI.
//
// A BoardState keeps two layers:
// - `notes`, `clusters`, `locked`: what the server said (its pushes, plus changes it acked);
// - `pending`: this browser's changes that are sent or queued but not yet acked. Screens show
//   the notes with the pending changes laid over them (board.ts `viewNotes`), so a change is
//   seen at once, and it disappears again if the server refuses it (nothing is lost silently:
//   the refusal is reported).
// Every function returns a new state and leaves its arguments as they were.

import type { BoardMessage, BoardPush, Cluster, LocalText, Note, NoteColour } from './protocol';

/** A local change waiting for the server's answer to its op. */
export type PendingChange =
  | {
      op: string;
      kind: 'add';
      text: string;
      colour: NoteColour;
      column: string | null;
      x: number;
      y: number;
      /** What the note's total shows until the server says (null: totals hidden). */
      dots: number | null;
      /** The id of the pushed note taken to be this one (its push came before the ack). */
      arrived?: string;
    }
  | { op: string; kind: 'edit'; note: string; text: string; base: number }
  | { op: string; kind: 'move'; note: string; column?: string | null; x?: number; y?: number; base: number }
  | { op: string; kind: 'delete'; note: string }
  /** `applied`: a push already showed this dot (it arrived before the ack). */
  | { op: string; kind: 'dot'; note: string; on: boolean; applied: boolean }
  | { op: string; kind: 'hide'; note: string; hidden: boolean; base: number }
  | { op: string; kind: 'cluster'; cluster: string | null; label?: LocalText; notes: string[] }
  | { op: string; kind: 'dissolve'; cluster: string }
  | { op: string; kind: 'lock'; locked: boolean };

/** An edit the server refused because the note had changed meanwhile (`conflict`). */
export interface Conflict {
  note: string;
  /** The text the person tried to save (the note's current text is in `notes`). */
  text: string;
}

export interface BoardState {
  activity: string;
  notes: Note[];
  clusters: Cluster[];
  /** The board's lock as last said by a board push, an activity push or an acked `board.lock`; null: not said. */
  locked: boolean | null;
  pending: PendingChange[];
  conflicts: Conflict[];
}

export function emptyBoard(activity: string): BoardState {
  return { activity, notes: [], clusters: [], locked: null, pending: [], conflicts: [] };
}

/** Applies a `board` (replace) or `board.changes` push (each note upserted, then each removal), or one such step. */
export function applyPush(state: BoardState | undefined, msg: BoardPush): BoardState {
  const s = state ?? emptyBoard(msg.activity);
  switch (msg.type) {
    case 'board':
      return replaceBoard(s, msg);
    case 'board.changes': {
      let next = s;
      for (const note of msg.notes) next = applyPush(next, { type: 'note', activity: msg.activity, note });
      for (const note of msg.removed) next = applyPush(next, { type: 'note.removed', activity: msg.activity, note });
      return next;
    }
    case 'note': {
      const old = s.notes.find((n) => n.id === msg.note.id);
      const i = old ? s.notes.indexOf(old) : -1;
      const notes = i >= 0 ? s.notes.map((n, j) => (j === i ? msg.note : n)) : [...s.notes, msg.note];
      let pending = consumeDots(s.pending, msg.note.id, msg.note.my_dots - (old?.my_dots ?? 0));
      if (!old) pending = matchArrivals(pending, [msg.note]);
      return { ...s, notes, pending };
    }
    case 'note.removed':
      return {
        ...s,
        notes: s.notes.filter((n) => n.id !== msg.note),
        conflicts: s.conflicts.filter((c) => c.note !== msg.note),
      };
  }
}

function replaceBoard(s: BoardState, msg: BoardMessage): BoardState {
  const before = new Map(s.notes.map((n) => [n.id, n.my_dots]));
  let pending = s.pending;
  for (const n of msg.notes) {
    const delta = n.my_dots - (before.get(n.id) ?? 0);
    if (delta !== 0) pending = consumeDots(pending, n.id, delta);
  }
  pending = matchArrivals(
    pending,
    msg.notes.filter((n) => !before.has(n.id)),
  );
  const ids = new Set(msg.notes.map((n) => n.id));
  return {
    ...s,
    notes: msg.notes,
    clusters: msg.clusters,
    locked: typeof msg.locked === 'boolean' ? msg.locked : s.locked,
    pending,
    conflicts: s.conflicts.filter((c) => ids.has(c.note)),
  };
}

/**
 * A push changed our own dots on a note by `delta`: the pending dots it accounts for are marked
 * applied (the push arrived before their ack), so they are not counted twice.
 */
function consumeDots(pending: PendingChange[], note: string, delta: number): PendingChange[] {
  if (delta === 0 || !pending.some((p) => p.kind === 'dot' && p.note === note && !p.applied)) return pending;
  let left = delta;
  return pending.map((p) => {
    if (left === 0 || p.kind !== 'dot' || p.note !== note || p.applied) return p;
    if ((left > 0 && p.on) || (left < 0 && !p.on)) {
      left += p.on ? -1 : 1;
      return { ...p, applied: true };
    }
    return p;
  });
}

/**
 * New notes of mine in a push that arrived before the ack of the `note.add` that made them:
 * each is matched to the first waiting add with the same text, colour and column, whose
 * placeholder is then no longer shown (so the note does not appear twice until the ack).
 */
function matchArrivals(pending: PendingChange[], fresh: readonly Note[]): PendingChange[] {
  const mine = fresh.filter((n) => n.mine);
  if (mine.length === 0 || !pending.some((p) => p.kind === 'add' && !p.arrived)) return pending;
  const taken = new Set(pending.flatMap((p) => (p.kind === 'add' && p.arrived ? [p.arrived] : [])));
  return pending.map((p) => {
    if (p.kind !== 'add' || p.arrived) return p;
    const n = mine.find((x) => !taken.has(x.id) && x.text === p.text.trim() && x.colour === p.colour && x.column === p.column);
    if (!n) return p;
    taken.add(n.id);
    return { ...p, arrived: n.id };
  });
}

/** An `activity` push said the board is (un)locked. */
export function setLocked(state: BoardState | undefined, activity: string, locked: boolean): BoardState {
  return { ...(state ?? emptyBoard(activity)), locked };
}
