import type Database from 'better-sqlite3';
import type { StoredEvent } from '@ihl/event-store';
import type { RecordChange } from './ledger-record';
import type { Projection } from './projection';
import { codeOf } from './record-index';
import { statement } from './statement-cache';

/** The attributes a breakdown needs from a sealed profile; null when it cannot be opened (erased key). */
export interface OpenedProfile {
  readonly sex?: string;
  readonly birthYear?: number;
  readonly birthDate?: string;
  readonly disability?: boolean;
}
export type ProfileOpener = (pseudonym: string, sealed: string) => OpenedProfile | null;

/** Persons whose figures may have moved since the last flush. */
interface Pending {
  /** Pseudonyms per project code (nested, so a replay builds no key string per service). */
  readonly persons: Map<string, Set<string>>;
  /** Profiles that changed: the person moves in every project they count in. */
  readonly pseudonyms: Set<string>;
}
const pendings = new WeakMap<Database.Database, Pending>();
function pendingOf(db: Database.Database): Pending {
  let p = pendings.get(db);
  if (!p) pendings.set(db, (p = { persons: new Map(), pseudonyms: new Set() }));
  return p;
}

function mark(p: Pending, projectCode: string, pseudonym: string): void {
  let pseudonyms = p.persons.get(projectCode);
  if (!pseudonyms) p.persons.set(projectCode, (pseudonyms = new Set()));
  pseudonyms.add(pseudonym);
}

/**
 * Per person the first non-voided service (from the shared `records` table) and the breakdown
 * cells they count in, with tallies per partner and cell, so queries read a few hundred tallies,
 * not the persons. A changed service or profile marks the person; each flush (once per batch, once
 * per bulk rebuild) recomputes the marked persons from the records and profiles, so the figures are
 * a function of the records' current state alone. Profiles are opened with the person's key as
 * they arrive; an erasure deletes them, so an erased person stays counted with sex, age and
 * disability "unknown", live and after a rebuild alike.
 */
export function createPersonsReachedProjection(openProfile: ProfileOpener): Projection {
  return {
    name: 'reach',
    version: 7,
    tables: ['reach_persons', 'reach_profiles', 'reach_erasures', 'reach_tallies'],
    // The profile's attributes must not outlive the erasure in the file's free space or its WAL.
    erasures: ['PersonErased'],
    schema: `
      create table if not exists reach_persons (
        project_code text not null,
        pseudonym    text not null,
        activity_id  text not null,
        partner_id   text not null,
        target_group text not null,
        service      text not null,
        setting      text not null,
        first_on     text not null,
        first_position integer not null,
        sex          text not null,
        age          text not null,
        disability   text not null,
        primary key (project_code, pseudonym)
      );
      create index if not exists reach_persons_pseudonym on reach_persons (pseudonym);
      create table if not exists reach_tallies (
        project_code text not null,
        partner_id   text not null,
        dim          text not null,
        key          text not null,
        n            integer not null,
        primary key (project_code, dim, partner_id, key)
      ) without rowid;
      create table if not exists reach_profiles (
        pseudonym  text primary key,
        sex        text,
        birth_year integer,
        birth_date text,
        disability integer
      );
      create table if not exists reach_erasures (pseudonym text primary key);
    `,
    apply(db: Database.Database, e: StoredEvent, change: RecordChange | null): void {
      if (change) {
        const { before, after } = change;
        if (after.kind !== 'service-delivered' || before === after) return;
        const p = pendingOf(db);
        if (before?.person) mark(p, before.projectCode, before.person);
        if (after.person) mark(p, after.projectCode, after.person);
        return;
      }
      switch (e.type) {
        case 'PersonProfileRecorded': {
          const p = e.data as { pseudonym: string; sealed: string };
          const profile = openProfile(p.pseudonym, p.sealed);
          if (!profile) statement(db, 'delete from reach_profiles where pseudonym = ?').run(p.pseudonym);
          else
            statement(db, 'insert or replace into reach_profiles values (?, ?, ?, ?, ?)').run(
              p.pseudonym,
              profile.sex ?? null,
              profile.birthYear ?? (profile.birthDate ? Number(profile.birthDate.slice(0, 4)) : null),
              profile.birthDate ?? null,
              profile.disability === undefined ? null : profile.disability ? 1 : 0,
            );
          pendingOf(db).pseudonyms.add(p.pseudonym);
          return;
        }
        case 'PersonErased': {
          const { pseudonym } = e.data as { pseudonym: string };
          statement(db, 'delete from reach_profiles where pseudonym = ?').run(pseudonym);
          // Counted so that as-of snapshots built before an erasure can be told apart and dropped.
          statement(db, 'insert or ignore into reach_erasures values (?)').run(pseudonym);
          pendingOf(db).pseudonyms.add(pseudonym);
          return;
        }
      }
    },
    flush(db: Database.Database): void {
      const p = pendings.get(db);
      if (!p) return;
      pendings.delete(db);
      const persons = p.persons;
      const projectsOf = statement(db, 'select project_code from reach_persons where pseudonym = ?');
      for (const pseudonym of p.pseudonyms)
        for (const { project_code } of projectsOf.all(pseudonym) as { project_code: string }[])
          mark(p, project_code, pseudonym);
      const tallies = new Map<string, number>();
      for (const [projectCode, pseudonyms] of persons)
        for (const pseudonym of pseudonyms) refreshPerson(db, projectCode, pseudonym, tallies);
      const upsert = statement(
        db,
        `insert into reach_tallies values (?, ?, ?, ?, ?)
         on conflict (project_code, dim, partner_id, key) do update set n = n + excluded.n
         returning n`,
      );
      const remove = statement(
        db,
        'delete from reach_tallies where project_code = ? and partner_id = ? and dim = ? and key = ?',
      );
      // A cell exists while someone counts in it: the tallies depend on the persons' state only,
      // not on the path that led there (a rebuild recomputes each person once).
      for (const [cell, n] of tallies) {
        if (n === 0) continue;
        const key = cell.split('\u0000') as [string, string, string, string];
        const row = upsert.get(...key, n) as { n: number };
        if (row.n === 0) remove.run(...key);
      }
    },
    discard(db: Database.Database): void {
      pendings.delete(db);
    },
  };
}

/** For tools and tests that run without the privacy keys: profiles stay unknown. */
export const personsReachedProjection: Projection = createPersonsReachedProjection(() => null);

interface PersonRow {
  activity_id: string;
  partner_id: string;
  target_group: string;
  service: string;
  setting: string;
  first_on: string;
  first_position: number;
  sex: string;
  age: string;
  disability: string;
}

/** The breakdown cells a person counts in, for their partner and for the project ('*'). */
function cells(r: PersonRow): [string, string][] {
  const month = r.first_on.slice(0, 7);
  return [
    ['all', ''],
    ['target-group', r.target_group],
    ['service', r.service],
    ['setting', r.setting],
    ['sex', r.sex],
    ['disability', r.disability],
    ['age', r.age],
    ['month', month],
    ['month-sex', `${month}|${r.sex}`],
    ['month-disability', `${month}|${r.disability}`],
    ['month-age', `${month}|${r.age}`],
  ];
}

function tally(tallies: Map<string, number>, projectCode: string, r: PersonRow, sign: 1 | -1): void {
  for (const [dim, key] of cells(r))
    for (const partner of [r.partner_id, '*']) {
      const cell = `${projectCode}\u0000${partner}\u0000${dim}\u0000${key}`;
      tallies.set(cell, (tallies.get(cell) ?? 0) + sign);
    }
}

/** Recomputes whom a person counts for and how (first non-voided service, profile), and moves their tallies. */
function refreshPerson(
  db: Database.Database,
  projectCode: string,
  pseudonym: string,
  tallies: Map<string, number>,
): void {
  const old = statement(db, 'select * from reach_persons where project_code = ? and pseudonym = ?').get(
    projectCode,
    pseudonym,
  ) as (PersonRow & { project_code: string; pseudonym: string }) | undefined;
  const first = statement(
    db,
    `select r.record_id, partner_id, target_group, key1, key2, r.occurred_on, r.position
     from (select seq from records where person_no = (select person_no from records_persons where pseudonym = ?)
             and project_code = ${codeOf('?')} and voided = 0 order by occurred_on, position limit 1) f
       join records_text r using (seq)`,
  ).get(pseudonym, projectCode) as
    | {
        record_id: string;
        partner_id: string;
        target_group: string | null;
        key1: string;
        key2: string;
        occurred_on: string;
        position: number;
      }
    | undefined;
  let next: PersonRow | undefined;
  if (first) {
    const f = statement(
      db,
      'select sex, birth_year, birth_date, disability from reach_profiles where pseudonym = ?',
    ).get(pseudonym) as
      | { sex: string | null; birth_year: number | null; birth_date: string | null; disability: number | null }
      | undefined;
    next = {
      activity_id: first.record_id,
      partner_id: first.partner_id,
      target_group: first.target_group ?? '',
      service: first.key1,
      setting: first.key2,
      first_on: first.occurred_on,
      first_position: first.position,
      sex: f?.sex && (SEX_KEYS as readonly string[]).includes(f.sex) ? f.sex : 'unknown',
      age: ageAtEntry(first.occurred_on, f?.birth_date ?? null, f?.birth_year ?? null),
      disability: f?.disability === null || f?.disability === undefined ? 'unknown' : f.disability ? 'yes' : 'no',
    };
  }
  const same = old && next && (Object.keys(next) as (keyof PersonRow)[]).every((k) => old[k] === next[k]);
  if (same) return;
  if (old) tally(tallies, projectCode, old, -1);
  if (!next) {
    statement(db, 'delete from reach_persons where project_code = ? and pseudonym = ?').run(projectCode, pseudonym);
    return;
  }
  tally(tallies, projectCode, next, 1);
  statement(
    db,
    `insert into reach_persons values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (project_code, pseudonym) do update set activity_id = excluded.activity_id, partner_id = excluded.partner_id,
       target_group = excluded.target_group, service = excluded.service, setting = excluded.setting,
       first_on = excluded.first_on, first_position = excluded.first_position, sex = excluded.sex, age = excluded.age,
       disability = excluded.disability`,
  ).run(
    projectCode,
    pseudonym,
    next.activity_id,
    next.partner_id,
    next.target_group,
    next.service,
    next.setting,
    next.first_on,
    next.first_position,
    next.sex,
    next.age,
    next.disability,
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

/**
 * Unique persons, each taken at their first non-voided service; optionally one partner's only. Read
 * from the tallies (a few hundred rows), never from the persons themselves. `entrants` adds the
 * per-month profiles (reports per period); the progress view does without them.
 */
export function personsReached(
  db: Database.Database,
  projectCode: string,
  partnerId?: string,
  options: { entrants?: boolean } = {},
): PersonsReached {
  const entrants = options.entrants ?? true;
  // Range reads of the clustered key (project, dim, partner), not a scan of every partner's cells.
  const dims = ['all', 'target-group', 'service', 'setting', 'sex', 'disability', 'age', 'month'].concat(
    entrants ? ['month-sex', 'month-disability', 'month-age'] : [],
  );
  const cellsOfScope = statement(
    db,
    `select dim, key, n from reach_tallies
     where project_code = ? and partner_id = ? and dim in (${dims.map((d) => `'${d}'`).join(', ')}) and n != 0`,
  ).all(projectCode, partnerId ?? '*') as { dim: string; key: string; n: number }[];
  const byDim: Record<string, Record<string, number>> = {};
  for (const c of cellsOfScope) (byDim[c.dim] ??= {})[c.key] = c.n;
  // A partner's own figure is the only partner in it; the whole project lists every partner's months,
  // packed one row per partner ("2024-03=5,2024-04=7"), partners and months in order (no sorting
  // here): thousands of cells would cost more to hand to JavaScript than to count.
  const newByPartnerMonth: Record<string, Record<string, number>> = partnerId ? { [partnerId]: byDim.month ?? {} } : {};
  if (!partnerId) {
    const packed = statement(
      db,
      `select partner_id, group_concat(key || '=' || n, ',' order by key) as months from reach_tallies
       where project_code = ? and dim = 'month' and partner_id != '*' and n != 0
       group by partner_id order by partner_id`,
    ).all(projectCode) as { partner_id: string; months: string }[];
    for (const p of packed)
      newByPartnerMonth[p.partner_id] = Object.fromEntries(
        p.months.split(',').map((cell) => {
          const [key, n] = cell.split('=') as [string, string];
          return [key, Number(n)];
        }),
      );
  }
  // Each person counts in exactly one month, so a partner's months sum to its persons.
  const byPartner = Object.fromEntries(
    Object.entries(newByPartnerMonth)
      .map(([partner, months]) => [partner, Object.values(months).reduce((a, n) => a + n, 0)] as const)
      .filter(([, n]) => n > 0),
  );
  const dim = (name: string) => sorted(byDim[name] ?? {});
  const withKeys = (keys: readonly string[], counts: Record<string, number>) =>
    Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0]));
  const entrantsByMonth: Record<string, EntrantProfiles> = {};
  if (entrants) {
    const split = (name: string) => {
      const out: Record<string, Record<string, number>> = {};
      for (const [key, n] of Object.entries(byDim[name] ?? {})) {
        const [month, value] = key.split('|') as [string, string];
        (out[month] ??= {})[value] = n;
      }
      return out;
    };
    const [sexes, disabilities, ages] = [split('month-sex'), split('month-disability'), split('month-age')];
    for (const month of Object.keys(dim('month')))
      entrantsByMonth[month] = {
        bySex: withKeys(SEX_KEYS, sexes[month] ?? {}) as EntrantProfiles['bySex'],
        byDisability: withKeys(DISABILITY_KEYS, disabilities[month] ?? {}) as EntrantProfiles['byDisability'],
        byAgeAtEntry: sorted(ages[month] ?? {}),
      };
  }
  return {
    reached: byDim.all?.[''] ?? 0,
    byPartner: sorted(byPartner),
    byTargetGroup: dim('target-group'),
    byService: dim('service'),
    bySetting: dim('setting'),
    bySex: withKeys(SEX_KEYS, byDim.sex ?? {}) as PersonsReached['bySex'],
    byDisability: withKeys(DISABILITY_KEYS, byDim.disability ?? {}) as PersonsReached['byDisability'],
    byAgeAtEntry: dim('age'),
    newByMonth: dim('month'),
    newByPartnerMonth: partnerId ? { [partnerId]: sorted(newByPartnerMonth[partnerId]!) } : newByPartnerMonth,
    entrantsByMonth,
  };
}

/** Completed years on the first service's date; from the birth year alone, the age reached that year. */
function ageAtEntry(firstOn: string, birthDate: string | null, birthYear: number | null): string {
  if (birthDate) {
    const years = Number(firstOn.slice(0, 4)) - Number(birthDate.slice(0, 4));
    return String(firstOn.slice(5) < birthDate.slice(5) ? years - 1 : years);
  }
  return birthYear === null ? 'unknown' : String(Number(firstOn.slice(0, 4)) - birthYear);
}

/** How many persons were erased so far: as-of snapshots built before a change are stale for profiles. */
export function erasureCount(db: Database.Database): number {
  return (statement(db, 'select count(*) as n from reach_erasures').get() as { n: number }).n;
}

function sorted<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
