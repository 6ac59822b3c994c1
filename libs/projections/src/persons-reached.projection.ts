import type Database from 'better-sqlite3';
import type { StoredEvent } from '@ihl/event-store';
import type { Projection } from './projection';

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
        db.prepare(
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
        db.prepare(
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
        db.prepare('update reach_services set voided = 1 where activity_id = ?').run(d.activityId);
        return;
    }
  },
};

export interface PersonsReached {
  readonly reached: number;
  /** Each person counted for the partner of their first service, so partners sum to the total. */
  readonly byPartner: Readonly<Record<string, number>>;
}

export function personsReached(db: Database.Database, projectCode: string): PersonsReached {
  const rows = db
    .prepare(
      `select partner_id as partner, count(*) as n from (
         select pseudonym, partner_id, row_number() over (partition by pseudonym order by occurred_on, position) as rn
         from reach_services where project_code = ? and voided = 0
       ) where rn = 1 group by partner_id order by partner_id`,
    )
    .all(projectCode) as { partner: string; n: number }[];
  return {
    reached: rows.reduce((a, r) => a + r.n, 0),
    byPartner: Object.fromEntries(rows.map((r) => [r.partner, r.n])),
  };
}
