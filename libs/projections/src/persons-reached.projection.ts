import { profileSender, profilesAfter } from '@ihl/domain';
import type { LedgerEvent } from './ledger-events';
import type { Projection } from './projection';
import { codeOf } from './record-index';
import type { Sql } from './statement-cache';

/** The attributes a breakdown needs from a sealed profile; null when it cannot be opened (erased key). */
export interface OpenedProfile {
  readonly sex?: string;
  readonly birthYear?: number;
  readonly birthDate?: string;
  readonly disability?: boolean;
}
export type ProfileOpener = (pseudonym: string, sealed: string) => OpenedProfile | null;

/**
 * Per person to refresh, the partners whose services of them changed: one (the usual case, kept as
 * the string itself, so a replay allocates nothing per service), several, or none (a profile moved).
 */
type MarkedPartners = string | Set<string> | null;

/** Persons whose figures may have moved in a batch. */
export interface ReachBatch {
  /** Per project code, the persons to refresh (nested, so a replay builds no key string per service). */
  readonly persons: Map<string, Map<string, MarkedPartners>>;
  /** Profiles that changed: the person moves in every project they count in, for every partner. */
  readonly pseudonyms: Set<string>;
  /** Birth dates opened from this batch's profiles, so its flush need not open them again (memory only). */
  readonly births: Map<string, string>;
}
const newBatch = (): ReachBatch => ({ persons: new Map(), pseudonyms: new Set(), births: new Map() });

function mark(p: ReachBatch, projectCode: string, pseudonym: string, partnerId?: string): void {
  let persons = p.persons.get(projectCode);
  if (!persons) p.persons.set(projectCode, (persons = new Map()));
  const marked = persons.get(pseudonym);
  if (partnerId === undefined) {
    if (marked === undefined) persons.set(pseudonym, null);
  } else if (marked === undefined || marked === null) persons.set(pseudonym, partnerId);
  else if (typeof marked === 'string') {
    if (marked !== partnerId) persons.set(pseudonym, new Set([marked, partnerId]));
  } else marked.add(partnerId);
}

function partnersOf(marked: MarkedPartners): readonly string[] {
  return marked === null ? [] : typeof marked === 'string' ? [marked] : [...marked];
}

/** A `reach_profiles` row: one per partner that sent a profile, and '*' for every partner's merged. */
interface ProfileRow {
  partner_id: string;
  sex: string | null;
  birth_year: number | null;
  disability: number | null;
}

/** The attributes a row keeps; a birth date never (see `reach_births`). */
type KeptProfile = Pick<OpenedProfile, 'sex' | 'birthYear' | 'disability'>;

function keptOf(p: OpenedProfile): KeptProfile {
  return {
    ...(p.sex !== undefined ? { sex: p.sex } : {}),
    ...(p.birthYear !== undefined ? { birthYear: p.birthYear } : {}),
    ...(p.disability !== undefined ? { disability: Boolean(p.disability) } : {}),
  };
}

function keptOfRow(r: ProfileRow | undefined): KeptProfile | null {
  if (!r) return null;
  return {
    ...(r.sex !== null ? { sex: r.sex } : {}),
    ...(r.birth_year !== null ? { birthYear: r.birth_year } : {}),
    ...(r.disability !== null ? { disability: r.disability === 1 } : {}),
  };
}

/**
 * Per person the first non-voided service (from the shared `records` table) and the breakdown
 * cells they count in, with tallies, so queries read a few hundred tallies, not the persons:
 *
 * - project-wide (`reach_persons`, `reach_tallies`): each person once, at their first service of any
 *   partner, counted for that partner and for the project ('*'), with every partner's profile merged;
 * - per partner (`reach_own`, `reach_own_tallies`): the persons the partner served itself, at its own
 *   first service, with the profile it sent itself. Nothing another partner records moves these, so
 *   a partner's figures tell it nothing of other partners' persons or profiles.
 *
 * A changed service or profile marks the person; each flush (once per batch, once per bulk rebuild)
 * recomputes the marked persons from the records and profiles, so the figures are a function of the
 * records' current state alone. Profiles are opened with the person's key as they arrive and kept
 * per partner (sex, birth year, disability); the birth date is not kept in clear: an age at entry is
 * computed from the sealed profile, opened again only when the first service's date or the profile
 * changes. An erasure deletes every partner's profile of the person, so an erased person stays
 * counted with sex, age and disability "unknown", live and after a rebuild alike.
 */
/** A person's row: project-wide (reach_persons) and per partner's own figures (reach_own). */
const PERSON_ROW_COLUMNS = `        project_code text not null,
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
`;

type ReachEvent = LedgerEvent<'PersonProfileRecorded' | 'PersonErased'>;

export function createPersonsReachedProjection(openProfile: ProfileOpener): Projection<ReachEvent, ReachBatch> {
  return {
    name: 'reach',
    version: 9,
    tables: [
      'reach_persons',
      'reach_own',
      'reach_profiles',
      'reach_births',
      'reach_erasures',
      'reach_tallies',
      'reach_own_tallies',
    ],
    // The profile's attributes must not outlive the erasure in the file's free space or its WAL.
    erasures: ['PersonErased'],
    schema: `
      create table if not exists reach_persons (
${PERSON_ROW_COLUMNS}        primary key (project_code, pseudonym)
      );
      create index if not exists reach_persons_pseudonym on reach_persons (pseudonym);
      create table if not exists reach_own (
${PERSON_ROW_COLUMNS}        primary key (project_code, pseudonym, partner_id)
      ) without rowid;
      create table if not exists reach_tallies (
        project_code text not null,
        partner_id   text not null,
        dim          text not null,
        key          text not null,
        n            integer not null,
        primary key (project_code, dim, partner_id, key)
      ) without rowid;
      create table if not exists reach_own_tallies (
        project_code text not null,
        partner_id   text not null,
        dim          text not null,
        key          text not null,
        n            integer not null,
        primary key (project_code, dim, partner_id, key)
      ) without rowid;
      create table if not exists reach_profiles (
        pseudonym    text not null,
        partner_id   text not null,
        sex          text,
        birth_year   integer,
        disability   integer,
        primary key (pseudonym, partner_id)
      ) without rowid;
      -- A sealed profile holding the person's birth date (ciphertext under the person's key, as in the
      -- log): opened when an age at entry must be computed again; the date itself is never kept.
      create table if not exists reach_births (pseudonym text primary key, sealed text not null);
      create table if not exists reach_erasures (pseudonym text primary key);
    `,
    handles: ['PersonProfileRecorded', 'PersonErased'],
    createBatch: newBatch,
    evolveRecord({ before, after }, { batch: p }): void {
      if (after.kind !== 'service-delivered') return;
      if (before?.person) mark(p, before.projectCode, before.person, before.partnerId);
      if (after.person) mark(p, after.projectCode, after.person, after.partnerId);
    },
    evolve(e, { db, batch: p }): void {
      switch (e.type) {
        case 'PersonProfileRecorded': {
          const d = e.data;
          // Only an older event (no partnerId) reads the metadata (loaded lazily): its sender is the actor's partner.
          const sender = profileSender(d, () => e.metadata.actor);
          p.pseudonyms.add(d.pseudonym);
          const opened = openProfile(d.pseudonym, d.sealed);
          if (!opened) {
            // Unreadable (an erased key): from here on unknown, project-wide and for the sender.
            db.prepare("delete from reach_profiles where pseudonym = ? and partner_id in ('*', ?)").run(
              d.pseudonym,
              sender.partnerId,
            );
            db.prepare('delete from reach_births where pseudonym = ?').run(d.pseudonym);
            p.births.delete(d.pseudonym);
            return;
          }
          const rows = db
            .prepare("select * from reach_profiles where pseudonym = ? and partner_id in ('*', ?)")
            .all(d.pseudonym, sender.partnerId) as ProfileRow[];
          const after = profilesAfter(
            {
              merged: keptOfRow(rows.find((r) => r.partner_id === '*')),
              own: keptOfRow(rows.find((r) => r.partner_id === sender.partnerId)),
            },
            keptOf(opened),
            sender,
          );
          const upsert = db.prepare('insert or replace into reach_profiles values (?, ?, ?, ?, ?)');
          const values = (k: KeptProfile) =>
            [k.sex ?? null, k.birthYear ?? null, k.disability === undefined ? null : k.disability ? 1 : 0] as const;
          upsert.run(d.pseudonym, '*', ...values(after.merged));
          if (sender.partnerId !== '') upsert.run(d.pseudonym, sender.partnerId, ...values(after.own));
          // The birth date is the personal code's, the same whoever sent it: the latest sealed text holding
          // it is kept (the latest, as the batch's memory of it holds the latest too).
          if (opened.birthDate) {
            db.prepare(
              'insert into reach_births values (?, ?) on conflict (pseudonym) do update set sealed = excluded.sealed',
            ).run(d.pseudonym, d.sealed);
            p.births.set(d.pseudonym, opened.birthDate);
          }
          return;
        }
        case 'PersonErased': {
          const { pseudonym } = e.data;
          db.prepare('delete from reach_profiles where pseudonym = ?').run(pseudonym);
          db.prepare('delete from reach_births where pseudonym = ?').run(pseudonym);
          // Counted so that as-of snapshots built before an erasure can be told apart and dropped.
          db.prepare('insert or ignore into reach_erasures values (?)').run(pseudonym);
          p.pseudonyms.add(pseudonym);
          p.births.delete(pseudonym);
          return;
        }
      }
    },
    commit(p, db): void {
      const projectsOf = db.prepare('select project_code from reach_persons where pseudonym = ?');
      for (const pseudonym of p.pseudonyms)
        for (const { project_code } of projectsOf.all(pseudonym) as { project_code: string }[])
          mark(p, project_code, pseudonym);
      const tallies: Tallies = { project: new Map(), own: new Map() };
      const birthDateOf = (pseudonym: string): string | null => {
        const known = p.births.get(pseudonym);
        if (known !== undefined) return known;
        const row = db.prepare('select sealed from reach_births where pseudonym = ?').get(pseudonym) as
          { sealed: string } | undefined;
        return row ? (openProfile(pseudonym, row.sealed)?.birthDate ?? null) : null;
      };
      for (const [projectCode, persons] of p.persons)
        for (const [pseudonym, marked] of persons)
          refreshPerson(
            db,
            projectCode,
            pseudonym,
            partnersOf(marked),
            p.pseudonyms.has(pseudonym),
            birthDateOf,
            tallies,
          );
      writeTallies(db, 'reach_tallies', tallies.project);
      writeTallies(db, 'reach_own_tallies', tallies.own);
    },
  };
}

/** For tools and tests that run without the privacy keys: profiles stay unknown. */
export const personsReachedProjection = createPersonsReachedProjection(() => null);

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

/** Tally moves of one flush, per cell: project-wide ('*' and the partner of attribution) and per partner's own. */
interface Tallies {
  readonly project: Map<string, number>;
  readonly own: Map<string, number>;
}

/** The breakdown cells a person counts in. */
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

function tally(
  tallies: Map<string, number>,
  projectCode: string,
  partners: readonly string[],
  r: PersonRow,
  sign: 1 | -1,
): void {
  for (const [dim, key] of cells(r))
    for (const partner of partners) {
      const cell = `${projectCode}\u0000${partner}\u0000${dim}\u0000${key}`;
      tallies.set(cell, (tallies.get(cell) ?? 0) + sign);
    }
}

function writeTallies(db: Sql, table: 'reach_tallies' | 'reach_own_tallies', tallies: Map<string, number>): void {
  const upsert = db.prepare(
    `insert into ${table} values (?, ?, ?, ?, ?)
     on conflict (project_code, dim, partner_id, key) do update set n = n + excluded.n
     returning n`,
  );
  const remove = db.prepare(`delete from ${table} where project_code = ? and partner_id = ? and dim = ? and key = ?`);
  // A cell exists while someone counts in it: the tallies depend on the persons' state only,
  // not on the path that led there (a rebuild recomputes each person once).
  for (const [cell, n] of tallies) {
    if (n === 0) continue;
    const key = cell.split('\u0000') as [string, string, string, string];
    const row = upsert.get(...key, n) as { n: number };
    if (row.n === 0) remove.run(...key);
  }
}

interface FirstService {
  record_id: string;
  partner_id: string;
  target_group: string | null;
  service: string | null;
  setting: string | null;
  occurred_on: string;
  position: number;
}

/** A person's first non-voided service in a project: of any partner, or (`_OF`) of one partner. */
const firstService = (partner: boolean) =>
  `select r.record_id, partner_id, target_group, service, setting, r.occurred_on, r.position
   from (select seq from records where person_no = (select person_no from records_persons where pseudonym = ?)
           and project_code = ${codeOf('?')}${partner ? ` and partner_id = ${codeOf('?')}` : ''} and voided = 0
           order by occurred_on, position limit 1) f
     join records_text r using (seq)`;
const FIRST_SERVICE = firstService(false);
const FIRST_SERVICE_OF = firstService(true);

/**
 * Recomputes whom a person counts for and how: project-wide (first non-voided service of any partner,
 * merged profile) and for each partner concerned (its own first service, its own profile), and moves
 * their tallies. `partners`: those whose services of the person changed; after a profile change every
 * partner that counts the person.
 */
function refreshPerson(
  db: Sql,
  projectCode: string,
  pseudonym: string,
  partners: readonly string[],
  profileMoved: boolean,
  birthDateOf: (pseudonym: string) => string | null,
  tallies: Tallies,
): void {
  const first = db.prepare(FIRST_SERVICE).get(pseudonym, projectCode) as FirstService | undefined;
  // Read only when a row's attributes must be computed again (a new row, or the profile moved).
  let profiles: ProfileRow[] | undefined;
  const profileOf = (partnerId: string) =>
    (profiles ??= db.prepare('select * from reach_profiles where pseudonym = ?').all(pseudonym) as ProfileRow[]).find(
      (r) => r.partner_id === partnerId,
    );
  // Opened at most once per refresh, and only when an age must be computed again.
  let birth: string | null | undefined;
  const birthDate = () => (birth === undefined ? (birth = birthDateOf(pseudonym)) : birth);
  /** `profileOwner`: '*' for the project-wide row, else the partner whose own row it is. */
  const rowOf = (f: FirstService, profileOwner: string, old: PersonRow | undefined): PersonRow => {
    // The profile is as it was: sex and disability as computed before, and the age too unless the
    // first service's date moved.
    const kept = old && !profileMoved ? old : undefined;
    const profile = kept ? undefined : profileOf(profileOwner);
    return {
      activity_id: f.record_id,
      partner_id: f.partner_id,
      target_group: f.target_group ?? '',
      service: f.service ?? '',
      setting: f.setting ?? '',
      first_on: f.occurred_on,
      first_position: f.position,
      sex: kept
        ? kept.sex
        : profile?.sex && (SEX_KEYS as readonly string[]).includes(profile.sex)
          ? profile.sex
          : 'unknown',
      age:
        kept && kept.first_on === f.occurred_on
          ? kept.age
          : ageAtEntry(f.occurred_on, birthDate(), () => profileOf(profileOwner)?.birth_year ?? null),
      disability: kept
        ? kept.disability
        : profile?.disability === null || profile?.disability === undefined
          ? 'unknown'
          : profile.disability
            ? 'yes'
            : 'no',
    };
  };

  const old = db
    .prepare('select * from reach_persons where project_code = ? and pseudonym = ?')
    .get(projectCode, pseudonym) as PersonRow | undefined;
  const next = first && rowOf(first, '*', old);
  const projectUnchanged = move(db, 'reach_persons', tallies.project, projectCode, pseudonym, old, next, true);

  let olds: Map<string, PersonRow> | undefined;
  const oldsOf = () =>
    (olds ??= new Map(
      (
        db
          .prepare('select * from reach_own where project_code = ? and pseudonym = ?')
          .all(projectCode, pseudonym) as PersonRow[]
      ).map((r) => [r.partner_id, r]),
    ));
  for (const partnerId of profileMoved ? new Set([...partners, ...oldsOf().keys()]) : partners) {
    // The common case, a later service by the partner of the first: the first of all stayed that
    // partner's first, so its own row stands too.
    if (!profileMoved && projectUnchanged && first?.partner_id === partnerId) continue;
    // The first service of all is its partner's first too; another partner's is looked up.
    const own = !first
      ? undefined
      : first.partner_id === partnerId
        ? first
        : (db.prepare(FIRST_SERVICE_OF).get(pseudonym, projectCode, partnerId) as FirstService | undefined);
    const oldOwn = oldsOf().get(partnerId);
    move(db, 'reach_own', tallies.own, projectCode, pseudonym, oldOwn, own && rowOf(own, partnerId, oldOwn), false);
  }
}

/**
 * Replaces a person's row (project-wide or one partner's own) and moves its tallies; nothing when
 * unchanged. True when the row was there and stays as it was.
 */
function move(
  db: Sql,
  table: 'reach_persons' | 'reach_own',
  tallies: Map<string, number>,
  projectCode: string,
  pseudonym: string,
  old: PersonRow | undefined,
  next: PersonRow | undefined,
  projectWide: boolean,
): boolean {
  const same = old && next && (Object.keys(next) as (keyof PersonRow)[]).every((k) => old[k] === next[k]);
  if (same) return true;
  const partners = (r: PersonRow) => (projectWide ? [r.partner_id, '*'] : [r.partner_id]);
  if (old) tally(tallies, projectCode, partners(old), old, -1);
  if (!next) {
    if (old)
      db.prepare(
        table === 'reach_persons'
          ? 'delete from reach_persons where project_code = ? and pseudonym = ?'
          : 'delete from reach_own where project_code = ? and pseudonym = ? and partner_id = ?',
      ).run(projectCode, pseudonym, ...(table === 'reach_own' ? [old.partner_id] : []));
    return false;
  }
  tally(tallies, projectCode, partners(next), next, 1);
  db.prepare(
    `insert into ${table} (project_code, pseudonym, activity_id, partner_id, target_group, service, setting,
       first_on, first_position, sex, age, disability) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (project_code, pseudonym${projectWide ? '' : ', partner_id'}) do update set
       activity_id = excluded.activity_id, partner_id = excluded.partner_id, target_group = excluded.target_group,
       service = excluded.service, setting = excluded.setting, first_on = excluded.first_on,
       first_position = excluded.first_position, sex = excluded.sex, age = excluded.age, disability = excluded.disability`,
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
  return false;
}

export const SEX_KEYS = ['female', 'male', 'non-binary', 'unknown'] as const;
export const DISABILITY_KEYS = ['yes', 'no', 'unknown'] as const;

export interface PersonsReached {
  readonly reached: number;
  /**
   * Project-wide: each person counted for the partner of their first service, so partners sum to the
   * total. A partner's own figures: that partner only.
   */
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
 * Unique persons, each taken at their first non-voided service. Read from the tallies (a few hundred
 * rows), never from the persons themselves.
 *
 * - no `partnerId`: the project, each person once, at their first service of any partner and for
 *   that partner (`byPartner` sums to `reached`), with every partner's profile merged;
 * - a `partnerId`: that partner's own figures: the persons it served itself, at its own first
 *   service, with the profile it sent itself. Nothing another partner records moves them (a person
 *   another partner also served counts here too, so partners' own figures may sum to more);
 * - a `partnerId` with `share`: the partner's part of the project figure (persons whose first service
 *   is the partner's, merged profiles), for the agency's per-partner columns that sum to the project.
 *
 * `entrants` adds the per-month profiles (reports per period); the progress view does without them.
 */
export function personsReached(
  db: Sql,
  projectCode: string,
  partnerId?: string,
  options: { entrants?: boolean; share?: boolean } = {},
): PersonsReached {
  const entrants = options.entrants ?? true;
  const tallies = partnerId !== undefined && !options.share ? 'reach_own_tallies' : 'reach_tallies';
  // Range reads of the clustered key (project, dim, partner), not a scan of every partner's cells.
  const dims = ['all', 'target-group', 'service', 'setting', 'sex', 'disability', 'age', 'month'].concat(
    entrants ? ['month-sex', 'month-disability', 'month-age'] : [],
  );
  const cellsOfScope = db
    .prepare(
      `select dim, key, n from ${tallies}
     where project_code = ? and partner_id = ? and dim in (${dims.map((d) => `'${d}'`).join(', ')}) and n != 0`,
    )
    .all(projectCode, partnerId ?? '*') as { dim: string; key: string; n: number }[];
  const byDim: Record<string, Record<string, number>> = {};
  for (const c of cellsOfScope) (byDim[c.dim] ??= {})[c.key] = c.n;
  // A partner's own figure is the only partner in it; the whole project lists every partner's months,
  // packed one row per partner ("2024-03=5,2024-04=7"), partners and months in order (no sorting
  // here): thousands of cells would cost more to hand to JavaScript than to count.
  const newByPartnerMonth: Record<string, Record<string, number>> = partnerId ? { [partnerId]: byDim.month ?? {} } : {};
  if (!partnerId) {
    const packed = db
      .prepare(
        `select partner_id, group_concat(key || '=' || n, ',' order by key) as months from reach_tallies
       where project_code = ? and dim = 'month' and partner_id != '*' and n != 0
       group by partner_id order by partner_id`,
      )
      .all(projectCode) as { partner_id: string; months: string }[];
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
function ageAtEntry(firstOn: string, birthDate: string | null, birthYearOf: () => number | null): string {
  if (birthDate) {
    const years = Number(firstOn.slice(0, 4)) - Number(birthDate.slice(0, 4));
    return String(firstOn.slice(5) < birthDate.slice(5) ? years - 1 : years);
  }
  const birthYear = birthYearOf();
  return birthYear === null ? 'unknown' : String(Number(firstOn.slice(0, 4)) - birthYear);
}

/** How many persons were erased so far: as-of snapshots built before a change are stale for profiles. */
export function erasureCount(db: Sql): number {
  return (db.prepare('select count(*) as n from reach_erasures').get() as { n: number }).n;
}

function sorted<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
