import { GetProjectQuery, type ProjectView } from '@ihl/application';
import type { JobHandler, ReportWorkbookPayload } from '../job-registry';
import { readReportViews, unrecoverable, type ReportQueries, type ReportViews } from '../report-views';
import { reportFile, writeReportFile } from '../report-workbook.job';
import {
  ledgerStampAt,
  stampCoverLines,
  stampPdfInfo,
  type CheckpointLookup,
  type LedgerStamp,
} from '../ledger-stamp/ledger-stamp';
import { vilniusMinute } from './pdf-format';
import { newPdf, numberPages, pdfBytes } from './pdf-layout';
import { budgetSection, cover, esfSection, personsSection, positionText, volumesSection } from './pdf-sections';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Builds the PDF report pack (cover, persons reached, volumes, budget, ESF+ table, with ECharts
 * charts) from the same views as the XLSX workbook, at one ledger position, and writes
 * DATA_DIR/reports/<job id>.pdf (0600). Nothing in it comes from the clock: the same position gives
 * the same bytes.
 */
export function reportPdfJob(deps: {
  readonly queries: ReportQueries;
  readonly dataDir: string;
  /** The store's signed checkpoints: the pack carries the one it was built on (cover and Keywords). */
  readonly checkpoints?: CheckpointLookup;
}): JobHandler<'report-pdf'> {
  return async (payload, context) => {
    const views = await readReportViews(deps.queries, payload, {
      register: false,
      progress: (done) => context.progress({ done, total: 6 }),
    }).catch(unrecoverable);
    const project = await deps.queries
      .execute<ProjectView>(new GetProjectQuery(payload.projectCode))
      .catch(unrecoverable);
    const stamp = await ledgerStampAt(deps.checkpoints, views.position);
    const { bytes, pages } = await reportPdf(views, project, payload, stamp);
    await writeReportFile(reportFile(deps.dataDir, context.id, 'pdf'), bytes);
    await context.progress({ done: 6, total: 6 });
    return { file: `${context.id}.pdf`, position: views.position, pages };
  };
}

/** The pack's bytes and page count. */
export async function reportPdf(
  views: ReportViews,
  project: ProjectView,
  payload: Pick<ReportWorkbookPayload, 'asOf'>,
  stamp: LedgerStamp | null = null,
): Promise<{ bytes: Buffer; pages: number }> {
  const { start, end } = project.definition.period;
  const day = payload.asOf && DAY.test(payload.asOf) ? payload.asOf : vilniusMinute(views.esf.recordedAt).slice(0, 10);
  const doc = newPdf({
    title: `Ataskaitų paketas ${project.definition.code}`,
    subject: positionText(views),
    // The ledger point's time, not the clock's: the dates and the file ID are made from it.
    createdAt: new Date(views.esf.recordedAt),
    ...stampPdfInfo(stamp),
  });
  cover(doc, views, project, { from: start, to: day < end ? day : end }, stampCoverLines(stamp));
  personsSection(doc, views);
  volumesSection(doc, views);
  budgetSection(doc, views);
  esfSection(doc, views);
  const pages = doc.bufferedPageRange().count;
  numberPages(doc, `${project.definition.code} · pozicija ${views.position}`);
  return { bytes: await pdfBytes(doc), pages };
}
