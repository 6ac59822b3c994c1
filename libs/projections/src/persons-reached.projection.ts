import type Database from 'better-sqlite3';
import type { StoredEvent } from '@ihl/event-store';
import type { Projection } from './projection';
import { statement } from './statement-cache';

interface ServiceData {
  activityId: string;
  projectCode?: string;
  partnerId: string;
  fields: {
    kind: string;
    occurredOn: string;
    targetGroup?: string;
    service?: string;
    setting?: string;
    recipient?: { pseudonym: string };
  };
}

/**
 * Every service delivery with its recipient's pseudonym. A person is reached by their first
 * non-voided service; corrections move it, voids remove it.
 */
export const personsReachedProjection: Projection = {
  name: 'reach',
  version: 1,
  tables: ['reach_services'],
  schema: `
    create table if not exists reach_services (
      activity_id  text primary key,
      project_code text not null,
      partner_id   text not null,
      pseudonym    text not null,
      occurred_on  text not null,
      target_group text not null,
      service      text not null,
      setting      text not null,
      position     integer not null,
      voided       integer not null default 0
    );
    create index if not exists reach_services_person on reach_services (project_code, pseudonym, voided, occurred_on, position);
  `,
  apply(db: Database.Database, e: StoredEvent): void {
    const d = e.data as unknown as ServiceData;
    switch (e.type) {
      case 'ServiceDelivered':
        statement(
          db,
          `insert or ignore into reach_services (activity_id, project_code, partner_id, pseudonym, occurred_on, target_group, service, setting, position)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          d.activityId,
          d.projectCode ?? '',
          d.partnerId,
          d.fields.recipient!.pseudonym,
          d.fields.occurredOn,
          d.fields.targetGroup!,
          d.fields.service!,
          d.fields.setting!,
          e.position,
        );
        return;
      case 'ActivityCorrected':
        if (d.fields.kind !== 'service-delivered') return;
        statement(
          db,
          'update reach_services set pseudonym = ?, occurred_on = ?, target_group = ?, service = ?, setting = ? where activity_id = ?',
        ).run(
          d.fields.recipient!.pseudonym,
          d.fields.occurredOn,
          d.fields.targetGroup!,
          d.fields.service!,
          d.fields.setting!,
          d.activityId,
        );
        return;
      case 'ActivityVoided':
        statement(db, 'update reach_services set voided = 1 where activity_id = ?').run(d.activityId);
        return;
    }
  },
};

export interface PersonsReached {
  readonly reached: number;
  /** Each person counted for the partner of their first service, so partners sum to the total. */
  readonly byPartner: Readonly<Record<string, number>>;
  /** The same attribution for the other breakdowns: each sums to `reached`. */
  readonly byTargetGroup: Readonly<Record<string, number>>;
  readonly byService: Readonly<Record<string, number>>;
  readonly bySetting: Readonly<Record<string, number>>;
  /** Newly reached persons per month of their first service. */
  readonly newByMonth: Readonly<Record<string, number>>;
}

/** Unique persons, each taken at their first non-voided service; optionally one partner's only. */
export function personsReached(db: Database.Database, projectCode: string, partnerId?: string): PersonsReached {
  const firsts = db
    .prepare(
      `select partner_id, target_group, service, setting, substr(occurred_on, 1, 7) as month from (
         select *, row_number() over (partition by pseudonym order by occurred_on, position) as rn
         from reach_services where project_code = ? and voided = 0
       ) where rn = 1`,
    )
    .all(projectCode) as {
    partner_id: string;
    target_group: string;
    service: string;
    setting: string;
    month: string;
  }[];
  const rows = partnerId ? firsts.filter((r) => r.partner_id === partnerId) : firsts;
  const tally = (key: (r: (typeof rows)[number]) => string) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
  };
  return {
    reached: rows.length,
    byPartner: tally((r) => r.partner_id),
    byTargetGroup: tally((r) => r.target_group),
    byService: tally((r) => r.service),
    bySetting: tally((r) => r.setting),
    newByMonth: tally((r) => r.month),
  };
}

/** The service records behind the persons-reached figure (voided ones included: their voids are part of it). */
export function personsReachedRecords(db: Database.Database, projectCode: string, partnerId?: string): string[] {
  const rows = db
    .prepare(
      `select activity_id from reach_services where project_code = ? ${partnerId ? 'and partner_id = ?' : ''} order by position`,
    )
    .all(...(partnerId ? [projectCode, partnerId] : [projectCode])) as { activity_id: string }[];
  return rows.map((r) => `activity-${r.activity_id}`);
}
