// The staff report pages' strings, Welsh (for review by a Welsh speaker: docs/web-client.md).
import type { ReportMessages } from './report_en';

export const reportCy: ReportMessages = {
  modeSelfPaced: 'Ar eich cyflymder eich hun',
  window: (opens, closes) => `${opens} hyd ${closes}`,
  windowLabel: 'Ar agor i atebion',
  timingsTitle: 'Amseriadau',
  timingsIntro: 'Pryd roedd pob gweithgaredd ar agor a phryd y daeth ei atebion (amseroedd yn eich cylchfa amser chi).',
  timingsActivityCol: 'Gweithgaredd',
  timingsOpenedCol: 'Agorwyd',
  timingsOpenForCol: 'Ar agor am',
  timingsAnswersCol: 'Atebion',
  timingsFirstCol: 'Ateb cyntaf',
  timingsLastCol: 'Ateb olaf',
  timingsStillOpen: 'yn dal ar agor',
  timingsNotOpened: 'heb ei agor',
  timingsNone: '–',
  timingsSpan: (n, median, q1, q3) =>
    `Cymerodd ${n} o ymatebwyr ganolrif o ${median} o’u hateb cyntaf i’w hateb olaf (chwartelau ${q1} i ${q3}).`,
  timingsSpanOne: (median) => `Cymerodd yr un ymatebydd ${median} o’i ateb cyntaf i’w ateb olaf.`,
  timingsNoSpan: 'Does neb wedi ateb eto.',
  durUnderMinute: 'llai na munud',
  durMinutes: (n) => (n === '1' ? '1 munud' : `${n} munud`),
  durHours: (h, min) => `${h} awr ${min} mun`,
  durDays: (d, h) => `${d} diwrnod ${h} awr`,
  reportTitle: (programme) => `Adroddiad y rhaglen: ${programme}`,
  reportMade: (when) => `Gwnaed ar ${when}.`,
  reportWorkshops: 'Gweithdai yn yr adroddiad hwn',
  reportParticipantsCol: 'Cyfranogwyr (n)',
  reportStateCol: 'Cyflwr',
  reportTotal: 'Pob gweithdy',
  reportStatementsN: (n) => `Datganiadau a gymharwyd: ${n}`,
};
