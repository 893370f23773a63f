// A self-paced questionnaire's strings on kiosks, Welsh (for review by a Welsh speaker:
// docs/web-client.md).
import type { SelfPacedKioskMessages } from './self_paced_kiosk_en';

export const selfPacedKioskCy: SelfPacedKioskMessages = {
  kpQuestionOf: (i, total) => `Cwestiwn ${i} o ${total}`,
  kpWelcome: 'Croeso',
  kpIntro: (n) => `${n} cwestiwn byr, un ar y tro. Pwyswch Dechrau i ddechrau.`,
  kpStart: 'Dechrau',
  kpBack: 'Yn ôl',
  kpSkip: 'Hepgor',
  kpRecorded: 'Mae eich atebion wedi’u cofnodi.',
  kpUsePhone: 'Mae’r holiadur hwn yn cael ei ateb ar ffonau — defnyddiwch eich ffôn',
  kpOpensOn: (date) => `Mae’r holiadur hwn yn agor ar ${date}.`,
  kpClosed: 'Mae’r holiadur hwn wedi cau. Diolch.',
  kpTimedOut: 'Fe ddechreuon ni eto ar gyfer y person nesaf.',
};
