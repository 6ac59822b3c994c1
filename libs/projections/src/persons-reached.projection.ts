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

/** The attributes a breakdown needs from a sealed profile; null when it cannot be opened (erased key). */
export interface OpenedProfile {
  readonly sex?: string;
  readonly birthYear?: number;
  readonly birthDate?: string;
  readonly disability?: boolean;
}
export type ProfileOpener = (pseudonym: string, sealed: string) => OpenedProfile | null;

/**
 * Every service delivery with its recipient's pseudonym, and per person the first non-voided
 * service (kept up to date on each change, so queries read one row per person, not the log).
 * Profiles are opened with the person's key as they arrive; an erasure deletes them, so an erased
 * person stays counted with sex, age and disability "unknown", live and after a rebuild alike.
 */
export function createPersonsReachedProjection(openProfile: ProfileOpener): Projection {
  return {
    name: 'reach',
    version: 3,
    tables: ['reach_services', 'reach_persons', 'reach_profiles', 'reach_erasures'],
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
      create table if not exists reach_persons (
        project_code text not null,
        pseudonym    text not null,
        activity_id  text not null,
        partner_id   text not null,
        target_group text not null,
        service      text not null,
        setting      text not null,
        first_on     text not null,
        primary key (project_code, pseudonym)
      );
      create index if not exists reach_persons_partner on reach_persons (project_code, partner_id);
      create table if not exists reach_profiles (
        pseudonym  text primary key,
        sex        text,
        birth_year integer,
        birth_date text,
        disability integer
      );
      create table if not exists reach_erasures (pseudonym text primary key);
    `,
    apply(db: Database.Database, e: StoredEvent): void {
      const d = e.data as unknown as ServiceData;
      switch (e.type) {
        case 'ServiceDelivered': {
          const inserted = statement(
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
          if (inserted.changes > 0) refreshPerson(db, d.projectCode ?? '', d.fields.recipient!.pseudonym);
          return;
        }
        case 'ActivityCorrected': {
          if (d.fields.kind !== 'service-delivered') return;
          const before = serviceRow(db, d.activityId);
          if (!before) return;
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
          // A corrected recipient moves the service from one person to another: both change.
          refreshPerson(db, before.project_code, before.pseudonym);
          if (before.pseudonym !== d.fields.recipient!.pseudonym)
            refreshPerson(db, before.project_code, d.fields.recipient!.pseudonym);
          return;
        }
        case 'ActivityVoided': {
          const row = serviceRow(db, d.activityId);
          if (!row) return;
          statement(db, 'update reach_services set voided = 1 where activity_id = ?').run(d.activityId);
          refreshPerson(db, row.project_code, row.pseudonym);
          return;
        }
        case 'PersonProfileRecorded': {
          const p = e.data as { pseudonym: string; sealed: string };
          const profile = openProfile(p.pseudonym, p.sealed);
          if (!profile) {
            statement(db, 'delete from reach_profiles where pseudonym = ?').run(p.pseudonym);
            return;
          }
          statement(db, 'insert or replace into reach_profiles values (?, ?, ?, ?, ?)').run(
            p.pseudonym,
            profile.sex ?? null,
            profile.birthYear ?? (profile.birthDate ? Number(profile.birthDate.slice(0, 4)) : null),
            profile.birthDate ?? null,
            profile.disability === undefined ? null : profile.disability ? 1 : 0,
          );
          return;
        }
        case 'PersonErased': {
          const { pseudonym } = e.data as { pseudonym: string };
          statement(db, 'delete from reach_profiles where pseudonym = ?').run(pseudonym);
          // Counted so that as-of snapshots built before an erasure can be told apart and dropped.
          statement(db, 'insert or ignore into reach_erasures values (?)').run(pseudonym);
          return;
        }
      }
    },
  };
}

/** For tools and tests that run without the privacy keys: profiles stay unknown. */
export const personsReachedProjection: Projection = createPersonsReachedProjection(() => null);

function serviceRow(db: Database.Database, activityId: string) {
  return statement(db, 'select project_code, pseudonym from reach_services where activity_id = ?').get(activityId) as
    { project_code: string; pseudonym: string } | undefined;
}

function refreshPerson(db: Database.Database, projectCode: string, pseudonym: string): void {
  const first = statement(
    db,
    `select activity_id, partner_id, target_group, service, setting, occurred_on from reach_services
     where project_code = ? and pseudonym = ? and voided = 0 order by occurred_on, position limit 1`,
  ).get(projectCode, pseudonym) as
    | {
        activity_id: string;
        partner_id: string;
        target_group: string;
        service: string;
        setting: string;
        occurred_on: string;
      }
    | undefined;
  if (!first) {
    statement(db, 'delete from reach_persons where project_code = ? and pseudonym = ?').run(projectCode, pseudonym);
    return;
  }
  statement(db, 'insert or replace into reach_persons values (?, ?, ?, ?, ?, ?, ?, ?)').run(
    projectCode,
    pseudonym,
    first.activity_id,
    first.partner_id,
    first.target_group,
    first.service,
    first.setting,
    first.occurred_on,
  );
}

export const SEX_KEYS = ['female', 'male', 'non-binary', 'unknown'] as const;
export const DISABILITY_KEYS = ['yes', 'no', 'unknown'] as const;

export interface PersonsReached {
  readonly reached: number;
  /** Each person counted for the partner of their first service, so partners sum to the total. */
  readonly byPartner: Readonly<Record<string, number>>;
  /** The same attribution for the other breakdowns: each sums to `reached`. */
  readonly byTargetGroup: Readonly<Record<string, number>>;
  readonly byService: Readonly<Record<string, number>>;
  readonly bySetting: Readonly<Record<string, number>>;
  readonly bySex: Readonly<Record<(typeof SEX_KEYS)[number], number>>;
  readonly byDisability: Readonly<Record<(typeof DISABILITY_KEYS)[number], number>>;
  /** Age in the calendar year of the first service (the profile holds a birth year only), or "unknown". */
  readonly byAgeAtEntry: Readonly<Record<string, number>>;
  /** Newly reached persons per month of their first service. */
  readonly newByMonth: Readonly<Record<string, number>>;
  /** The same per partner of attribution: each partner's months sum to its `byPartner` figure. */
  readonly newByPartnerMonth: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Sex, disability and age of the persons who entered in each month (for reports per period). */
  readonly entrantsByMonth: Readonly<Record<string, EntrantProfiles>>;
}

export interface EntrantProfiles {
  readonly bySex: Readonly<Record<(typeof SEX_KEYS)[number], number>>;
  readonly byDisability: Readonly<Record<(typeof DISABILITY_KEYS)[number], number>>;
  readonly byAgeAtEntry: Readonly<Record<string, number>>;
}

interface FirstRow {
  partner_id: string;
  target_group: string;
  service: string;
  setting: string;
  first_on: string;
  sex: string | null;
  birth_year: number | null;
  birth_date: string | null;
  disability: number | null;
}

/** Unique persons, each taken at their first non-voided service; optionally one partner's only. */
export function personsReached(db: Database.Database, projectCode: string, partnerId?: string): PersonsReached {
  const rows = statement(
    db,
    `select p.partner_id, p.target_group, p.service, p.setting, p.first_on, f.sex, f.birth_year, f.birth_date, f.disability
     from reach_persons p left join reach_profiles f on f.pseudonym = p.pseudonym
     where p.project_code = ? and (? is null or p.partner_id = ?)`,
  ).all(projectCode, partnerId ?? null, partnerId ?? null) as FirstRow[];
  const byPartner: Record<string, number> = {};
  const byTargetGroup: Record<string, number> = {};
  const byService: Record<string, number> = {};
  const bySetting: Record<string, number> = {};
  const bySex: Record<string, number> = Object.fromEntries(SEX_KEYS.map((k) => [k, 0]));
  const byDisability: Record<string, number> = Object.fromEntries(DISABILITY_KEYS.map((k) => [k, 0]));
  const byAgeAtEntry: Record<string, number> = {};
  const newByMonth: Record<string, number> = {};
  const newByPartnerMonth: Record<string, Record<string, number>> = {};
  const entrantsByMonth: Record<string, Record<keyof EntrantProfiles, Record<string, number>>> = {};
  const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]));
  const bump = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);
  for (const r of rows) {
    const month = r.first_on.slice(0, 7);
    const sex = r.sex && r.sex in bySex ? r.sex : 'unknown';
    const disability = r.disability === null ? 'unknown' : r.disability ? 'yes' : 'no';
    const age = ageAtEntry(r);
    bump(byPartner, r.partner_id);
    bump(byTargetGroup, r.target_group);
    bump(byService, r.service);
    bump(bySetting, r.setting);
    bump(bySex, sex);
    bump(byDisability, disability);
    bump(byAgeAtEntry, age);
    bump(newByMonth, month);
    bump((newByPartnerMonth[r.partner_id] ??= {}), month);
    const entrants = (entrantsByMonth[month] ??= {
      bySex: zeros(SEX_KEYS),
      byDisability: zeros(DISABILITY_KEYS),
      byAgeAtEntry: {},
    });
    bump(entrants.bySex, sex);
    bump(entrants.byDisability, disability);
    bump(entrants.byAgeAtEntry, age);
  }
  return {
    reached: rows.length,
    byPartner: sorted(byPartner),
    byTargetGroup: sorted(byTargetGroup),
    byService: sorted(byService),
    bySetting: sorted(bySetting),
    bySex: bySex as PersonsReached['bySex'],
    byDisability: byDisability as PersonsReached['byDisability'],
    byAgeAtEntry: sorted(byAgeAtEntry),
    newByMonth: sorted(newByMonth),
    newByPartnerMonth: Object.fromEntries(Object.entries(sorted(newByPartnerMonth)).map(([k, v]) => [k, sorted(v)])),
    entrantsByMonth: Object.fromEntries(
      Object.entries(sorted(entrantsByMonth)).map(([k, v]) => [k, { ...v, byAgeAtEntry: sorted(v.byAgeAtEntry) }]),
    ) as PersonsReached['entrantsByMonth'],
  };
}

/** Completed years on the first service's date; from the birth year alone, the age reached that year. */
function ageAtEntry(r: FirstRow): string {
  if (r.birth_date) {
    const years = Number(r.first_on.slice(0, 4)) - Number(r.birth_date.slice(0, 4));
    return String(r.first_on.slice(5) < r.birth_date.slice(5) ? years - 1 : years);
  }
  return r.birth_year === null ? 'unknown' : String(Number(r.first_on.slice(0, 4)) - r.birth_year);
}

/** How many persons were erased so far: as-of snapshots built before a change are stale for profiles. */
export function erasureCount(db: Database.Database): number {
  return (statement(db, 'select count(*) as n from reach_erasures').get() as { n: number }).n;
}

function sorted<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
