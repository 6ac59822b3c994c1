import type Database from 'better-sqlite3';
import type { StoredEvent } from '@ihl/event-store';
import type { ActivityVolumes } from '@ihl/domain';
import type { Projection } from './projection';
import { statement } from './statement-cache';

const RECORDED = new Set([
  'ServiceDelivered',
  'CaregiverConsultationHeld',
  'PsychologicalSupportProvided',
  'TrainingHeld',
  'EquipmentProcured',
  'InformalHelpEventHeld',
]);

interface Data {
  activityId: string;
  projectCode?: string;
  partnerId: string;
  fields: { kind: string; occurredOn: string } & Record<string, unknown>;
}

interface ActivityRow {
  project_code: string;
  partner_id: string;
  kind: string;
  voided: number;
  fields: string;
}

/**
 * Every activity record's current values (corrections applied, voids flagged), and running sums per
 * partner, kind and key (service and setting, recipient kind, category, audience) moved by each
 * event's difference, plus services per worker and person for the caseload: a query reads the sums,
 * not every record.
 */
export const activityVolumesProjection: Projection = {
  name: 'volumes',
  version: 3,
  tables: ['volumes_activities', 'volumes_sums', 'volumes_caseload', 'volumes_workers'],
  schema: `
    create table if not exists volumes_activities (
      activity_id text primary key, project_code text not null, partner_id text not null, kind text not null,
      occurred_on text not null, voided integer not null default 0, fields text not null
    );
    create table if not exists volumes_sums (
      project_code text not null, partner_id text not null, kind text not null, key1 text not null, key2 text not null,
      records integer not null, minutes integer not null, people integer not null, people_minutes integer not null,
      quantity integer not null, cents integer not null,
      primary key (project_code, partner_id, kind, key1, key2)
    );
    create table if not exists volumes_caseload (
      project_code text not null, partner_id text not null, worker_ref text not null, pseudonym text not null,
      services integer not null,
      primary key (project_code, partner_id, worker_ref, pseudonym)
    );
    create table if not exists volumes_workers (
      project_code text not null, partner_id text not null, worker_ref text not null,
      services integer not null, persons integer not null,
      primary key (project_code, partner_id, worker_ref)
    );
  `,
  apply(db: Database.Database, e: StoredEvent): void {
    const d = e.data as unknown as Data;
    if (RECORDED.has(e.type)) {
      const inserted = statement(
        db,
        'insert or ignore into volumes_activities (activity_id, project_code, partner_id, kind, occurred_on, fields) values (?, ?, ?, ?, ?, ?)',
      ).run(
        d.activityId,
        d.projectCode ?? '',
        d.partnerId,
        d.fields.kind,
        d.fields.occurredOn,
        JSON.stringify(d.fields),
      );
      if (inserted.changes > 0) contribute(db, activityRow(db, d.activityId)!, 1);
    } else if (e.type === 'ActivityCorrected') {
      changeActivity(db, d.activityId, () =>
        statement(db, 'update volumes_activities set occurred_on = ?, fields = ? where activity_id = ?').run(
          d.fields.occurredOn,
          JSON.stringify(d.fields),
          d.activityId,
        ),
      );
    } else if (e.type === 'ActivityVoided') {
      changeActivity(db, d.activityId, () =>
        statement(db, 'update volumes_activities set voided = 1 where activity_id = ?').run(d.activityId),
      );
    }
  },
};

function activityRow(db: Database.Database, id: string): ActivityRow | undefined {
  return statement(
    db,
    'select project_code, partner_id, kind, voided, fields from volumes_activities where activity_id = ?',
  ).get(id) as ActivityRow | undefined;
}

function changeActivity(db: Database.Database, id: string, change: () => void): void {
  const before = activityRow(db, id);
  if (!before) return;
  contribute(db, before, -1);
  change();
  contribute(db, activityRow(db, id)!, 1);
}

/** What one record adds to its kind's sums; `key1`/`key2` are the breakdown it falls in. */
function contribute(db: Database.Database, r: ActivityRow, sign: 1 | -1): void {
  if (r.voided) return;
  const f = JSON.parse(r.fields) as Record<string, unknown>;
  const num = (k: string) => (typeof f[k] === 'number' ? (f[k] as number) : 0);
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const keys: Record<string, [string, string]> = {
    'service-delivered': [str('service'), str('setting')],
    'psychological-support': [str('recipientKind'), ''],
    'equipment-procured': [str('category'), ''],
    'promotion-event': [str('audience'), ''],
  };
  const [key1, key2] = keys[r.kind] ?? ['', ''];
  const people = r.kind === 'caregiver-consultation' ? num('familyMembers') : num('participants') || num('attendees');
  statement(
    db,
    `insert into volumes_sums values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (project_code, partner_id, kind, key1, key2) do update set records = records + excluded.records,
       minutes = minutes + excluded.minutes, people = people + excluded.people,
       people_minutes = people_minutes + excluded.people_minutes, quantity = quantity + excluded.quantity,
       cents = cents + excluded.cents`,
  ).run(
    r.project_code,
    r.partner_id,
    r.kind,
    key1,
    key2,
    sign,
    sign * num('durationMinutes'),
    sign * people,
    sign * num('participants') * num('durationMinutes'),
    sign * num('quantity'),
    sign * num('totalCents'),
  );
  const workerRef = str('workerRef');
  const pseudonym = (f.recipient as { pseudonym?: string } | undefined)?.pseudonym;
  if (r.kind === 'service-delivered' && workerRef && pseudonym) {
    const { services } = statement(
      db,
      `insert into volumes_caseload values (?, ?, ?, ?, ?)
       on conflict (project_code, partner_id, worker_ref, pseudonym) do update set services = services + excluded.services
       returning services`,
    ).get(r.project_code, r.partner_id, workerRef, pseudonym, sign) as { services: number };
    // A person joins a worker's caseload with their first service there and leaves with the last.
    const persons = sign === 1 && services === 1 ? 1 : sign === -1 && services === 0 ? -1 : 0;
    statement(
      db,
      `insert into volumes_workers values (?, ?, ?, ?, ?)
       on conflict (project_code, partner_id, worker_ref) do update set services = services + excluded.services,
         persons = persons + excluded.persons`,
    ).run(r.project_code, r.partner_id, workerRef, sign, persons);
  }
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

export function activityVolumes(db: Database.Database, projectCode: string, partnerId?: string): ActivityVolumes {
  interface Sum {
    key1: string;
    key2: string;
    records: number;
    minutes: number;
    people: number;
    peopleMinutes: number;
    quantity: number;
    cents: number;
  }
  const sums = (kind: string) =>
    statement(
      db,
      `select key1, key2, sum(records) as records, sum(minutes) as minutes, sum(people) as people,
              sum(people_minutes) as peopleMinutes, sum(quantity) as quantity, sum(cents) as cents
       from volumes_sums where project_code = ? and kind = ? and (? is null or partner_id = ?)
       group by key1, key2 having sum(records) > 0 order by key1, key2`,
    ).all(projectCode, kind, partnerId ?? null, partnerId ?? null) as Sum[];
  const none: Sum = { key1: '', key2: '', records: 0, minutes: 0, people: 0, peopleMinutes: 0, quantity: 0, cents: 0 };
  const services = sums('service-delivered').map((s) => ({
    service: s.key1,
    setting: s.key2,
    count: s.records,
    minutes: s.minutes,
  }));
  const c = sums('caregiver-consultation')[0] ?? none;
  const consultations = { count: c.records, family: c.people, minutes: c.minutes };
  const psych = sums('psychological-support').map((p) => ({
    recipientKind: p.key1,
    sessions: p.records,
    participants: p.people,
    minutes: p.minutes,
  }));
  const t = sums('training-held')[0] ?? none;
  const trainings = {
    count: t.records,
    participants: t.people,
    minutes: t.minutes,
    participantMinutes: t.peopleMinutes,
  };
  const equipment = sums('equipment-procured').map((e) => ({ category: e.key1, quantity: e.quantity, cost: e.cents }));
  const events = sums('promotion-event').map((e) => ({ audience: e.key1, count: e.records, attendees: e.people }));
  // Worker references are each partner's own: caseload is per partner and worker.
  const caseload = statement(
    db,
    `select partner_id as partnerId, worker_ref as workerRef, services, persons
     from volumes_workers where project_code = ? and services > 0 and (? is null or partner_id = ?)
     order by 1, 2`,
  ).all(projectCode, partnerId ?? null, partnerId ?? null) as {
    partnerId: string;
    workerRef: string;
    services: number;
    persons: number;
  }[];
  const vehicle = equipment.find((e) => e.category === 'vehicle');
  return {
    services: services.map((s) => ({
      service: s.service,
      setting: s.setting,
      count: s.count,
      hours: hours(s.minutes),
    })),
    consultations: {
      count: consultations.count,
      familyMembers: consultations.family ?? 0,
      hours: hours(consultations.minutes ?? 0),
    },
    psychologicalSupport: psych.map((p) => ({
      recipientKind: p.recipientKind,
      sessions: p.sessions,
      participants: p.participants,
      hours: hours(p.minutes),
    })),
    trainings: {
      count: trainings.count,
      participants: trainings.participants ?? 0,
      hours: hours(trainings.minutes ?? 0),
      participantHours: hours(trainings.participantMinutes ?? 0),
    },
    equipment: equipment.map((e) => ({ category: e.category, quantity: e.quantity, costCents: e.cost })),
    vehicles: { quantity: vehicle?.quantity ?? 0, costCents: vehicle?.cost ?? 0 },
    events: events.map((e) => ({ audience: e.audience, count: e.count, attendees: e.attendees })),
    caseload,
  };
}
