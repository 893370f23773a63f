import { describe, expect, it } from 'vitest';
import { viewNotes } from '../../src/lib/board';
import type { ServerMessage } from '../../src/lib/protocol';
import { WorkshopSession } from '../../src/lib/session.svelte';

// The session is built for a browser page; these tests only feed it frames (no socket is opened).
(globalThis as { location?: unknown }).location ??= { protocol: 'http:', host: 'localhost' };

function session(role: 'participant' | 'facilitator' = 'participant') {
  const s = new WorkshopSession(() => ({ type: 'hello', v: 1, role: 'participant', code: '482913', token: null, lang: 'en' }));
  const feed = (m: object) => (s as unknown as { apply(m: ServerMessage): void }).apply(m as ServerMessage);
  feed({
    type: 'welcome',
    v: 1,
    you: { id: 'p_1', role },
    workshop: { id: 'w_1', title: { en: 'T' }, state: 'live', groups: [] },
    activity: null,
  });
  return { s, feed };
}

const note = (id: string, text = id) => ({ id, text, colour: 'yellow', column: null, x: 0.5, y: 0.5, version: 1, cluster: null, dots: 0, my_dots: 0, mine: false });

describe('the session keeps boards from the pushes', () => {
  it('board and board.changes, per activity', () => {
    const { s, feed } = session();
    feed({ type: 'board', activity: 'a_1', notes: [note('n_1')], clusters: [], locked: false });
    feed({ type: 'board.changes', activity: 'a_1', notes: [note('n_2')], removed: [] });
    feed({ type: 'board.changes', activity: 'a_2', notes: [note('n_9')], removed: [] });
    feed({ type: 'board.changes', activity: 'a_1', notes: [], removed: ['n_1'] });
    expect(viewNotes(s.boards['a_1']).map((n) => n.id)).toEqual(['n_2']);
    expect(viewNotes(s.boards['a_2']).map((n) => n.id)).toEqual(['n_9']);
  });

  it('an activity push carries the lock to the board', () => {
    const { s, feed } = session();
    feed({ type: 'board', activity: 'a_1', notes: [], clusters: [], locked: false });
    feed({ type: 'activity', activity: { id: 'a_1', kind: 'board', position: 0, state: 'open', prompt: { en: 'P' }, locked: true }, mine: {} });
    expect(s.boards['a_1']!.locked).toBe(true);
    expect(s.activity?.kind).toBe('board');
  });

  it('a reconnect keeps what it had until the new board push (no empty flash)', () => {
    const { s, feed } = session();
    feed({ type: 'board', activity: 'a_1', notes: [note('n_1')], clusters: [] });
    feed({ type: 'welcome', v: 1, you: { id: 'p_1', role: 'participant' }, workshop: { id: 'w_1', title: { en: 'T' }, state: 'live', groups: [] }, activity: null });
    expect(viewNotes(s.boards['a_1']).map((n) => n.id)).toEqual(['n_1']);
  });

  it('a Likert workshop never creates a board', () => {
    const { s, feed } = session();
    feed({ type: 'summary', activity: 'a_1', kind: 'likert', n: 3 });
    expect(s.boards).toEqual({});
  });
});
