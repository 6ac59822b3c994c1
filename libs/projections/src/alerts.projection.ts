import type { AlertDetails, AlertListRow, AlertStatusFilter, AlertsPageRequest } from '@ihl/domain';
import type { LedgerEvent } from './ledger-events';
import type { Projection } from './projection';
import type { Sql } from './statement-cache';

const STREAM_PREFIX = 'alerts-';

/** The alerts of every project, raised and resolved by the scheduled checks (alerts-<code> streams). */
export const alertsProjection: Projection<LedgerEvent<'AlertRaised' | 'AlertResolved'>> = {
  name: 'alerts',
  version: 1,
  tables: ['alerts_alerts'],
  schema: `
    create table if not exists alerts_alerts (
      project_code text not null, alert_id text not null, check_name text not null, cause text not null,
      partner_id text, category_id text, record_id text, period_id text, details text not null,
      raised_position integer not null, raised_at text not null,
      resolved_position integer, resolved_at text, resolved_why text,
      primary key (project_code, alert_id)
    );
    create index if not exists alerts_alerts_by_raise on alerts_alerts (project_code, raised_position);
  `,
  handles: ['AlertRaised', 'AlertResolved'],
  evolve(e, { db }): void {
    const projectCode = e.streamId.slice(STREAM_PREFIX.length);
    if (e.type === 'AlertResolved') {
      db.prepare(
        `update alerts_alerts set resolved_position = ?, resolved_at = ?, resolved_why = ?
         where project_code = ? and alert_id = ?`,
      ).run(e.position, e.recordedAt, e.data.why, projectCode, e.data.alertId);
      return;
    }
    const { alertId, check, cause, subject, details } = e.data;
    db.prepare(
      `insert or ignore into alerts_alerts
         (project_code, alert_id, check_name, cause, partner_id, category_id, record_id, period_id, details,
          raised_position, raised_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      projectCode,
      alertId,
      check,
      cause,
      subject.partnerId ?? null,
      subject.categoryId ?? null,
      subject.recordId ?? null,
      subject.periodId ?? null,
      JSON.stringify(details),
      e.position,
      e.recordedAt,
    );
  },
};

const STATUS_WHERE: Record<AlertStatusFilter, string> = {
  open: 'and resolved_position is null',
  resolved: 'and resolved_position is not null',
  all: '',
};

interface Raw {
  alertId: string;
  check: string;
  cause: string;
  partnerId: string | null;
  categoryId: string | null;
  recordId: string | null;
  periodId: string | null;
  details: string;
  raisedAt: string;
  raisedPosition: number;
  resolvedAt: string | null;
  resolvedPosition: number | null;
  resolvedWhy: string | null;
}

/** One page of a project's alerts in the order they were raised, and how many there are in all. */
export function alertsPage(
  db: Sql,
  projectCode: string,
  r: AlertsPageRequest,
): { total: number; alerts: AlertListRow[] } {
  const partner = r.partnerId === undefined ? '' : 'and partner_id = ?';
  const where = `where project_code = ? ${partner} ${STATUS_WHERE[r.status]}`;
  const args: unknown[] = r.partnerId === undefined ? [projectCode] : [projectCode, r.partnerId];
  const { n } = db.prepare(`select count(*) as n from alerts_alerts ${where}`).get(...args) as { n: number };
  const rows = db
    .prepare(
      `select alert_id as alertId, check_name as "check", cause, partner_id as partnerId, category_id as categoryId,
         record_id as recordId, period_id as periodId, details, raised_at as raisedAt, raised_position as raisedPosition,
         resolved_at as resolvedAt, resolved_position as resolvedPosition, resolved_why as resolvedWhy
       from alerts_alerts ${where} order by raised_position limit ? offset ?`,
    )
    .all(...args, r.pageSize, (r.page - 1) * r.pageSize) as Raw[];
  return { total: n, alerts: rows.map(toAlert) };
}

function toAlert(r: Raw): AlertListRow {
  const { partnerId, categoryId, recordId, periodId, details, ...rest } = r;
  const subject = Object.fromEntries(
    Object.entries({ partnerId, categoryId, recordId, periodId }).filter(([, v]) => v !== null),
  );
  return {
    ...rest,
    subject,
    details: JSON.parse(details) as AlertDetails,
    status: r.resolvedPosition === null ? 'open' : 'resolved',
  };
}
