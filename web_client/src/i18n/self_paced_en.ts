// A self-paced questionnaire's strings on phones, English (kiosks: self_paced_kiosk_en.ts). Apart from the shared
// catalogue (en.ts) so that phones of live workshops do not download them; self_paced_cy.ts must
// have exactly the same keys (the type enforces it). Functions take numbers and dates already
// formatted for display.

export const selfPacedEn = {
  spQuestionnaire: 'Questionnaire',
  spOpensOn: (date: string) => `This questionnaire opens on ${date}.`,
  spOpensHint: 'The first question appears here when it opens. You can close this page and come back with the same link.',
  spClosedOn: (date: string) => `This questionnaire closed on ${date}. Thank you.`,
  spClosedEarly: 'This questionnaire has closed. Thank you.',
  spYouAnswered: (n: string, total: string) => `You answered ${n} of ${total} questions.`,
  spQuestionOf: (i: string, total: string) => `Question ${i} of ${total}`,
  spOptional: 'Answering is optional: you can skip any question and come back to it.',
  spBack: 'Back',
  spNext: 'Next',
  spSkip: 'Skip this question',
  spCheck: 'Check your answers',
  spReviewTitle: 'Check your answers',
  spThanks: (n: string, total: string) => `Thank you — you have answered ${n} of ${total} questions.`,
  spChangeUntil: (date: string) => `You can change your answers until ${date}.`,
  spNotAnswered: 'Not answered',
  spChange: 'Change',
  spAnswerNow: 'Answer',
  /** The hidden end of a Change/Answer link's name: "… question 3". */
  spLinkQuestion: (i: string) => ` question ${i}`,
  spYourAnswers: 'The questions and your answers',
  spStillOpen: 'A question you answer here is saved at once.',
};

export type SelfPacedMessages = typeof selfPacedEn;
