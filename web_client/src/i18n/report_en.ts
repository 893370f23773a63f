// The staff report pages' strings added with self-paced workshops and timings (the workshop
// list's mode and window, the results page's timings, the programme report's print header),
// English. Apart from the shared catalogue (en.ts) so that a phone joining a workshop does not
// download them; report_cy.ts must have exactly the same keys (the type enforces it).
export const reportEn = {
  modeSelfPaced: 'Self-paced',
  window: (opens: string, closes: string) => `${opens} to ${closes}`,
  windowLabel: 'Open for answers',
  timingsTitle: 'Timings',
  timingsIntro: 'When each activity was open and when its answers came (times in your time zone).',
  timingsActivityCol: 'Activity',
  timingsOpenedCol: 'Opened',
  timingsOpenForCol: 'Open for',
  timingsAnswersCol: 'Answers',
  timingsFirstCol: 'First answer',
  timingsLastCol: 'Last answer',
  timingsStillOpen: 'still open',
  timingsNotOpened: 'not opened',
  timingsNone: '–',
  timingsSpan: (n: string, median: string, q1: string, q3: string) =>
    `${n} respondents took a median of ${median} from their first to their last answer (quartiles ${q1} to ${q3}).`,
  timingsSpanOne: (median: string) => `The one respondent took ${median} from their first to their last answer.`,
  timingsNoSpan: 'No one has answered yet.',
  durUnderSecond: 'under a second',
  durSeconds: (n: string) => (n === '1' ? '1 second' : `${n} seconds`),
  durMinutes: (n: string) => (n === '1' ? '1 minute' : `${n} minutes`),
  durHours: (h: string, min: string) => `${h} h ${min} min`,
  durDays: (d: string, h: string) => `${d} d ${h} h`,
  reportTitle: (programme: string) => `Programme report: ${programme}`,
  reportMade: (when: string) => `Made on ${when}.`,
  reportWorkshops: 'Workshops in this report',
  reportParticipantsCol: 'Participants (n)',
  reportStateCol: 'State',
  reportTotal: 'All workshops',
  reportStatementsN: (n: string) => `Statements compared: ${n}`,
};

export type ReportMessages = typeof reportEn;
