// A self-paced questionnaire's strings on the console and the projector, Welsh (for review by a
// Welsh speaker: docs/web-client.md).
import type { SelfPacedStaffMessages } from './self_paced_staff_en';

export const selfPacedStaffCy: SelfPacedStaffMessages = {
  spsMode: 'Holiadur i’w ateb ar eich cyflymder eich hun',
  spsWindow: (opens, closes) => `Ar agor o ${opens} hyd ${closes}`,
  spsOpenNow: 'Ar agor nawr',
  spsNotYetOpen: 'Heb agor eto',
  spsClosed: 'Wedi cau',
  spsHow: 'Mae pob cwestiwn yn agor ac yn cau yn ôl y dyddiadau hyn: does dim i’w ddechrau na’i stopio. Mae pobl yn ateb ar eu cyflymder eu hunain, ar eu ffonau neu mewn ciosg.',
  spsConnected: (n) => `Wedi cysylltu nawr: ${n}`,
  spsResponses: 'Atebion i bob cwestiwn',
  spsResultsLink: 'Y canlyniadau llawn, y lawrlwythiadau a’r adroddiad',
  spsQuestionCol: 'Cwestiwn',
  spsAnswersCol: 'Atebion',
  spsEndTitle: 'Cau’r holiadur nawr',
  spsEndHint: 'Mae’n cau pob cwestiwn cyn y dyddiad cau. Ni all neb ateb ar ôl hyn.',
  spsJoin: 'Atebwch ar eich ffôn yn',
};
