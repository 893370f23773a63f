// The data dictionary: every column of the two CSV downloads, in the order the server writes
// them (server/export/csv.cpp). Each column's meaning is in i18n (`dictionaryExport`,
// `dictionaryBoards`), so the Messages type makes both languages describe every column; the
// browser test compares these lists with the header rows the server sends.

export const EXPORT_COLUMNS = [
  'workshop',
  'activity_position',
  'activity',
  'statement',
  'respondent',
  'group',
  'channel',
  'language',
  'value',
  'label',
  'answered_at',
  'comment',
  'hidden',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

export const BOARD_COLUMNS = [
  'workshop',
  'activity_position',
  'activity',
  'prompt',
  'note',
  'respondent',
  'group',
  'column',
  'cluster',
  'cluster_label',
  'colour',
  'text',
  'dots',
  'hidden',
  'x',
  'y',
  'created_at',
] as const;
export type BoardColumn = (typeof BOARD_COLUMNS)[number];
