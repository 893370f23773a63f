// The live state of one workshop as this browser sees it, kept up to date from the server's
// pushes. Screens read its fields (Svelte runes: reading them in a template subscribes) and
// call its methods; only the Connection touches the socket.

import { applyPush, setLocked, type BoardState } from './board_push';
import { Connection, socketUrl, type ConnectionStatus, type RequestOptions } from './connection';
import { isBoard, isSelfPaced } from './protocol';
import type {
  Activity,
  ErrorMessage,
  Hello,
  Mine,
  PresenceMessage,
  ReachMessage,
  Request,
  ServerMessage,
  Summary,
  WelcomeMessage,
  Workshop,
  You,
} from './protocol';

export interface SessionHooks {
  /** Every server frame after it has been applied to the session's state. */
  onMessage?: (msg: ServerMessage) => void;
  /** The hello was refused; return true if the hook restarted the session (e.g. without a token). */
  onHelloRejected?: (error: ErrorMessage) => boolean;
}

export class WorkshopSession {
  status = $state<ConnectionStatus>('connecting');
  /** Refused for too many wrong codes or tokens from this network, until the next welcome. */
  throttled = $state(false);
  /** True once the first welcome arrived: later drops show "offline", not "connecting". */
  everOnline = $state(false);
  /** Set while "Back online" should be shown (a few seconds after a reconnect). */
  justReconnected = $state(false);
  failure = $state<ErrorMessage | null>(null);
  you = $state<You | null>(null);
  workshop = $state<Workshop | null>(null);
  /** The current activity (participants and kiosks: null while it is pending). */
  activity = $state<Activity | null>(null);
  currentId = $state<string | null>(null);
  mine = $state<Mine>({});
  /** Every activity, in agenda order (facilitator and presenter). */
  agenda = $state<Activity[]>([]);
  /**
   * Participants and kiosks of a self-paced workshop: every activity in agenda order (empty
   * before the questionnaire opens), from the welcome and the `activities` pushes.
   */
  activities = $state<Activity[]>([]);
  /** A participant of a self-paced workshop: their own answer per activity id (stored by the server). */
  answers = $state<Record<string, Mine>>({});
  /** Latest summary per activity id. */
  summaries = $state<Record<string, Summary>>({});
  presence = $state<PresenceMessage | null>(null);
  /** Facilitator: each board's reach (who added a note or gave a dot), by activity id. */
  reach = $state<Record<string, ReachMessage>>({});
  /** Requests sent or waiting to be sent that have no answer yet. */
  pendingOps = $state(0);
  /** The last error the server sent that was not the answer to one of our requests. */
  lastError = $state<ErrorMessage | null>(null);
  /**
   * Sticky-note boards by activity id, from the `board`, `note` and `note.removed` pushes and
   * this browser's pending changes (board_push.ts). Replaced as a whole on every change
   * (`$state.raw`: a board of 2,000 notes is not made deeply reactive).
   */
  boards = $state.raw<Record<string, BoardState>>({});

  readonly connection: Connection;
  private readonly hooks: SessionHooks;
  private reconnectedTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly onOnline = () => this.connection.reconnectNow();
  private readonly onOffline = () => this.connection.interrupt();
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.connection.reconnectNow();
  };

  constructor(hello: () => Hello, hooks: SessionHooks = {}) {
    this.hooks = hooks;
    this.connection = new Connection({
      url: socketUrl(location),
      hello,
      onMessage: (m) => this.apply(m),
      onStatus: (s) => this.setStatus(s),
      onHelloRejected: (e) => {
        if (this.hooks.onHelloRejected?.(e)) return;
        this.failure = e;
      },
      onQueueChange: (q) => (this.pendingOps = q.length),
      onThrottled: () => (this.throttled = true),
    });
  }

  start(): void {
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
    this.failure = null;
    this.connection.start();
  }

  /** Starts again after a refused hello (the hello function decides what to send). */
  restart(): void {
    this.failure = null;
    this.connection.stop();
    this.connection.start();
  }

  stop(): void {
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
    if (this.reconnectedTimer) clearTimeout(this.reconnectedTimer);
    this.connection.stop();
  }

  request(req: Request, opts?: RequestOptions): string {
    return this.connection.request(req, opts);
  }

  /** Replaces one board's state (board_model.svelte.ts, for local changes and their answers). */
  updateBoard(activity: string, f: (state: BoardState | undefined) => BoardState): void {
    this.boards = { ...this.boards, [activity]: f(this.boards[activity]) };
  }

  /** Facilitator and presenter: they get the agenda and staff-style activity pushes. */
  private get isStaff(): boolean {
    return this.you?.role === 'facilitator' || this.you?.role === 'presenter';
  }

  /** A self-paced questionnaire (no current activity; participants get `activities`). */
  get selfPaced(): boolean {
    return isSelfPaced(this.workshop);
  }

  /** The agenda entry, self-paced activity or current activity with this id. */
  findActivity(id: string | null | undefined): Activity | null {
    if (!id) return null;
    return (
      this.agenda.find((a) => a.id === id) ??
      this.activities.find((a) => a.id === id) ??
      (this.activity?.id === id ? this.activity : null)
    );
  }

  /**
   * This participant's answer to activity `id` as the server holds it: in a self-paced
   * questionnaire from `answers`, else `mine` of the current activity ({} for any other).
   */
  mineOf(id: string): Mine {
    if (this.selfPaced) return this.answers[id] ?? {};
    return this.activity?.id === id ? this.mine : {};
  }

  /**
   * Self-paced: records an answer the server acknowledged (`{}`: removed), so a question shown
   * again reads it (the server sends `answers` only in the welcome).
   */
  rememberAnswer(id: string, mine: Mine): void {
    if (!this.selfPaced) return;
    const next = { ...this.answers };
    if (Object.keys(mine).length === 0) delete next[id];
    else next[id] = mine;
    this.answers = next;
  }

  private setStatus(s: ConnectionStatus): void {
    const wasOffline = this.status === 'offline';
    this.status = s;
    if (s === 'online') this.throttled = false;
    if (s === 'online' && wasOffline && this.everOnline) {
      this.justReconnected = true;
      if (this.reconnectedTimer) clearTimeout(this.reconnectedTimer);
      this.reconnectedTimer = setTimeout(() => (this.justReconnected = false), 4_000);
    }
    if (s === 'offline') this.justReconnected = false;
  }

  private apply(m: ServerMessage): void {
    switch (m.type) {
      case 'welcome':
        this.onWelcome(m);
        break;
      case 'activities':
        this.activities = byPosition(m.activities ?? []);
        break;
      case 'activity':
        if (this.selfPaced && !this.isStaff) {
          // No current activity in a self-paced questionnaire: a change to one of them.
          const changed = m.activity;
          if (changed) this.activities = this.activities.map((a) => (a.id === changed.id ? changed : a));
          break;
        }
        if (m.activity) this.upsertAgenda(m.activity);
        if (isBoard(m.activity) && typeof m.activity.locked === 'boolean' && this.boards[m.activity.id]) {
          const { id, locked } = m.activity;
          this.updateBoard(id, (b) => setLocked(b, id, locked));
        }
        if (m.current !== undefined) this.currentId = m.current;
        else if (m.activity) this.currentId = m.activity.id;
        if (!this.isStaff) {
          // Participants and kiosks: the current activity as they may see it.
          this.activity = m.activity;
          this.mine = m.mine ?? {};
        } else {
          this.activity = this.findActivity(this.currentId);
        }
        break;
      case 'workshop':
        if (this.workshop) this.workshop.state = m.state;
        break;
      case 'summary':
        this.summaries[m.activity] = m;
        break;
      case 'presence':
        this.presence = m;
        break;
      case 'board':
      case 'board.changes':
        this.updateBoard(m.activity, (b) => applyPush(b, m));
        break;
      case 'reach':
        this.reach[m.activity] = m;
        break;
      case 'notice':
        break; // screens show it (hooks.onMessage)
      case 'error':
        this.lastError = m;
        break;
      case 'ack':
        break;
    }
    this.hooks.onMessage?.(m);
  }

  private onWelcome(w: WelcomeMessage): void {
    this.everOnline = true;
    this.you = w.you;
    this.workshop = w.workshop;
    this.agenda = byPosition(w.agenda ?? []);
    this.activities = byPosition(w.activities ?? []);
    this.answers = w.answers ?? {};
    this.activity = w.activity;
    this.currentId = w.activity?.id ?? null;
    this.mine = w.mine ?? {};
    this.lastError = null;
  }

  private upsertAgenda(a: Activity): void {
    const i = this.agenda.findIndex((x) => x.id === a.id);
    if (i >= 0) this.agenda[i] = a;
    else if (this.isStaff) {
      this.agenda.push(a);
      this.agenda.sort((x, y) => x.position - y.position);
    }
  }
}

function byPosition(list: readonly Activity[]): Activity[] {
  return list.slice().sort((a, b) => a.position - b.position);
}
