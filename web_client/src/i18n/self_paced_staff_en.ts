// A self-paced questionnaire's strings on the facilitator's console and the projector, English.
// Apart from the shared catalogue (en.ts) so that phones do not download them;
// self_paced_staff_cy.ts must have exactly the same keys (the type enforces it).

export const selfPacedStaffEn = {
  spsMode: 'Self-paced questionnaire',
  spsWindow: (opens: string, closes: string) => `Open from ${opens} to ${closes}`,
  spsOpenNow: 'Open now',
  spsNotYetOpen: 'Not open yet',
  spsClosed: 'Closed',
  spsHow: 'Every question opens and closes by these dates: there is nothing to start or stop. People answer at their own pace, on their phones or at a kiosk.',
  spsConnected: (n: string) => `Connected now: ${n}`,
  spsResponses: 'Answers per question',
  spsResultsLink: 'Full results, downloads and the report',
  spsQuestionCol: 'Question',
  spsAnswersCol: 'Answers',
  spsEndTitle: 'Close the questionnaire now',
  spsEndHint: 'Closes every question before the closing date. Nobody can answer after this.',
  spsJoin: 'Answer on your phone at',
};

export type SelfPacedStaffMessages = typeof selfPacedStaffEn;
