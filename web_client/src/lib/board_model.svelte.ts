// One board's actions for a screen: each sends its request through the session's connection
// (queued, resent after a reconnect with the same op id) and lays its change over the board
// at once (board.ts); the ack folds it in, an error takes it back and is reported in
// `failure`. An edit refused with `conflict` shows the newer text (board.ts `failChange`).

import {
  ackChange,
  addPending,
  boardSettings,
  dropConflict,
  emptyBoard,
  failChange,
  positionForNew,
  viewNotes,
  type BoardState,
  type PendingChange,
} from './board';
import { newOpId, type RequestOptions } from './connection';
import { isRevealed, type BoardActivity, type BoardRequest, type ErrorCode, type LocalText, type NoteColour, type Request } from './protocol';

/** What the model needs of the session (a WorkshopSession; a fake one in tests). */
export interface BoardSessionLike {
  readonly boards: Record<string, BoardState>;
  updateBoard(activity: string, f: (state: BoardState | undefined) => BoardState): void;
  request(req: Request, opts?: RequestOptions): string;
}

export interface BoardFailure {
  action: PendingChange['kind'];
  code: ErrorCode;
  message?: string;
}

export class BoardModel {
  /** The last change the server refused (null after the next change). */
  failure = $state<BoardFailure | null>(null);

  private readonly session: BoardSessionLike;
  private readonly activity: () => BoardActivity;
  private readonly staff: boolean;

  /**
   * @param activity the board as last pushed (read on every action)
   * @param staff true for the facilitator (totals always known; no dots of their own)
   */
  constructor(session: BoardSessionLike, activity: () => BoardActivity, staff = false) {
    this.session = session;
    this.activity = activity;
    this.staff = staff;
  }

  get id(): string {
    return this.activity().id;
  }

  get state(): BoardState {
    return this.session.boards[this.id] ?? emptyBoard(this.id);
  }

  /** Adds a note (at the end of its column); returns the op id. */
  add(note: { text: string; colour: NoteColour; column: string | null }): string {
    const a = this.activity();
    const s = boardSettings(a);
    const column = s.columns.length ? note.column : null;
    const { x, y } = positionForNew(viewNotes(this.state), column);
    const totalsHidden = !this.staff && s.dotTotals === 'on_reveal' && !isRevealed(a);
    const req: BoardRequest = { type: 'note.add', activity: a.id, text: note.text.trim(), colour: note.colour, x, y };
    if (column !== null) req.column = column;
    return this.send(req, (op) => ({ op, kind: 'add', text: note.text, colour: note.colour, column, x, y, dots: totalsHidden ? null : 0 }));
  }

  edit(noteId: string, text: string): string | null {
    const base = this.versionOf(noteId);
    if (base === null) return null;
    return this.send(
      { type: 'note.edit', note: noteId, text: text.trim(), version: base },
      (op) => ({ op, kind: 'edit', note: noteId, text, base }),
      `edit:${noteId}`,
    );
  }

  move(noteId: string, to: { column?: string | null; x?: number; y?: number }): string | null {
    const base = this.versionOf(noteId);
    if (base === null) return null;
    const req: BoardRequest = { type: 'note.move', note: noteId, version: base };
    if (to.column !== undefined) req.column = to.column;
    if (to.x !== undefined && to.y !== undefined) {
      req.x = to.x;
      req.y = to.y;
    }
    return this.send(req, (op) => ({ op, kind: 'move', note: noteId, ...pos(req), base }), `move:${noteId}`);
  }

  remove(noteId: string): string | null {
    if (this.versionOf(noteId) === null) return null;
    return this.send({ type: 'note.delete', note: noteId }, (op) => ({ op, kind: 'delete', note: noteId }));
  }

  dot(noteId: string, on: boolean): string | null {
    if (this.versionOf(noteId) === null) return null;
    return this.send({ type: 'dot', note: noteId, on }, (op) => ({ op, kind: 'dot', note: noteId, on, applied: false }));
  }

  hide(noteId: string, hidden: boolean): string | null {
    const base = this.versionOf(noteId);
    if (base === null) return null;
    return this.send(
      { type: 'note.hide', note: noteId, hidden },
      (op) => ({ op, kind: 'hide', note: noteId, hidden, base }),
      `hide:${noteId}`,
    );
  }

  /** Creates or renames a cluster (label) and/or puts notes in it; `cluster: null` takes them out of theirs. */
  setCluster(cluster: string | null, notes: string[], label?: LocalText): string {
    const req: BoardRequest = { type: 'cluster.set', activity: this.id, cluster, notes };
    if (label && cluster !== null) req.label = label;
    return this.send(req, (op) => ({ op, kind: 'cluster', cluster, notes, ...(req.label ? { label: req.label } : {}) }));
  }

  dissolve(cluster: string): string {
    return this.send({ type: 'cluster.dissolve', activity: this.id, cluster }, (op) => ({ op, kind: 'dissolve', cluster }));
  }

  lock(locked: boolean): string {
    return this.send({ type: 'board.lock', activity: this.id, locked }, (op) => ({ op, kind: 'lock', locked }), 'lock');
  }

  /** After a conflict: apply the person's text again on top of the newer note, or keep the newer one. */
  resolveConflict(noteId: string, useMine: boolean): void {
    const c = this.state.conflicts.find((x) => x.note === noteId);
    this.session.updateBoard(this.id, (s) => dropConflict(s ?? emptyBoard(this.id), noteId));
    if (c && useMine) this.edit(noteId, c.text);
  }

  /** The version of a note the server knows (null: not on the board, or not yet named by the server). */
  private versionOf(noteId: string): number | null {
    return this.state.notes.find((n) => n.id === noteId)?.version ?? null;
  }

  private send(req: BoardRequest, change: (op: string) => PendingChange, key?: string): string {
    const id = this.id;
    const op = newOpId();
    this.failure = null;
    this.session.updateBoard(id, (s) => addPending(s ?? emptyBoard(id), change(op)));
    this.session.request(req, {
      op,
      key,
      onAck: (_op, ack) => this.session.updateBoard(id, (s) => ackChange(s ?? emptyBoard(id), op, ack)),
      onError: (e) => {
        let failed: PendingChange | undefined;
        this.session.updateBoard(id, (s) => {
          const r = failChange(s ?? emptyBoard(id), op, e);
          failed = r.change;
          return r.state;
        });
        // A conflict is shown beside the note itself; anything else is reported once.
        if (failed && !(e.code === 'conflict' && failed.kind === 'edit')) {
          this.failure = { action: failed.kind, code: e.code, message: e.message };
        }
      },
    });
    return op;
  }
}

function pos(req: { column?: string | null; x?: number; y?: number }): { column?: string | null; x?: number; y?: number } {
  const out: { column?: string | null; x?: number; y?: number } = {};
  if (req.column !== undefined) out.column = req.column;
  if (req.x !== undefined) out.x = req.x;
  if (req.y !== undefined) out.y = req.y;
  return out;
}
