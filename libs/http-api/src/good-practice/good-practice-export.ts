import { Workbook } from 'exceljs';
import type { Response } from 'express';
import type { GoodPracticeView } from '@ihl/application';
import { TARGET_GROUPS, type GoodPracticeRow } from '@ihl/domain';
import { addSheet, type ReportCell } from '@ihl/jobs';
import { sendCsv, type CsvDialect } from '../http/csv-export';
import { sendWorkbook } from '../exports/export-stamp';

type Column = readonly [csv: string, header: string, width: number, cell: (r: GoodPracticeRow) => ReportCell];

const GROUP_LT: Record<string, string> = {
  'disabled-child': 'neįgalūs vaikai',
  'disabled-adult': 'neįgalūs suaugusieji',
  elderly: 'senyvo amžiaus asmenys',
};

const groupColumns = (): Column[] =>
  TARGET_GROUPS.flatMap((g, i): Column[] => [
    [`persons_${g}`, `Asmenys: ${GROUP_LT[g]}`, 14, (r) => r.targetGroups[i]?.persons ?? 0],
    [`percent_${g}`, `Dalis %: ${GROUP_LT[g]}`, 12, (r) => r.targetGroups[i]?.percent ?? null],
  ]);

/** The table's columns: CSV name, Lithuanian sheet header, width, the cell of a partner's row. */
const COLUMNS: readonly Column[] = [
  ['partner', 'Partneris', 20, (r) => r.partnerId],
  ['planned_places', 'Planuotos vietos', 12, (r) => r.plannedPlaces],
  ['persons_served', 'Aptarnauti asmenys', 12, (r) => r.personsServed],
  ['capacity_use_percent', 'Vietų panaudojimas %', 14, (r) => r.capacityUsePercent],
  ...groupColumns(),
  ['home_services', 'Paslaugos namuose', 12, (r) => r.homeServices],
  ['all_services', 'Visos paslaugos', 12, (r) => r.allServices],
  ['home_share_percent', 'Namuose %', 10, (r) => r.homeSharePercent],
  ['satisfaction_percent', 'Paslaugų gavėjų pasitenkinimas %', 16, (r) => r.satisfactionPercent],
  ['satisfaction_answers', 'Atsakymų', 10, (r) => r.satisfactionAnswers],
  ['open_findings', 'Neišspręstos pastabos', 12, (r) => r.openFindings],
  ['overdue_findings', 'Pavėluotos pastabos', 12, (r) => r.overdueFindings],
  ['certificate', 'Sertifikatas', 12, (r) => r.certificate],
];

/** The good-practice table as a CSV (a partner a line) or an XLSX sheet with Lithuanian headers. */
export async function sendGoodPractice(
  res: Response,
  v: GoodPracticeView,
  format: 'csv' | 'xlsx',
  dialect: CsvDialect,
): Promise<void> {
  const name = `${v.projectCode}-good-practice-${v.today}`;
  const rows = v.partners.map((r) => COLUMNS.map(([, , , cell]) => cell(r)));
  if (format === 'csv')
    return sendCsv(
      res,
      name,
      COLUMNS.map(([csv]) => csv),
      rows.map((r) => r.map((c) => (c === null ? '' : typeof c === 'object' ? '' : c))),
      dialect,
      v.position,
    );
  const book = new Workbook();
  addSheet(book, {
    name: 'Gerosios praktikos rodikliai',
    header: COLUMNS.map(([, header]) => header),
    widths: COLUMNS.map(([, , width]) => width),
    rows,
  });
  return sendWorkbook(res, name, book, v.position);
}
