// Cylch wire protocol v1, as the browser sees it. The only place message shapes are declared.
// See /docs/protocol.md. Client frames must carry exactly these fields: the server rejects
// unknown fields with `bad_request`.

export const PROTOCOL_VERSION = 1;

/** Content language codes the client has UI strings for. Workshops may list others. */
export type UiLang = 'en' | 'cy';

/** A text supplied by a workshop file, per language; the first listed language is always present. */
export type LocalText = Record<string, string>;

export type Role = 'participant' | 'kiosk' | 'facilitator' | 'presenter';

export type ActivityState = 'pending' | 'open' | 'closed' | 'revealed';
export type ResultsPolicy = 'live' | 'on_reveal' | 'hidden';

export interface LikertScale {
  points: number;
  labels: Record<string, string[]>;
}

/**
 * A picture card shown with a question (../shared/PROTOCOL.md, second round): a title, a body
 * and an optional image, fetched from `/media/{image}` and described by `alt`.
 */
export interface Card {
  title: LocalText;
  body: LocalText;
  image?: string;
  alt?: LocalText;
}

/** An activity that asks for an optional "why?" with the answer (likert and choice). */
export interface CommentPrompt {
  prompt: LocalText;
}

/** Fields every question kind (likert, choice, ranking, open_text) has. */
interface QuestionBase {
  id: string;
  position: number;
  state: ActivityState;
  /** Results revealed; they stay so when the activity is opened again (older servers: absent). */
  revealed?: boolean;
  card?: Card;
}

export interface LikertActivity extends QuestionBase {
  kind: 'likert';
  statement: LocalText;
  scale: LikertScale;
  results: ResultsPolicy;
  comment?: CommentPrompt;
}

/** An option of a choice, or an item of a ranking. */
export interface LabelledId {
  id: string;
  label: LocalText;
}

/** Pick 1..max of 2–12 options (docs/protocol.md, Choice, ranking and open text). */
export interface ChoiceActivity extends QuestionBase {
  kind: 'choice';
  question: LocalText;
  options: LabelledId[];
  /** How many options one person may pick (1: a single answer). */
  max: number;
  results: ResultsPolicy;
  comment?: CommentPrompt;
}

/** Put every one of 3–10 items in order, first = rank 1. */
export interface RankingActivity extends QuestionBase {
  kind: 'ranking';
  question: LocalText;
  items: LabelledId[];
  results: ResultsPolicy;
}

/** A short written answer (1..max_length code points); private until the facilitator shows it. */
export interface OpenTextActivity extends QuestionBase {
  kind: 'open_text';
  question: LocalText;
  max_length: number;
}

/** Sticky-note colours (a fixed palette; docs/protocol.md, Boards). */
export const NOTE_COLOURS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'] as const;
export type NoteColour = (typeof NOTE_COLOURS)[number];

export interface BoardColumn {
  id: string;
  title: LocalText;
}

/**
 * A sticky-note board (docs/protocol.md, Boards). The fields marked "ext" there may be missing from an
 * older server; `boardSettings` in board_push.ts fills their defaults.
 */
export interface BoardActivity {
  id: string;
  kind: 'board';
  position: number;
  state: ActivityState;
  /** Notes and dot totals revealed; a board may be revealed while open (dots go on). */
  revealed?: boolean;
  prompt: LocalText;
  columns?: BoardColumn[];
  dots_per_person?: number;
  dots_per_note?: number;
  dot_totals?: 'live' | 'on_reveal';
  hidden_until_reveal?: boolean;
  locked?: boolean;
}

/** One sticky note as the recipient may see it. */
export interface Note {
  id: string;
  text: string;
  colour: NoteColour | (string & {});
  /** A column id of the board, or null (boards without columns: always null). */
  column: string | null;
  x: number;
  y: number;
  version: number;
  cluster: string | null;
  /** Total dots; null for participants while dot totals wait for the reveal. */
  dots: number | null;
  /** The recipient's own dots on it (0 for staff). */
  my_dots: number;
  mine: boolean;
  /** Staff only: hidden by the facilitator. */
  hidden?: boolean;
}

export interface Cluster {
  id: string;
  label: LocalText;
}

/** A kind this client does not know (a newer server): listed by id and kind, never answered. */
export interface OtherActivity {
  id: string;
  kind: string;
  position: number;
  state: ActivityState;
  [key: string]: unknown;
}

/** Every kind this client can show. Dispatch on `kind` with `knownActivity` (a switch, `never` default). */
export type KnownActivity = LikertActivity | BoardActivity | ChoiceActivity | RankingActivity | OpenTextActivity;
export type Kind = KnownActivity['kind'];
export const KINDS: readonly Kind[] = ['likert', 'board', 'choice', 'ranking', 'open_text'];

export type Activity = KnownActivity | OtherActivity;

/** The activity as one of the kinds this client knows, or null (then: "not supported here"). */
export function knownActivity(a: Activity | null | undefined): KnownActivity | null {
  return a && (KINDS as readonly string[]).includes(a.kind) ? (a as KnownActivity) : null;
}

/** For the `never` default of a switch over `Kind`: the compiler proves it is not reached. */
export function unreachable(x: never): never {
  throw new Error(`unexpected kind ${JSON.stringify(x)}`);
}

export function isLikert(a: Activity | null | undefined): a is LikertActivity {
  return !!a && a.kind === 'likert';
}

export function isBoard(a: Activity | null | undefined): a is BoardActivity {
  return !!a && a.kind === 'board';
}

export function isChoice(a: Activity | null | undefined): a is ChoiceActivity {
  return !!a && a.kind === 'choice';
}

export function isRanking(a: Activity | null | undefined): a is RankingActivity {
  return !!a && a.kind === 'ranking';
}

export function isOpenText(a: Activity | null | undefined): a is OpenTextActivity {
  return !!a && a.kind === 'open_text';
}

/** Whether the activity's results (a board: its notes and dot totals) have been revealed. */
export function isRevealed(a: { state: ActivityState; revealed?: unknown }): boolean {
  return a.state === 'revealed' || a.revealed === true;
}

export interface Group {
  id: string;
  label: LocalText;
  target?: number;
}

export interface Consent {
  required: boolean;
  text?: LocalText;
  info_url?: string;
}

/** `live`: a facilitator runs it; `self_paced`: a questionnaire open between two dates. */
export type WorkshopMode = 'live' | 'self_paced';

export interface Workshop {
  id: string;
  code?: string;
  title: LocalText;
  state: 'live' | 'ended';
  /** Older servers leave it out: live. */
  mode?: WorkshopMode;
  /** Self-paced only: when every activity opens and closes, RFC 3339 in UTC ("2026-12-01T09:00:00Z"). */
  opens_at?: string;
  closes_at?: string;
  languages?: string[];
  groups: Group[];
  consent?: Consent;
  /** Small cells: breakdowns with fewer respondents are withheld on shared screens; 1 = off. */
  min_cell?: number;
}

/** Whether the workshop is a self-paced questionnaire (docs/protocol.md, Self-paced workshops). */
export function isSelfPaced(w: Pick<Workshop, 'mode'> | null | undefined): boolean {
  return w?.mode === 'self_paced';
}

export interface You {
  id: string;
  token?: string;
  /** Facilitators only: the presenter token, for the presenter link. */
  presenter_token?: string;
  role: Role;
  group?: string | null;
  lang?: string;
  consent?: boolean;
}

/**
 * A participant's own answer to the current activity; `{}` when none. Likert: `value`;
 * choice: `options`; ranking: `order`; open text: `text`; `comment` with likert and choice.
 */
export interface Mine {
  value?: number;
  options?: string[];
  order?: string[];
  text?: string;
  comment?: string;
}

/** median: a scale point, a pair meaning "between a and b", or null when n = 0. */
export type Median = number | [number, number] | null;

export interface GroupSummary {
  /** Small cells: withheld on shared screens ({"suppressed":true} alone), marked for the facilitator. */
  suppressed?: boolean;
  n?: number;
  counts?: number[];
  median?: Median;
  agree_pct?: number | null;
  agree_ci95?: [number, number] | null;
}

export interface LikertSummary {
  type: 'summary';
  activity: string;
  kind: 'likert';
  n: number;
  // Everything below is absent in the restricted form participants get while results are not visible.
  counts?: number[];
  median?: Median;
  quartiles?: [number, number] | null;
  mean?: number | null;
  agree_pct?: number | null;
  disagree_pct?: number | null;
  net_agreement?: number | null;
  agree_ci95?: [number, number] | null;
  consensus?: number | null;
  by_group?: Record<string, GroupSummary>;
  by_channel?: Record<string, { n?: number; counts?: number[]; suppressed?: boolean }>;
  /** Small cells: the workshop's min_cell, sent when something is withheld or marked. */
  min_cell?: number;
  /** Fewer answers than min_cell: shared screens get `n` only. */
  suppressed?: boolean;
  /** Facilitator only. */
  comments?: Comment[];
}

/** A participant's "why?" as the facilitator gets it (never sent to others). */
export interface Comment {
  text: string;
  group: string | null;
  /** Likert: the scale point answered. */
  value?: number;
  /** Choice: the options chosen. */
  options?: string[];
  at?: number;
}

export interface ChoiceCounts {
  n: number;
  /** Small cells: a group the projector withholds (marked so for the facilitator). */
  suppressed?: boolean;
  counts?: Record<string, number>;
  /** count / n in percent; null when n = 0. */
  share_pct?: Record<string, number | null>;
  /** 95 % Wilson interval of each share, percent; null when n = 0. */
  share_ci95?: Record<string, [number, number] | null>;
}

export interface ChoiceSummary extends ChoiceCounts {
  type: 'summary';
  activity: string;
  kind: 'choice';
  by_group?: Record<string, ChoiceCounts>;
  by_channel?: Record<string, ChoiceCounts>;
  comments?: Comment[];
  /** Small cells: the workshop's min_cell, sent when something is withheld or marked. */
  min_cell?: number;
}

export interface RankingCounts {
  n: number;
  /** Small cells: a group the projector withholds (marked so for the facilitator). */
  suppressed?: boolean;
  /** Two decimals; null when n = 0. */
  mean_rank?: Record<string, number | null>;
  /** Σ (k − r) over respondents. */
  borda?: Record<string, number>;
  /** rank_counts[item][r − 1]: respondents who put the item r-th. */
  rank_counts?: Record<string, number[]>;
}

export interface RankingSummary extends RankingCounts {
  type: 'summary';
  activity: string;
  kind: 'ranking';
  by_group?: Record<string, RankingCounts>;
  /** Small cells: the workshop's min_cell, sent when something is withheld or marked. */
  min_cell?: number;
}

export interface ShownAnswer {
  id: string;
  text: string;
}

/** An open-text answer as the facilitator sees it. */
export interface OpenAnswer {
  id: string;
  text: string;
  group: string | null;
  shown: boolean;
  hidden: boolean;
  at?: number;
}

export interface OpenTextSummary {
  type: 'summary';
  activity: string;
  kind: 'open_text';
  n: number;
  /** The answers the facilitator shows, in the order they were shown (everyone). */
  shown?: ShownAnswer[];
  /** Facilitator only: every answer, newest last. */
  answers?: OpenAnswer[];
}

export type Summary = LikertSummary | ChoiceSummary | RankingSummary | OpenTextSummary;

export function isFullSummary(s: Summary | null | undefined): s is LikertSummary & { counts: number[] } {
  return !!s && s.kind === 'likert' && Array.isArray(s.counts);
}

export function isFullChoice(s: Summary | null | undefined): s is ChoiceSummary & { counts: Record<string, number> } {
  return !!s && s.kind === 'choice' && !!s.counts && typeof s.counts === 'object';
}

export function isFullRanking(s: Summary | null | undefined): s is RankingSummary & { mean_rank: Record<string, number | null> } {
  return !!s && s.kind === 'ranking' && !!s.mean_rank && typeof s.mean_rank === 'object';
}

export type ErrorCode =
  | 'bad_json'
  | 'bad_request'
  | 'unknown_type'
  | 'not_allowed'
  | 'not_found'
  | 'closed'
  | 'conflict'
  | 'rate_limited'
  | 'too_large'
  | 'version'
  | 'server_error'
  | 'unauthorized'
  | (string & {});

// ---- client → server ----

export type HelloParticipant = {
  type: 'hello';
  v: 1;
  role: 'participant';
  code: string;
  token: string | null;
  lang: string;
};
export type HelloStaff = {
  type: 'hello';
  v: 1;
  role: 'facilitator' | 'presenter';
  workshop: string;
  /** Left out: the staff sign-in of this browser (its session cookie) is asked instead. */
  token?: string;
};
/** A kiosk signs in with the id and device token from `POST /api/kiosks`; `clock` is its Date.now(). */
export type HelloKiosk = {
  type: 'hello';
  v: 1;
  role: 'kiosk';
  kiosk: string;
  token: string;
  clock: number;
};
export type Hello = HelloParticipant | HelloStaff | HelloKiosk;

export type ProfileRequest = {
  type: 'profile';
  group?: string | null;
  consent?: boolean;
  lang?: string;
};
/**
 * A participant withdraws: every answer, comment, note and dot of theirs is deleted, then the
 * ack; then the server closes the connection and the token no longer works.
 */
export type WithdrawRequest = { type: 'withdraw' };
/**
 * `pressed_at` (kiosks only): when the press happened, ms since the epoch on the kiosk's clock.
 * `pass` (kiosks only): one person's way through a questionnaire (1–64 of A–Z a–z 0–9 _ -):
 * every press of a pass is one respondent, a second press on an activity replaces the first.
 * `comment` (1–500 code points) only on activities that ask for one; left out, it removes an earlier one.
 */
export type VoteRequest = { type: 'vote'; activity: string; value: number; comment?: string; pressed_at?: number; pass?: string };
/** Removes the participant's answer of any question kind. */
export type VoteClearRequest = { type: 'vote.clear'; activity: string };
/** 1..max distinct option ids; kiosks send exactly one (with `pressed_at`) on a single-answer choice. */
export type ChooseRequest = { type: 'choose'; activity: string; options: string[]; comment?: string; pressed_at?: number; pass?: string };
/** Every item exactly once, first = rank 1. */
export type RankRequest = { type: 'rank'; activity: string; order: string[] };
/** 1..max_length code points after trimming; replaces the previous answer. */
export type AnswerRequest = { type: 'answer'; activity: string; text: string };
export type AnswerRequestAny = VoteRequest | ChooseRequest | RankRequest | AnswerRequest | VoteClearRequest;
/** Facilitator only (open text): on or off the shared screens; hide for moderation. */
export type AnswerShowRequest = { type: 'answer.show'; answer: string; shown: boolean };
export type AnswerHideRequest = { type: 'answer.hide'; answer: string; hidden: boolean };
export type ActivityControlRequest = {
  type: 'activity.open' | 'activity.close' | 'activity.reveal' | 'activity.goto';
  activity: string;
};
export type WorkshopEndRequest = { type: 'workshop.end' };

// Boards (docs/protocol.md, Boards).
export type NoteAddRequest = {
  type: 'note.add';
  activity: string;
  text: string;
  colour: NoteColour;
  column?: string | null;
  x: number;
  y: number;
};
export type NoteEditRequest = { type: 'note.edit'; note: string; text: string; version: number };
export type NoteMoveRequest = {
  type: 'note.move';
  note: string;
  column?: string | null;
  x?: number;
  y?: number;
  version?: number;
};
export type NoteDeleteRequest = { type: 'note.delete'; note: string };
export type DotRequest = { type: 'dot'; note: string; on: boolean };
export type NoteHideRequest = { type: 'note.hide'; note: string; hidden: boolean };
/** Creates a cluster (label required), renames it (label given) and/or puts notes in it; `cluster: null` takes the notes out of theirs. */
export type ClusterSetRequest = {
  type: 'cluster.set';
  activity: string;
  cluster: string | null;
  label?: LocalText;
  notes: string[];
};
export type ClusterDissolveRequest = { type: 'cluster.dissolve'; activity: string; cluster: string };
export type BoardLockRequest = { type: 'board.lock'; activity: string; locked: boolean };

export type BoardRequest =
  | NoteAddRequest
  | NoteEditRequest
  | NoteMoveRequest
  | NoteDeleteRequest
  | DotRequest
  | NoteHideRequest
  | ClusterSetRequest
  | ClusterDissolveRequest
  | BoardLockRequest;

/** A state-changing request before the connection gives it an op id. */
export type Request =
  | ProfileRequest
  | WithdrawRequest
  | VoteRequest
  | VoteClearRequest
  | ChooseRequest
  | RankRequest
  | AnswerRequest
  | AnswerShowRequest
  | AnswerHideRequest
  | ActivityControlRequest
  | WorkshopEndRequest
  | BoardRequest;

export type WithOp<R extends Request> = R & { op: string };

export type ClientMessage = Hello | WithOp<Request>;

// ---- server → client ----

export interface WelcomeMessage {
  type: 'welcome';
  v: number;
  you: You;
  workshop: Workshop;
  activity: Activity | null;
  mine?: Mine;
  agenda?: Activity[];
  /**
   * Participants and kiosks of a self-paced workshop: every activity in agenda order once the
   * questionnaire has opened (`[]` before it opens).
   */
  activities?: Activity[];
  /** A participant of a self-paced workshop: their own answer to each activity they answered. */
  answers?: Record<string, Mine>;
}
/** Participants and kiosks of a self-paced workshop, when it opens or closes: the whole list again. */
export interface ActivitiesMessage {
  type: 'activities';
  activities: Activity[];
}
export interface ActivityMessage {
  type: 'activity';
  /** For staff: the activity whose state changed (or the current one). */
  activity: Activity | null;
  /** Id of the current activity after this change (null: none). */
  current?: string | null;
  mine?: Mine;
}
export interface WorkshopMessage {
  type: 'workshop';
  state: 'live' | 'ended';
}
export interface PresenceMessage {
  type: 'presence';
  online: number;
  ungrouped?: number;
  by_group?: Record<string, number>;
}
export interface AckMessage {
  type: 'ack';
  op: string;
  /** The id of the note a `note.add` created. */
  note?: string;
}
export interface ErrorMessage {
  type: 'error';
  op?: string;
  code: ErrorCode;
  message?: string;
  /** With `conflict` on `note.edit`: the note as it is now. */
  note?: Note;
  /** With `rate_limited` after too many wrong codes or tokens: wait this long, in ms. */
  retry_after_ms?: number;
}
/** The whole board as the recipient may see it (replaces what the client had). */
export interface BoardMessage {
  type: 'board';
  activity: string;
  locked?: boolean;
  notes: Note[];
  clusters: Cluster[];
}
/**
 * A board's note changes since the server's last flush (at most one per board per flush): notes
 * added or changed, whole (upserts), then ids of notes deleted or no longer visible to this
 * recipient (e.g. hidden by the facilitator).
 */
export interface BoardChangesMessage {
  type: 'board.changes';
  activity: string;
  notes: Note[];
  removed: string[];
}
/** One note added or changed (upsert): a step of `board.changes`, and a conflict's note. */
export interface NoteMessage {
  type: 'note';
  activity: string;
  note: Note;
}
/** One note deleted, or (to participants) hidden: a step of `board.changes`. */
export interface NoteRemovedMessage {
  type: 'note.removed';
  activity: string;
  note: string;
}
export type BoardPush = BoardMessage | BoardChangesMessage | NoteMessage | NoteRemovedMessage;
/** Facilitator: who took part in a board (added a note or gave a dot), in all and per group. */
export interface ReachMessage {
  type: 'reach';
  activity: string;
  n: number;
  by_group: Record<string, { n: number }>;
}
/** One participant is told about their own notes and dots (docs/protocol.md, Notices). */
export interface NoticeMessage {
  type: 'notice';
  code: 'note_hidden' | 'dots_returned';
  activity: string;
  note: string;
  /** dots_returned: how many dots came back. */
  count?: number;
}

export type ServerMessage =
  | WelcomeMessage
  | ActivityMessage
  | ActivitiesMessage
  | WorkshopMessage
  | Summary
  | PresenceMessage
  | AckMessage
  | ErrorMessage
  | BoardMessage
  | BoardChangesMessage
  | ReachMessage
  | NoticeMessage;

/** Parses one text frame; returns null for anything that is not an object with a string `type`. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || typeof (v as { type?: unknown }).type !== 'string') return null;
  return v as ServerMessage;
}

// ---- HTTP ----

/** `GET /api/workshops/{id}/results` (facilitator): every activity with its full summary. */
export interface ResultsResponse {
  workshop?: Workshop;
  /** Set once the responses were purged (retention) or erased by staff. */
  purged?: { at: number; aggregates_kept: boolean } | null;
  activities: { activity: Activity; summary?: Summary | null; board?: { notes: { text: string; dots: number; hidden?: boolean; column?: string | null }[] } | null }[];
}

export interface CreatedWorkshop {
  id: string;
  code: string;
  facilitator_token: string;
  presenter_token: string;
}

export interface HttpError {
  error: { code: string; message: string };
}
