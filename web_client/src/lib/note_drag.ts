// Dragging a note with a mouse or pen (pointer events), as a Svelte action on the note's
// element. Touch is left alone so that phones scroll as usual (they move notes with a column
// picker instead), and so is a press on a button, link or form field inside the note.
//
// The drop target is found from the page: the lane under the pointer (`data-drop-lane`, its
// column id in `data-column`, "" for none), the group in it (`data-drop-group`, its cluster id
// in `data-cluster`, "" for none) and the notes of that group (`data-note-id`, their position
// in `data-y`); board.ts `dropPosition` turns that into a position between two notes.

import { dropPosition } from './board';

export interface NoteDrop {
  note: string;
  /** The lane's column id (null: a board without columns, or the lane of notes in no column). */
  column: string | null;
  /** The cluster of the group it was dropped in; undefined when dropped outside any group. */
  cluster: string | null | undefined;
  x: number;
  y: number;
}

export interface NoteDragOptions {
  note: string;
  enabled: boolean;
  onDrop: (drop: NoteDrop) => void;
}

const THRESHOLD_PX = 6;
const INTERACTIVE = 'button, a, input, select, textarea, label, [contenteditable]';

export function noteDrag(node: HTMLElement, initial: NoteDragOptions) {
  let opts = initial;
  let start: { x: number; y: number; id: number } | null = null;
  let dragging = false;
  let lastTarget: Element | null = null;

  const target = (x: number, y: number) => {
    const el = document.elementFromPoint(x, y);
    return { lane: el?.closest<HTMLElement>('[data-drop-lane]') ?? null, group: el?.closest<HTMLElement>('[data-drop-group]') ?? null };
  };

  const mark = (lane: Element | null) => {
    if (lane === lastTarget) return;
    lastTarget?.classList.remove('drop-target');
    lane?.classList.add('drop-target');
    lastTarget = lane;
  };

  const onMove = (e: PointerEvent) => {
    if (!start || e.pointerId !== start.id) return;
    const dx = e.clientX - start.x;
    const dy = e.clientY - start.y;
    if (!dragging) {
      if (Math.hypot(dx, dy) < THRESHOLD_PX) return;
      dragging = true;
      node.classList.add('dragging');
      node.style.pointerEvents = 'none'; // so elementFromPoint sees what is under it
    }
    e.preventDefault();
    node.style.transform = `translate(${dx}px, ${dy}px)`;
    mark(target(e.clientX, e.clientY).lane);
  };

  const finish = (e: PointerEvent, cancelled: boolean) => {
    if (!start || e.pointerId !== start.id) return;
    window.removeEventListener('pointermove', onMove);
    window.removeEventListener('pointerup', onUp);
    window.removeEventListener('pointercancel', onCancel);
    start = null;
    if (!dragging) return;
    dragging = false;
    const { lane, group } = target(e.clientX, e.clientY);
    node.classList.remove('dragging');
    node.style.transform = '';
    node.style.pointerEvents = '';
    mark(null);
    // The click that follows the drag must not act on the note.
    window.addEventListener('click', swallow, { capture: true, once: true });
    setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
    if (cancelled || !lane) return;
    const rect = lane.getBoundingClientRect();
    const xFraction = rect.width > 0 ? (e.clientX - rect.left) / rect.width : 0.5;
    const others = [...(group ?? lane).querySelectorAll<HTMLElement>('[data-note-id]')]
      .filter((el) => el.dataset.noteId !== opts.note)
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { y: Number(el.dataset.y ?? 0), top: r.top, bottom: r.bottom };
      });
    const pos = dropPosition(others, e.clientY, xFraction);
    opts.onDrop({
      note: opts.note,
      column: lane.dataset.column ? lane.dataset.column : null,
      cluster: group ? group.dataset.cluster || null : undefined,
      ...pos,
    });
  };
  const onUp = (e: PointerEvent) => finish(e, false);
  const onCancel = (e: PointerEvent) => finish(e, true);
  const swallow = (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
  };

  const onDown = (e: PointerEvent) => {
    if (!opts.enabled || e.pointerType === 'touch' || e.button !== 0 || start) return;
    if ((e.target as Element | null)?.closest(INTERACTIVE)) return;
    start = { x: e.clientX, y: e.clientY, id: e.pointerId };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('pointercancel', onCancel);
  };

  node.addEventListener('pointerdown', onDown);
  return {
    update(next: NoteDragOptions) {
      opts = next;
    },
    destroy() {
      node.removeEventListener('pointerdown', onDown);
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('pointercancel', onCancel);
      mark(null);
    },
  };
}
