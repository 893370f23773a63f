// A self-paced questionnaire's strings on kiosks, English (a kiosk shows every language at once:
// each string stands alone). Apart from the shared catalogue so that phones do not download
// them; self_paced_kiosk_cy.ts must have exactly the same keys (the type enforces it).

export const selfPacedKioskEn = {
  kpQuestionOf: (i: string, total: string) => `Question ${i} of ${total}`,
  kpWelcome: 'Welcome',
  kpIntro: (n: string) => `${n} short questions, one at a time. Press Start to begin.`,
  kpStart: 'Start',
  kpBack: 'Back',
  kpSkip: 'Skip',
  kpRecorded: 'Your answers have been recorded.',
  kpUsePhone: 'This questionnaire is answered on phones — please use your phone',
  kpOpensOn: (date: string) => `This questionnaire opens on ${date}.`,
  kpClosed: 'This questionnaire has closed. Thank you.',
  kpTimedOut: 'We started again for the next person.',
};

export type SelfPacedKioskMessages = typeof selfPacedKioskEn;
