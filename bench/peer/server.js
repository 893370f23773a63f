'use strict';
// cylch-bench-peer: a yardstick for cylch-loadgen, not part of the product.
//
// The subset of the Cylch protocol (docs/protocol.md) that the burst scenario uses, written
// the way a competent team would on Node.js: `ws` for WebSockets, `better-sqlite3` in WAL mode
// with synchronous=FULL, every request of one event-loop turn committed in one transaction
// (setImmediate), `ack` only after the commit, and one coalesced `summary` per workshop every
// --flush-ms, serialised once and sent to every connection of the workshop.
//
//   POST /api/workshops (Authorization: Bearer ADMIN, body: a workshop file)
//        -> 201 {"id","code","facilitator_token","presenter_token"}
//   GET /ws: hello (participant by code, facilitator, presenter) -> welcome;
//        profile (consent, group) -> ack; vote -> ack; activity.open (facilitator) -> ack,
//        and an `activity` push to everyone; summary {"type","activity","kind","n","counts"}.
//
// What it leaves out (not needed by the burst): reconnect by token, kiosks, boards, presence,
// statistics beyond n and counts, rate limits. Errors are `error` frames as in Cylch.
//
//   node server.js [--bind 127.0.0.1] [--port 0] [--db FILE] [--admin-token-file FILE]
//                  [--flush-ms 100]
// Prints `listening on http://ADDR:PORT`; stops on SIGTERM or SIGINT after committing.

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const Database = require('better-sqlite3');
const { WebSocketServer } = require('ws');

// ---- options --------------------------------------------------------------------------------

const options = { bind: '127.0.0.1', port: 0, db: 'peer.db', adminTokenFile: '', flushMs: 100 };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i];
  const value = process.argv[i + 1];
  if (value === undefined) {
    console.error(`cylch-bench-peer: ${key} needs a value`);
    process.exit(2);
  }
  if (key === '--bind') options.bind = value;
  else if (key === '--port') options.port = Number(value);
  else if (key === '--db') options.db = value;
  else if (key === '--admin-token-file') options.adminTokenFile = value;
  else if (key === '--flush-ms') options.flushMs = Math.max(1, Number(value));
  else {
    console.error(`cylch-bench-peer: unknown option ${key}`);
    process.exit(2);
  }
}
const adminToken = options.adminTokenFile
  ? fs.readFileSync(options.adminTokenFile, 'utf8').split('\n')[0].trim()
  : crypto.randomBytes(24).toString('base64url');

const maxFrame = 16 * 1024;
const maxBody = 1024 * 1024;
const maxBufferedBytes = 4 * 1024 * 1024; // a client further behind than this is dropped
const opPattern = /^[\x21-\x7e]{16,128}$/;

// ---- storage --------------------------------------------------------------------------------

const db = new Database(options.db);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`
CREATE TABLE IF NOT EXISTS workshops (id TEXT PRIMARY KEY, code TEXT UNIQUE NOT NULL,
  facilitator_hash TEXT NOT NULL, presenter_hash TEXT NOT NULL, definition TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS activities (id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL,
  position INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS participants (id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL,
  token_hash TEXT NOT NULL, grp TEXT, consent INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS votes (activity_id TEXT NOT NULL, participant_id TEXT NOT NULL,
  value INTEGER NOT NULL, op TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (activity_id, participant_id)) WITHOUT ROWID;
`);
const sql = {
  workshop: db.prepare(
    'INSERT INTO workshops (id, code, facilitator_hash, presenter_hash, definition) VALUES (?, ?, ?, ?, ?)'),
  activity: db.prepare('INSERT INTO activities (id, workshop_id, position, state) VALUES (?, ?, ?, ?)'),
  activityState: db.prepare('UPDATE activities SET state = ? WHERE id = ?'),
  participant: db.prepare(
    'INSERT INTO participants (id, workshop_id, token_hash, grp, consent) VALUES (?, ?, ?, ?, ?) ' +
    'ON CONFLICT (id) DO UPDATE SET grp = excluded.grp, consent = excluded.consent'),
  vote: db.prepare(
    'INSERT INTO votes (activity_id, participant_id, value, op, at) VALUES (?, ?, ?, ?, ?) ' +
    'ON CONFLICT (activity_id, participant_id) DO UPDATE SET value = excluded.value, ' +
    'op = excluded.op, at = excluded.at'),
};

// Group commit: every write of one event-loop turn goes into one transaction, committed in a
// setImmediate callback; each write's `done` runs after the commit (or with the error).
let pendingWrites = [];
const commitAll = db.transaction((writes) => {
  for (const w of writes) w.run();
});
function persist(run, done) {
  pendingWrites.push({ run, done });
  if (pendingWrites.length === 1) setImmediate(flushWrites);
}
function flushWrites() {
  const writes = pendingWrites;
  pendingWrites = [];
  let error = null;
  try {
    commitAll(writes);
  } catch (e) {
    error = e;
  }
  for (const w of writes) w.done(error);
}

// ---- workshops ------------------------------------------------------------------------------

const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
const randomId = (prefix) => prefix + crypto.randomBytes(9).toString('base64url');
const workshopsById = new Map();
const workshopsByCode = new Map();

function checkWorkshopFile(spec) {
  if (!spec || typeof spec !== 'object' || !Array.isArray(spec.activities)) {
    return '$.activities: expected an array';
  }
  if (!Array.isArray(spec.languages) || spec.languages.length === 0) {
    return '$.languages: expected a non-empty array';
  }
  for (let i = 0; i < spec.activities.length; ++i) {
    const a = spec.activities[i];
    if (!a || typeof a !== 'object' || typeof a.kind !== 'string') {
      return `$.activities[${i}].kind: expected a string`;
    }
    if (a.kind === 'likert' && !(Number.isInteger(a.scale) && a.scale >= 2 && a.scale <= 11)) {
      return `$.activities[${i}].scale: expected an integer 2..11`;
    }
  }
  return null;
}

function createWorkshop(spec, definition, done) {
  const id = randomId('w_');
  let code;
  do {
    code = String(crypto.randomInt(100000, 1000000));
  } while (workshopsByCode.has(code));
  const facilitatorToken = crypto.randomBytes(24).toString('base64url');
  const presenterToken = crypto.randomBytes(24).toString('base64url');
  const w = {
    id,
    code,
    spec,
    facilitatorHash: sha256(facilitatorToken),
    presenterHash: sha256(presenterToken),
    presenterToken, // sent to the facilitator in welcome, as Cylch does (extension)
    activities: spec.activities.map((a, position) => ({
      id: randomId('a_'),
      position,
      kind: a.kind,
      points: a.kind === 'likert' ? a.scale : 0,
      results: a.results || 'live',
      state: 'pending',
      counts: a.kind === 'likert' ? new Array(a.scale).fill(0) : [],
      votes: new Map(), // participant id -> value
    })),
    current: null,
    participants: new Map(),
    connections: new Set(),
    dirty: false,
    flushTimer: null,
  };
  persist(() => {
    sql.workshop.run(id, code, w.facilitatorHash, w.presenterHash, definition);
    for (const a of w.activities) sql.activity.run(a.id, id, a.position, a.state);
  }, (error) => {
    if (!error) {
      workshopsById.set(id, w);
      workshopsByCode.set(code, w);
    }
    done(error, { id, code, facilitator_token: facilitatorToken, presenter_token: presenterToken });
  });
}

function activityView(a) {
  return { id: a.id, kind: a.kind, position: a.position, state: a.state, results: a.results };
}

// One summary per workshop per flush, serialised once and shared by every connection.
function markDirty(w) {
  w.dirty = true;
  if (w.flushTimer === null) {
    w.flushTimer = setTimeout(() => {
      w.flushTimer = null;
      if (!w.dirty || w.current === null) return;
      w.dirty = false;
      const a = w.current;
      const frame = JSON.stringify({
        type: 'summary', activity: a.id, kind: a.kind, n: a.votes.size, counts: a.counts,
      });
      for (const c of w.connections) send(c, frame);
    }, options.flushMs);
  }
}

// ---- connections ----------------------------------------------------------------------------

function send(c, frame) {
  if (c.ws.readyState !== 1) return;
  if (c.ws.bufferedAmount > maxBufferedBytes) {
    c.ws.terminate(); // too slow: bounded memory per connection
    return;
  }
  c.ws.send(frame);
}
function sendError(c, op, code, message) {
  send(c, JSON.stringify({ type: 'error', op: op ?? null, code, message }));
}
function ack(c, op) {
  send(c, JSON.stringify({ type: 'ack', op }));
}

function onHello(c, m) {
  if (m.v !== 1) {
    sendError(c, null, 'version', 'protocol version 1 only');
    return c.ws.close(1008);
  }
  let w;
  if (m.role === 'participant') {
    w = workshopsByCode.get(String(m.code));
    if (!w) {
      sendError(c, null, 'not_found', 'no workshop with this code');
      return c.ws.close(1008);
    }
    const token = crypto.randomBytes(24).toString('base64url');
    const p = { id: randomId('p_'), tokenHash: sha256(token), group: null, consent: !w.spec.consent?.required, ops: new Set() };
    persist(() => sql.participant.run(p.id, w.id, p.tokenHash, null, p.consent ? 1 : 0), (error) => {
      if (error) {
        sendError(c, null, 'server_error', 'could not be stored');
        return c.ws.close(1011);
      }
      w.participants.set(p.id, p);
      join(c, w, 'participant', p);
      send(c, JSON.stringify({
        type: 'welcome', v: 1,
        you: { id: p.id, token, role: 'participant', group: null, consent: p.consent },
        workshop: { id: w.id, code: w.code, title: w.spec.title, state: 'live', languages: w.spec.languages, groups: w.spec.groups || [] },
        activity: w.current && w.current.state !== 'pending' ? activityView(w.current) : null,
        mine: {},
      }));
    });
    return;
  }
  if (m.role === 'facilitator' || m.role === 'presenter') {
    w = workshopsById.get(m.workshop);
    const hash = typeof m.token === 'string' ? sha256(m.token) : '';
    if (!w || hash !== (m.role === 'facilitator' ? w.facilitatorHash : w.presenterHash)) {
      sendError(c, null, 'not_allowed', 'wrong workshop or token');
      return c.ws.close(1008);
    }
    join(c, w, m.role, { id: m.role, ops: new Set() });
    send(c, JSON.stringify({
      type: 'welcome', v: 1,
      you: m.role === 'facilitator'
        ? { id: m.role, role: m.role, presenter_token: w.presenterToken }
        : { id: m.role, role: m.role },
      workshop: { id: w.id, code: w.code, title: w.spec.title, state: 'live', languages: w.spec.languages, groups: w.spec.groups || [] },
      activity: w.current ? activityView(w.current) : null,
      agenda: w.activities.map(activityView),
    }));
    return;
  }
  sendError(c, null, 'bad_request', 'unknown role');
  c.ws.close(1008);
}

function join(c, w, role, who) {
  c.workshop = w;
  c.role = role;
  c.who = who;
  w.connections.add(c);
}

// A request with an op: exactly one ack or error; a resent op that was applied is acked again.
function onRequest(c, m) {
  const { workshop: w, who } = c;
  if (typeof m.op !== 'string' || !opPattern.test(m.op)) {
    return sendError(c, null, 'bad_request', '$.op: expected 16-128 visible ASCII characters');
  }
  if (who.ops.has(m.op)) return ack(c, m.op);
  let apply;
  if (m.type === 'profile' && c.role === 'participant') {
    if (m.group !== undefined && m.group !== null && !(w.spec.groups || []).some((g) => g.id === m.group)) {
      return sendError(c, m.op, 'bad_request', `there is no group "${m.group}" in this workshop`);
    }
    if (m.group !== undefined) who.group = m.group;
    if (m.consent !== undefined) who.consent = m.consent === true;
    const p = who;
    apply = () => sql.participant.run(p.id, w.id, p.tokenHash, p.group, p.consent ? 1 : 0);
  } else if (m.type === 'vote' && c.role === 'participant') {
    const a = w.activities.find((x) => x.id === m.activity);
    if (!a) return sendError(c, m.op, 'not_found', 'no such activity');
    if (a.state !== 'open') return sendError(c, m.op, 'closed', 'This activity is closed.');
    if (!who.consent) return sendError(c, m.op, 'not_allowed', 'consent first');
    if (!Number.isInteger(m.value) || m.value < 1 || m.value > a.points) {
      return sendError(c, m.op, 'bad_request', `$.value: expected an integer 1..${a.points}`);
    }
    const before = a.votes.get(who.id);
    if (before !== undefined) a.counts[before - 1]--;
    a.votes.set(who.id, m.value);
    a.counts[m.value - 1]++;
    const [pid, value, op, at] = [who.id, m.value, m.op, Date.now()];
    apply = () => sql.vote.run(a.id, pid, value, op, at);
    markDirty(w);
  } else if (m.type === 'activity.open' && c.role === 'facilitator') {
    const a = w.activities.find((x) => x.id === m.activity);
    if (!a) return sendError(c, m.op, 'not_found', 'no such activity');
    if (a.state !== 'pending' && a.state !== 'closed') {
      return sendError(c, m.op, 'not_allowed', `cannot open an activity that is ${a.state}`);
    }
    a.state = 'open';
    w.current = a;
    apply = () => sql.activityState.run('open', a.id);
    const push = JSON.stringify({ type: 'activity', activity: activityView(a), current: a.id });
    apply.after = () => {
      for (const other of w.connections) send(other, push);
      markDirty(w);
    };
  } else {
    return sendError(c, m.op, 'not_allowed', `the ${c.role} role may not send ${m.type}`);
  }
  who.ops.add(m.op);
  persist(apply, (error) => {
    if (error) {
      who.ops.delete(m.op);
      return sendError(c, m.op, 'server_error', 'the change could not be stored; send it again');
    }
    ack(c, m.op);
    if (apply.after) apply.after();
  });
}

function onMessage(c, data, isBinary) {
  if (isBinary) return sendError(c, null, 'bad_request', 'text frames only');
  let m;
  try {
    m = JSON.parse(data.toString('utf8'));
  } catch {
    return sendError(c, null, 'bad_json', 'not JSON');
  }
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') {
    return sendError(c, null, 'bad_request', '$.type: expected a string');
  }
  if (m.type === 'hello') {
    if (c.hello) return sendError(c, null, 'bad_request', 'hello was already received');
    c.hello = true;
    return onHello(c, m);
  }
  if (!c.workshop) {
    sendError(c, m.op ?? null, 'not_allowed', 'hello first');
    return c.ws.close(1008);
  }
  onRequest(c, m);
}

// ---- HTTP -----------------------------------------------------------------------------------

const server = http.createServer((req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url !== '/api/workshops') return reply(404, { error: 'not_found' });
  if (req.method !== 'POST') return reply(405, { error: 'bad_request' });
  if (req.headers.authorization !== `Bearer ${adminToken}`) return reply(401, { error: 'not_allowed' });
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > maxBody) {
      reply(413, { error: 'too_large' });
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > maxBody) return;
    const definition = Buffer.concat(chunks).toString('utf8');
    let spec;
    try {
      spec = JSON.parse(definition);
    } catch {
      return reply(400, { error: 'bad_json' });
    }
    const problem = checkWorkshopFile(spec);
    if (problem) return reply(400, { error: 'bad_request', message: problem });
    createWorkshop(spec, definition, (error, created) => {
      if (error) return reply(503, { error: 'server_error' });
      reply(201, created);
    });
  });
});

const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrame, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  if (req.url !== '/ws') {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    socket.setNoDelay(true);
    const c = { ws, hello: false, workshop: null, role: null, who: null };
    const helloTimer = setTimeout(() => {
      if (!c.hello) ws.close(1008);
    }, 10_000);
    ws.on('message', (data, isBinary) => onMessage(c, data, isBinary));
    ws.on('close', () => {
      clearTimeout(helloTimer);
      if (c.workshop) c.workshop.connections.delete(c);
    });
    ws.on('error', () => {});
  });
});

server.listen(options.port, options.bind, () => {
  const { address, port } = server.address();
  console.log(`listening on http://${address}:${port}`);
});

function stop() {
  if (pendingWrites.length) flushWrites();
  for (const c of wss.clients) c.close(1001);
  server.close();
  db.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
