import { Workbook } from 'exceljs';
import type { Response } from 'express';
import type { CoordinatorReportView } from '@ihl/application';
import type { CoordinatorWorkerLine, ServiceEndReason, WorkerRole } from '@ihl/domain';
import { addSheet, type ReportCell, type ReportSheet } from '@ihl/jobs';
import { sendCsv, type CsvDialect } from '../http/csv-export';
import { sendWorkbook } from '../exports/export-stamp';

/** The end reasons and roles as the sheets name them (Lithuanian, the coordinators' language). */
export const END_REASON_LT: Readonly<Record<ServiceEndReason, string>> = {
  'no-longer-needed': 'Paslauga nebereikalinga',
  'moved-away': 'Išvyko',
  'residential-care': 'Apgyvendintas globos įstaigoje',
  died: 'Mirė',
  refused: 'Atsisakė',
  other: 'Kita',
};
const ROLE_LT: Readonly<Record<WorkerRole, string>> = {
  'social-worker': 'Socialinis darbuotojas',
  assistant: 'Asistentas',
  'care-worker': 'Individualios priežiūros darbuotojas',
  nurse: 'Slaugytojas',
  psychologist: 'Psichologas',
  coordinator: 'Koordinatorius',
  other: 'Kita',
};

const ranges = (w: CoordinatorWorkerLine) => w.timeRanges.map((r) => `${r.from}-${r.to} (${r.services})`).join('; ');
const day = (d: string | null): ReportCell => (d === null ? null : { day: d });

function summarySheet(v: CoordinatorReportView): ReportSheet {
  return {
    name: 'Suvestinė',
    header: ['Rodiklis / Figure', 'Reikšmė / Value'],
    widths: [44, 14],
    rows: [
      ['Partneris / Partner', v.partnerId],
      ['Laikotarpis / Period', v.period],
      ['Nuo / From', day(v.from)],
      ['Iki / To', day(v.to)],
      ['Paslaugos / Services', v.totals.services],
      ['Valandos / Hours', v.totals.hours],
      ['Aptarnauti asmenys / Persons served', v.totals.persons],
      ['Nauji asmenys / New persons', v.newPersons],
      ['Atlaisvintos pareigybės / Positions vacated', v.positions.vacated],
      ['Užimtos pareigybės / Positions filled', v.positions.filled],
      ['Neužimtos laikotarpio pabaigoje / Open at the end', v.positions.openAtEnd],
      ['Žurnalo pozicija / Ledger position', v.position],
    ],
  };
}

function sheets(v: CoordinatorReportView): ReportSheet[] {
  return [
    {
      name: 'Darbuotojai',
      header: [
        'Darbuotojas / Worker',
        'Komanda / Team',
        'Pareigos / Role',
        'Paslaugos / Services',
        'Valandos / Hours',
        'Asmenys / Persons',
        'Su laiku / Timed',
        'Anksčiausia pradžia / Earliest start',
        'Vėliausia pabaiga / Latest end',
        'Laiko intervalai / Time ranges',
      ],
      widths: [16, 14, 22, 12, 12, 12, 12, 16, 16, 40],
      rows: v.workers.map((w) => [
        w.workerRef ?? '—',
        w.teamRef,
        w.role === null ? null : ROLE_LT[w.role],
        w.services,
        w.hours,
        w.persons,
        w.timedServices,
        w.earliestStart,
        w.latestEnd,
        ranges(w),
      ]),
    },
    {
      name: 'Paslaugų nutraukimas',
      header: ['Priežastis / Reason', 'Asmenys / Persons'],
      widths: [34, 12],
      rows: v.serviceEndings.map((e) => [END_REASON_LT[e.reason], e.count]),
    },
    {
      name: 'Pareigybės',
      header: [
        'Pareigybė / Position',
        'Komanda / Team',
        'Pareigos / Role',
        'Atlaisvinta / Vacated',
        'Užimta / Filled',
        'Darbuotojas / Worker',
      ],
      widths: [16, 14, 22, 14, 14, 16],
      rows: v.positions.entries.map((p) => [
        p.positionRef,
        p.teamRef,
        ROLE_LT[p.role],
        day(p.vacatedOn),
        day(p.filledOn),
        p.workerRef,
      ]),
    },
    summarySheet(v),
  ];
}

type Row = (string | number)[];

/** One CSV of sections: `section,item,metric,value`, a line per figure (as the volumes CSV). */
function csvRows(v: CoordinatorReportView): Row[] {
  const rows: Row[] = [];
  for (const w of v.workers) {
    const item = w.workerRef ?? '';
    rows.push(
      ['worker', item, 'team', w.teamRef ?? ''],
      ['worker', item, 'role', w.role ?? ''],
      ['worker', item, 'services', w.services],
      ['worker', item, 'hours', w.hours],
      ['worker', item, 'persons', w.persons],
      ['worker', item, 'earliest_start', w.earliestStart ?? ''],
      ['worker', item, 'latest_end', w.latestEnd ?? ''],
      ['worker', item, 'time_ranges', ranges(w)],
    );
  }
  rows.push(
    ['totals', '*', 'services', v.totals.services],
    ['totals', '*', 'hours', v.totals.hours],
    ['totals', '*', 'persons', v.totals.persons],
    ['totals', '*', 'new_persons', v.newPersons],
  );
  for (const e of v.serviceEndings) rows.push(['service_endings', e.reason, 'persons', e.count]);
  rows.push(
    ['positions', '*', 'vacated', v.positions.vacated],
    ['positions', '*', 'filled', v.positions.filled],
    ['positions', '*', 'open_at_end', v.positions.openAtEnd],
  );
  for (const p of v.positions.entries)
    rows.push(
      ['position', p.positionRef, 'vacated_on', p.vacatedOn],
      ['position', p.positionRef, 'filled_on', p.filledOn ?? ''],
    );
  return rows;
}

/** The coordinator report as CSV (one file of sections) or XLSX (typed sheets, Lithuanian headers). */
export async function sendCoordinatorReport(
  res: Response,
  v: CoordinatorReportView,
  format: 'csv' | 'xlsx',
  dialect: CsvDialect,
): Promise<void> {
  const name = `coordinator-report-${v.projectCode}-${v.partnerId}-${v.period}`;
  if (format === 'csv')
    return sendCsv(res, name, ['section', 'item', 'metric', 'value'], csvRows(v), dialect, v.position);
  const book = new Workbook();
  for (const sheet of sheets(v)) addSheet(book, sheet);
  return sendWorkbook(res, name, book, v.position);
}
