import {
  satisfactionCounts,
  type CertificateListRow,
  type InspectionListRow,
  type InspectionStatusFilter,
  type SurveyListRow,
} from '@ihl/domain';
import type { LedgerEvent } from './ledger-events';
import type { Projection } from './projection';
import type { Sql } from './statement-cache';

const INSPECTIONS = ['InspectionRecorded', 'FindingRecorded', 'FindingResolved'] as const;
const CERTIFICATES = ['CertificateAwarded', 'CertificateRenewed', 'CertificateWithdrawn'] as const;
const SURVEYS = ['SurveyResultsRecorded', 'SurveyResultsCorrected', 'SurveyResultsVoided'] as const;
type Handled = (typeof INSPECTIONS)[number] | (typeof CERTIFICATES)[number] | (typeof SURVEYS)[number];

/**
 * The quality records of a project as lists read them (docs/quality.md): one row per inspection
 * and per finding. Its tables are kept with their history by default (as-of-tables.ts), so a list
 * answers as of a point like every other.
 */
export const qualityProjection: Projection<LedgerEvent<Handled>> = {
  name: 'quality',
  version: 3,
  tables: ['quality_inspections', 'quality_findings', 'quality_certificates', 'quality_surveys'],
  schema: `
    create table if not exists quality_inspections (
      inspection_id text primary key, project_code text not null, partner_id text not null, kind text not null,
      started_on text not null, ended_on text not null, scope text not null
    );
    create index if not exists quality_inspections_list on quality_inspections (project_code, started_on, inspection_id);
    create table if not exists quality_findings (
      inspection_id text not null, finding_id text not null, severity text not null, due_on text not null,
      resolved_on text, primary key (inspection_id, finding_id)
    );
    create table if not exists quality_certificates (
      certificate_id text primary key, project_code text not null, partner_id text not null, scheme text not null,
      scheme_name text, services text not null, valid_from text not null, valid_to text not null,
      certifying_body text not null, certificate_ref text not null, renewals integer not null, withdrawn_on text
    );
    create index if not exists quality_certificates_partner on quality_certificates (project_code, partner_id);
    create table if not exists quality_surveys (
      survey_id text primary key, project_code text not null, partner_id text not null,
      respondent_group text not null, period_from text not null, period_to text not null,
      respondents integer not null, questions integer not null, answered integer not null, satisfied integer not null,
      status text not null
    );
    create index if not exists quality_surveys_partner on quality_surveys (project_code, partner_id);
  `,
  handles: [...INSPECTIONS, ...CERTIFICATES, ...SURVEYS],
  evolve(e, { db }): void {
    switch (e.type) {
      case 'SurveyResultsRecorded':
      case 'SurveyResultsCorrected':
      case 'SurveyResultsVoided':
        evolveSurvey(db, e);
        return;
      case 'CertificateAwarded':
      case 'CertificateRenewed':
      case 'CertificateWithdrawn':
        evolveCertificate(db, e);
        return;
      case 'InspectionRecorded': {
        const { inspectionId, projectCode, partnerId, kind, startedOn, endedOn, scope } = e.data;
        db.prepare('insert or ignore into quality_inspections values (?, ?, ?, ?, ?, ?, ?)').run(
          inspectionId,
          projectCode,
          partnerId,
          kind,
          startedOn,
          endedOn,
          scope,
        );
        return;
      }
      case 'FindingRecorded': {
        const { inspectionId, findingId, severity, dueOn } = e.data;
        db.prepare('insert or ignore into quality_findings values (?, ?, ?, ?, null)').run(
          inspectionId,
          findingId,
          severity,
          dueOn,
        );
        return;
      }
      case 'FindingResolved':
        db.prepare('update quality_findings set resolved_on = ? where inspection_id = ? and finding_id = ?').run(
          e.data.resolvedOn,
          e.data.inspectionId,
          e.data.findingId,
        );
    }
  },
};

function evolveCertificate(db: Sql, e: LedgerEvent<(typeof CERTIFICATES)[number]>): void {
  if (e.type === 'CertificateAwarded') {
    const d = e.data;
    db.prepare('insert or ignore into quality_certificates values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, null)').run(
      d.certificateId,
      d.projectCode,
      d.partnerId,
      d.scheme,
      d.schemeName,
      JSON.stringify(d.services),
      d.validFrom,
      d.validTo,
      d.certifyingBody,
      d.certificateRef,
    );
  } else if (e.type === 'CertificateRenewed') {
    db.prepare(
      `update quality_certificates set valid_to = ?, certificate_ref = ?, renewals = renewals + 1
       where certificate_id = ?`,
    ).run(e.data.validTo, e.data.certificateRef, e.data.certificateId);
  } else {
    db.prepare('update quality_certificates set withdrawn_on = ? where certificate_id = ?').run(
      e.data.withdrawnOn,
      e.data.certificateId,
    );
  }
}

function evolveSurvey(db: Sql, e: LedgerEvent<(typeof SURVEYS)[number]>): void {
  if (e.type === 'SurveyResultsVoided') {
    db.prepare("update quality_surveys set status = 'voided' where survey_id = ?").run(e.data.surveyId);
    return;
  }
  const d = e.data;
  const { answered, satisfied } = satisfactionCounts(d.questions);
  const counts = [d.respondentGroup, d.periodFrom, d.periodTo, d.respondents, d.questions.length, answered, satisfied];
  if (e.type === 'SurveyResultsRecorded')
    db.prepare("insert or ignore into quality_surveys values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'recorded')").run(
      d.surveyId,
      e.data.projectCode,
      e.data.partnerId,
      ...counts,
    );
  else
    db.prepare(
      `update quality_surveys set respondent_group = ?, period_from = ?, period_to = ?, respondents = ?, questions = ?,
         answered = ?, satisfied = ?, status = 'corrected' where survey_id = ?`,
    ).run(...counts, d.surveyId);
}

/** The project's surveys (a partner's only, if given), by partner, period and id. */
export function surveysOf(db: Sql, projectCode: string, partnerId?: string): SurveyListRow[] {
  return db
    .prepare(
      `select survey_id as surveyId, partner_id as partnerId, respondent_group as respondentGroup,
              period_from as periodFrom, period_to as periodTo, respondents, questions, answered, satisfied, status
       from quality_surveys where project_code = ? and (? is null or partner_id = ?)
       order by partner_id, period_from, survey_id`,
    )
    .all(projectCode, partnerId ?? null, partnerId ?? null) as SurveyListRow[];
}

/** The project's certificates (a partner's only, if given), by partner, first day and id. */
export function certificatesOf(db: Sql, projectCode: string, partnerId?: string): CertificateListRow[] {
  const rows = db
    .prepare(
      `select certificate_id as certificateId, partner_id as partnerId, scheme, scheme_name as schemeName, services,
              valid_from as validFrom, valid_to as validTo, certifying_body as certifyingBody,
              certificate_ref as certificateRef, renewals, withdrawn_on as withdrawnOn
       from quality_certificates where project_code = ? and (? is null or partner_id = ?)
       order by partner_id, valid_from, certificate_id`,
    )
    .all(projectCode, partnerId ?? null, partnerId ?? null) as (Omit<CertificateListRow, 'services'> & {
    services: string;
  })[];
  return rows.map((r) => ({ ...r, services: JSON.parse(r.services) as string[] }));
}

export interface InspectionListRequest {
  readonly projectCode: string;
  readonly partnerId?: string | undefined;
  readonly status: InspectionStatusFilter;
  /** The day overdue is counted on. */
  readonly today: string;
  /** Where the last page ended (its last row's first day and id); null: from the start. */
  readonly after: { readonly startedOn: string; readonly inspectionId: string } | null;
  readonly limit: number;
}

const STATUS_WHERE: Record<InspectionStatusFilter, string> = {
  all: '',
  open: 'and openFindings > 0',
  overdue: 'and overdueFindings > 0',
  closed: 'and openFindings = 0',
};

/** Per partner: its inspections' findings not resolved, and of those the ones past their due day. */
export function findingCounts(
  db: Sql,
  projectCode: string,
  today: string,
): Map<string, { open: number; overdue: number }> {
  const rows = db
    .prepare(
      `select i.partner_id as partnerId, count(*) as open, sum(case when f.due_on < ? then 1 else 0 end) as overdue
       from quality_findings f join quality_inspections i on i.inspection_id = f.inspection_id
       where i.project_code = ? and f.resolved_on is null group by i.partner_id`,
    )
    .all(today, projectCode) as { partnerId: string; open: number; overdue: number }[];
  return new Map(rows.map((r) => [r.partnerId, { open: r.open, overdue: r.overdue }]));
}

/** A page of the project's inspections, the earliest first (by first day, then id). */
export function inspectionsPage(db: Sql, r: InspectionListRequest): InspectionListRow[] {
  const after = r.after ?? { startedOn: '', inspectionId: '' };
  return db
    .prepare(
      `select * from (
         select i.inspection_id as inspectionId, i.partner_id as partnerId, i.kind, i.scope,
                i.started_on as startedOn, i.ended_on as endedOn,
                (select count(*) from quality_findings f where f.inspection_id = i.inspection_id) as findings,
                (select count(*) from quality_findings f
                  where f.inspection_id = i.inspection_id and f.resolved_on is null) as openFindings,
                (select count(*) from quality_findings f
                  where f.inspection_id = i.inspection_id and f.resolved_on is null and f.due_on < ?) as overdueFindings
         from quality_inspections i
         where i.project_code = ? and (? is null or i.partner_id = ?)
           and (i.started_on, i.inspection_id) > (?, ?)
       ) where 1 = 1 ${STATUS_WHERE[r.status]}
       order by startedOn, inspectionId limit ?`,
    )
    .all(
      r.today,
      r.projectCode,
      r.partnerId ?? null,
      r.partnerId ?? null,
      after.startedOn,
      after.inspectionId,
      r.limit,
    ) as InspectionListRow[];
}
