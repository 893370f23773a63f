// A self-paced questionnaire's strings on phones, Welsh (for review by a Welsh
// speaker: docs/web-client.md).
import type { SelfPacedMessages } from './self_paced_en';

export const selfPacedCy: SelfPacedMessages = {
  spQuestionnaire: 'Holiadur',
  spOpensOn: (date) => `Mae’r holiadur hwn yn agor ar ${date}.`,
  spOpensHint: 'Bydd y cwestiwn cyntaf yn ymddangos yma pan fydd yn agor. Gallwch gau’r dudalen hon a dod yn ôl gyda’r un ddolen.',
  spClosedOn: (date) => `Caeodd yr holiadur hwn ar ${date}. Diolch.`,
  spClosedEarly: 'Mae’r holiadur hwn wedi cau. Diolch.',
  spYouAnswered: (n, total) => `Fe wnaethoch chi ateb ${n} o ${total} cwestiwn.`,
  spQuestionOf: (i, total) => `Cwestiwn ${i} o ${total}`,
  spOptional: 'Does dim rhaid ateb: gallwch hepgor unrhyw gwestiwn a dod yn ôl ato.',
  spBack: 'Yn ôl',
  spNext: 'Nesaf',
  spSkip: 'Hepgor y cwestiwn hwn',
  spCheck: 'Gwirio’ch atebion',
  spReviewTitle: 'Gwirio’ch atebion',
  spThanks: (n, total) => `Diolch — rydych chi wedi ateb ${n} o ${total} cwestiwn.`,
  spChangeUntil: (date) => `Gallwch newid eich atebion tan ${date}.`,
  spNotAnswered: 'Heb ei ateb',
  spChange: 'Newid',
  spAnswerNow: 'Ateb',
  spLinkQuestion: (i) => ` cwestiwn ${i}`,
  spYourAnswers: 'Y cwestiynau a’ch atebion',
  spStillOpen: 'Mae ateb a rowch chi yma’n cael ei gadw ar unwaith.',
};
