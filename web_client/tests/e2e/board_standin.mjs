// A stand-in for the server's side of sticky-note boards (docs/boards.md), living in the
// test's WebSocket route (Playwright `routeWebSocket`). It exists only while cylch-server
// refuses board activities: boards.e2e.test.mjs uses it then, so the board screens are driven
// in a real browser now, and drops it the moment the server serves boards (the same steps
// then run against the server itself).
//
// Every frame goes to the real server except board requests (note.*, dot, cluster.*,
// board.lock) and activity.* for the stand-in board, which are answered here. The board is
// added to the staff's agenda, replaces the current activity in `welcome` once opened, and its
// `activity`, `board`, `note` and `note.removed` pushes go to every routed page, filtered per
// recipient as the contract says (hidden mode, hidden notes, dot totals, mine / my_dots).

const COLOURS = new Set(['yellow', 'pink', 'blue', 'green', 'orange', 'purple']);
const BOARD_REQUESTS = new Set(['note.add', 'note.edit', 'note.move', 'note.delete', 'dot', 'note.hide', 'cluster.set', 'cluster.dissolve', 'board.lock']);

export class BoardStandIn {
  /** @param {object} activity the board as a server would send it (state "pending") */
  constructor(activity) {
    this.board = { ...activity };
    this.current = false;
    /** @type {{ route: any, role: string | null, you: { id: string } | null }[]} */
    this.conns = [];
    /** @type {any[]} */
    this.notes = [];
    /** @type {{ id: string, label: Record<string, string> }[]} */
    this.clusters = [];
    this.seq = 0;
    /** Every board request a page sent, for assertions. */
    this.requests = [];
  }

  /** The handler for `context.routeWebSocket(/\/ws$/, …)`. */
  route(route) {
    const conn = { route, role: null, you: null };
    const server = route.connectToServer();
    route.onMessage((frame) => {
      const msg = JSON.parse(String(frame));
      if (msg.type === 'hello') conn.role = msg.role;
      const ours = BOARD_REQUESTS.has(msg.type) || (msg.type?.startsWith('activity.') && msg.activity === this.board.id);
      if (!ours) {
        server.send(frame);
        return;
      }
      this.requests.push(msg);
      this.handle(conn, msg);
    });
    server.onMessage((frame) => {
      const msg = JSON.parse(String(frame));
      if (msg.type === 'welcome') {
        conn.you = msg.you;
        if (!this.conns.includes(conn)) this.conns.push(conn);
        this.send(conn, this.welcome(conn, msg));
        if (this.current && this.sees(conn)) this.send(conn, this.boardFor(conn));
        return;
      }
      route.send(frame);
    });
    route.onClose((code, reason) => {
      this.conns = this.conns.filter((c) => c !== conn);
      server.close({ code, reason });
    });
    server.onClose((code, reason) => {
      this.conns = this.conns.filter((c) => c !== conn);
      route.close({ code, reason });
    });
  }

  // ---- views ----

  staff(conn) {
    return conn.role === 'facilitator' || conn.role === 'presenter';
  }

  /** Whether this page gets the board's pushes now. */
  sees(conn) {
    return this.staff(conn) || (this.current && this.board.state !== 'pending');
  }

  welcome(conn, msg) {
    const w = structuredClone(msg);
    if (this.staff(conn)) {
      w.agenda = [...(w.agenda ?? []).filter((a) => a.id !== this.board.id), { ...this.board }].sort((a, b) => a.position - b.position);
      if (this.current) w.activity = { ...this.board };
    } else if (this.current) {
      w.activity = this.board.state === 'pending' ? null : { ...this.board };
      w.mine = {};
    }
    return w;
  }

  revealed() {
    return this.board.state === 'revealed';
  }

  noteFor(conn, n) {
    const you = conn.you?.id;
    if (this.staff(conn)) {
      return { ...this.wire(n), dots: total(n), my_dots: 0, mine: false, hidden: n.hidden };
    }
    if (n.hidden) return null;
    if (this.board.hidden_until_reveal && !this.revealed() && n.author !== you) return null;
    const hideTotals = this.board.dot_totals === 'on_reveal' && !this.revealed();
    return { ...this.wire(n), dots: hideTotals ? null : total(n), my_dots: n.dots.get(you) ?? 0, mine: n.author === you };
  }

  wire(n) {
    const { id, text, colour, column, x, y, version, cluster } = n;
    return { id, text, colour, column, x, y, version, cluster };
  }

  boardFor(conn) {
    return {
      type: 'board',
      activity: this.board.id,
      locked: this.board.locked,
      notes: this.notes.map((n) => this.noteFor(conn, n)).filter(Boolean),
      clusters: this.clusters,
    };
  }

  // ---- pushes ----

  send(conn, msg) {
    try {
      conn.route.send(JSON.stringify(msg));
    } catch {
      /* the page has gone */
    }
  }

  pushActivity() {
    for (const c of this.conns) {
      if (this.staff(c)) this.send(c, { type: 'activity', activity: { ...this.board }, current: this.current ? this.board.id : null });
      else if (this.current) this.send(c, { type: 'activity', activity: this.board.state === 'pending' ? null : { ...this.board }, mine: {} });
    }
  }

  pushBoard() {
    for (const c of this.conns) if (this.sees(c)) this.send(c, this.boardFor(c));
  }

  pushNote(n) {
    for (const c of this.conns) {
      if (!this.sees(c)) continue;
      const view = this.noteFor(c, n);
      if (view) this.send(c, { type: 'note', activity: this.board.id, note: view });
      else if (n.hidden && !this.staff(c)) this.send(c, { type: 'note.removed', activity: this.board.id, note: n.id });
    }
  }

  pushRemoved(id) {
    for (const c of this.conns) if (this.sees(c)) this.send(c, { type: 'note.removed', activity: this.board.id, note: id });
  }

  // ---- requests ----

  handle(conn, msg) {
    const ack = (extra = {}) => this.send(conn, { type: 'ack', op: msg.op, ...extra });
    const fail = (code, message, extra = {}) => this.send(conn, { type: 'error', op: msg.op, code, message, ...extra });
    const facilitator = conn.role === 'facilitator';
    const participant = conn.role === 'participant';
    const you = conn.you?.id;
    const b = this.board;
    const participantMayAct = b.state === 'open' && !b.locked;
    const visible = (n) => n && this.noteFor(conn, n) !== null;
    const n = msg.note ? this.notes.find((x) => x.id === msg.note) : undefined;

    switch (msg.type) {
      case 'activity.open':
      case 'activity.close':
      case 'activity.reveal':
      case 'activity.goto': {
        if (!facilitator) return fail('not_allowed', 'Only the facilitator may do that.');
        const from = b.state;
        if (msg.type === 'activity.open' && (from === 'pending' || from === 'closed')) b.state = 'open';
        else if (msg.type === 'activity.close' && from === 'open') b.state = 'closed';
        else if (msg.type === 'activity.reveal' && from === 'closed') b.state = 'revealed';
        else if (msg.type !== 'activity.goto') return fail('not_allowed', `Cannot ${msg.type} from ${from}.`);
        if (msg.type !== 'activity.close') this.current = true;
        ack();
        this.pushActivity();
        if (msg.type !== 'activity.close') this.pushBoard();
        return;
      }
      case 'note.add': {
        if (!participant) return fail('not_allowed', 'Only participants add notes.');
        if (!participantMayAct) return fail('closed', 'The board is closed.');
        const text = String(msg.text ?? '').trim();
        if (!text || [...text].length > 280 || !COLOURS.has(msg.colour)) return fail('bad_request', '$.text or $.colour');
        const note = {
          id: `n_standin${++this.seq}`,
          text,
          colour: msg.colour,
          column: msg.column ?? null,
          x: msg.x,
          y: msg.y,
          version: 1,
          cluster: null,
          author: you,
          hidden: false,
          dots: new Map(),
        };
        this.notes.push(note);
        ack({ note: note.id });
        this.pushNote(note);
        return;
      }
      case 'note.edit': {
        if (!visible(n)) return fail('not_found', 'No such note.');
        if (n.author !== you) return fail('not_allowed', 'Only the author may edit a note.');
        if (!participantMayAct) return fail('closed', 'The board is closed.');
        if (msg.version !== n.version) return fail('conflict', 'The note has changed.', { note: this.noteFor(conn, n) });
        n.text = String(msg.text).trim();
        n.version += 1;
        ack();
        this.pushNote(n);
        return;
      }
      case 'note.move': {
        if (!visible(n)) return fail('not_found', 'No such note.');
        if (!facilitator && n.author !== you) return fail('not_allowed', 'Not your note.');
        if (!facilitator && !participantMayAct) return fail('closed', 'The board is closed.');
        if (msg.column !== undefined) n.column = msg.column;
        if (msg.x !== undefined) n.x = msg.x;
        if (msg.y !== undefined) n.y = msg.y;
        n.version += 1;
        ack();
        this.pushNote(n);
        return;
      }
      case 'note.delete': {
        if (!visible(n)) return fail('not_found', 'No such note.');
        if (!facilitator && n.author !== you) return fail('not_allowed', 'Not your note.');
        if (!facilitator && !participantMayAct) return fail('closed', 'The board is closed.');
        this.notes = this.notes.filter((x) => x !== n);
        ack();
        this.pushRemoved(n.id);
        return;
      }
      case 'dot': {
        if (!participant) return fail('not_allowed', 'Only participants vote.');
        if (!visible(n)) return fail('not_found', 'No such note.');
        if (!participantMayAct) return fail('closed', 'The board is closed.');
        const perPerson = b.dots_per_person ?? 0;
        const perNote = b.dots_per_note ?? 1;
        const mine = n.dots.get(you) ?? 0;
        const used = this.notes.reduce((s, x) => s + (x.dots.get(you) ?? 0), 0);
        if (msg.on) {
          if (perPerson === 0 || used >= perPerson || mine >= perNote) return fail('not_allowed', 'No dots left for this.');
          n.dots.set(you, mine + 1);
        } else {
          if (mine === 0) return fail('not_found', 'No dot to take back.');
          n.dots.set(you, mine - 1);
        }
        ack();
        this.pushNote(n);
        return;
      }
      case 'note.hide': {
        if (!facilitator) return fail('not_allowed', 'Only the facilitator may hide notes.');
        if (!n) return fail('not_found', 'No such note.');
        n.hidden = msg.hidden !== false;
        n.version += 1;
        ack();
        this.pushNote(n);
        return;
      }
      case 'cluster.set': {
        if (!facilitator) return fail('not_allowed', 'Only the facilitator may cluster.');
        if (msg.cluster !== null) {
          const c = this.clusters.find((x) => x.id === msg.cluster);
          if (c && msg.label) c.label = msg.label;
          if (!c) {
            if (!msg.label) return fail('bad_request', '$.label: required for a new cluster');
            this.clusters.push({ id: msg.cluster, label: msg.label });
          }
        }
        for (const id of msg.notes ?? []) {
          const x = this.notes.find((y) => y.id === id);
          if (x) {
            x.cluster = msg.cluster;
            x.version += 1;
          }
        }
        ack();
        this.pushBoard();
        return;
      }
      case 'cluster.dissolve': {
        if (!facilitator) return fail('not_allowed', 'Only the facilitator may cluster.');
        this.clusters = this.clusters.filter((c) => c.id !== msg.cluster);
        for (const x of this.notes) if (x.cluster === msg.cluster) x.cluster = null;
        ack();
        this.pushBoard();
        return;
      }
      case 'board.lock': {
        if (!facilitator) return fail('not_allowed', 'Only the facilitator may lock the board.');
        b.locked = !!msg.locked;
        ack();
        this.pushActivity();
        return;
      }
    }
  }
}

function total(n) {
  let t = 0;
  for (const v of n.dots.values()) t += v;
  return t;
}
