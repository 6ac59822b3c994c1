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

/** Every activity record's current values (corrections applied, voids flagged), for volume figures. */
export const activityVolumesProjection: Projection = {
  name: 'volumes',
  version: 1,
  tables: ['volumes_activities'],
  schema: `
    create table if not exists volumes_activities (
      activity_id text primary key, project_code text not null, partner_id text not null, kind text not null,
      occurred_on text not null, voided integer not null default 0, fields text not null
    );
    create index if not exists volumes_activities_kind on volumes_activities (project_code, kind, voided);
  `,
  apply(db: Database.Database, e: StoredEvent): void {
    const d = e.data as unknown as Data;
    if (RECORDED.has(e.type)) {
      statement(
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
    } else if (e.type === 'ActivityCorrected') {
      statement(db, 'update volumes_activities set occurred_on = ?, fields = ? where activity_id = ?').run(
        d.fields.occurredOn,
        JSON.stringify(d.fields),
        d.activityId,
      );
    } else if (e.type === 'ActivityVoided') {
      statement(db, 'update volumes_activities set voided = 1 where activity_id = ?').run(d.activityId);
    }
  },
};

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

export function activityVolumes(db: Database.Database, projectCode: string, partnerId?: string): ActivityVolumes {
  const where = `project_code = :p and voided = 0 ${partnerId ? 'and partner_id = :partner' : ''}`;
  const args = partnerId ? { p: projectCode, partner: partnerId } : { p: projectCode };
  const all = <T>(sql: string) => statement(db, sql).all(args) as T[];
  const one = <T>(sql: string) => statement(db, sql).get(args) as T;
  const f = (path: string) => `json_extract(fields, '$.${path}')`;
  const services = all<{ service: string; setting: string; count: number; minutes: number }>(
    `select ${f('service')} as service, ${f('setting')} as setting, count(*) as count, sum(${f('durationMinutes')}) as minutes
     from volumes_activities where ${where} and kind = 'service-delivered' group by 1, 2 order by 1, 2`,
  );
  const consultations = one<{ count: number; family: number | null; minutes: number | null }>(
    `select count(*) as count, sum(${f('familyMembers')}) as family, sum(${f('durationMinutes')}) as minutes
     from volumes_activities where ${where} and kind = 'caregiver-consultation'`,
  );
  const psych = all<{ recipientKind: string; sessions: number; participants: number; minutes: number }>(
    `select ${f('recipientKind')} as recipientKind, count(*) as sessions, sum(${f('participants')}) as participants, sum(${f('durationMinutes')}) as minutes
     from volumes_activities where ${where} and kind = 'psychological-support' group by 1 order by 1`,
  );
  const trainings = one<{
    count: number;
    participants: number | null;
    minutes: number | null;
    participantMinutes: number | null;
  }>(
    `select count(*) as count, sum(${f('participants')}) as participants, sum(${f('durationMinutes')}) as minutes,
            sum(${f('participants')} * ${f('durationMinutes')}) as participantMinutes
     from volumes_activities where ${where} and kind = 'training-held'`,
  );
  const equipment = all<{ category: string; quantity: number; cost: number }>(
    `select ${f('category')} as category, sum(${f('quantity')}) as quantity, sum(${f('totalCents')}) as cost
     from volumes_activities where ${where} and kind = 'equipment-procured' group by 1 order by 1`,
  );
  const events = all<{ audience: string; count: number; attendees: number }>(
    `select ${f('audience')} as audience, count(*) as count, sum(${f('attendees')}) as attendees
     from volumes_activities where ${where} and kind = 'promotion-event' group by 1 order by 1`,
  );
  // Worker references are each partner's own: caseload is per partner and worker.
  const caseload = all<{ partnerId: string; workerRef: string; services: number; persons: number }>(
    `select partner_id as partnerId, ${f('workerRef')} as workerRef, count(*) as services, count(distinct ${f('recipient.pseudonym')}) as persons
     from volumes_activities where ${where} and kind = 'service-delivered' and ${f('workerRef')} is not null group by 1, 2 order by 1, 2`,
  );
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
