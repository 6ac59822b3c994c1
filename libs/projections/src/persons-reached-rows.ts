import type { Sql } from './statement-cache';
import { codeOf } from './record-index';

export const SEX_KEYS = ['female', 'male', 'non-binary', 'unknown'] as const;
export const DISABILITY_KEYS = ['yes', 'no', 'unknown'] as const;

/** A `reach_profiles` row: one per partner that sent a profile, and '*' for every partner's merged. */
export interface ProfileRow {
  partner_id: string;
  sex: string | null;
  birth_year: number | null;
  disability: number | null;
}

export interface PersonRow {
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

/** Tally moves of one batch, per cell: project-wide ('*' and the partner of attribution) and per partner's own. */
export interface Tallies {
  readonly project: Map<string, number>;
  readonly own: Map<string, number>;
}

/** What a person's cells are made of. */
export type CellSource = Pick<
  PersonRow,
  'target_group' | 'service' | 'setting' | 'first_on' | 'sex' | 'disability' | 'age'
>;

/** The month a person counts as new in: that of their first service. */
export const monthOf = (r: Pick<PersonRow, 'first_on'>): string => r.first_on.slice(0, 7);

/** The breakdown cells a person counts in: the tallies' dims and keys (also counted as of a point). */
export function cells(r: CellSource): [string, string][] {
  const month = monthOf(r);
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

export type TallyTable = 'reach_tallies' | 'reach_own_tallies';
export type PersonTable = 'reach_persons' | 'reach_own';

/**
 * Where a refresh reads and writes: SQL (live, `sqlReachRows`) or a bulk rebuild's memory
 * (persons-reached-bulk.ts).
 */
export interface ReachRows {
  /** The person's first non-voided service in the project: of any partner, or of `partnerId`. */
  firstService(projectCode: string, pseudonym: string, partnerId?: string): FirstService | undefined;
  /** The person's project-wide row. */
  person(projectCode: string, pseudonym: string): PersonRow | undefined;
  /** The partners' own rows of the person in the project. */
  ownRows(projectCode: string, pseudonym: string): PersonRow[];
  /** Every partner's profile of the person, and the merged one ('*'). */
  profiles(pseudonym: string): ProfileRow[];
  /** Writes the person's row (project-wide, or the partner's own: `row.partner_id`). */
  put(table: PersonTable, projectCode: string, pseudonym: string, row: PersonRow): void;
  remove(table: PersonTable, projectCode: string, pseudonym: string, partnerId: string): void;
  /** Adds the tallies' moves. */
  tally(table: TallyTable, tallies: Map<string, number>): void;
}

/**
 * A refresh's reads and writes (above), and the profiles', birth dates' and
 * erasures' own: SQL (live, `sqlReachStore`) or a bulk rebuild's memory (persons-reached-bulk.ts).
 */
export interface ReachStore extends ReachRows {
  /** The projects the person counts in (project-wide). */
  projectsOf(pseudonym: string): string[];
  /** Writes a profile row (partner '*': every partner's merged). */
  putProfile(pseudonym: string, partnerId: string, values: ProfileValues): void;
  /** Deletes the person's profiles of these partners; every one with null. */
  deleteProfiles(pseudonym: string, partners: readonly string[] | null): void;
  /** The birth date in the latest sealed profile holding one, opened with `open`; null without one. */
  birthDate(pseudonym: string, open: BirthOpener): string | null;
  setBirth(pseudonym: string, sealed: string | null): void;
  /** The person was erased: counted, and the attributes in their rows' earlier versions made unknown. */
  erased(pseudonym: string): void;
}

/** Opens a sealed profile with the person's key (null: it cannot be opened). */
export type BirthOpener = (pseudonym: string, sealed: string) => { readonly birthDate?: string } | null;

/** A profile row's sex, birth year and disability (1/0). */
export type ProfileValues = readonly [string | null, number | null, number | null];

export function writeTallies(db: Sql, table: TallyTable, tallies: Map<string, number>): void {
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

export interface FirstService {
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

/** The live `ReachRows`: statements on the read models. */
export function sqlReachRows(db: Sql): ReachRows {
  return {
    firstService: (projectCode, pseudonym, partnerId) =>
      (partnerId === undefined
        ? db.prepare(FIRST_SERVICE).get(pseudonym, projectCode)
        : db.prepare(FIRST_SERVICE_OF).get(pseudonym, projectCode, partnerId)) as FirstService | undefined,
    person: (projectCode, pseudonym) =>
      db.prepare('select * from reach_persons where project_code = ? and pseudonym = ?').get(projectCode, pseudonym) as
        PersonRow | undefined,
    ownRows: (projectCode, pseudonym) =>
      db
        .prepare('select * from reach_own where project_code = ? and pseudonym = ?')
        .all(projectCode, pseudonym) as PersonRow[],
    profiles: (pseudonym) =>
      db.prepare('select * from reach_profiles where pseudonym = ?').all(pseudonym) as ProfileRow[],
    put: (table, projectCode, pseudonym, row) => putPerson(db, table, projectCode, pseudonym, row),
    remove: (table, projectCode, pseudonym, partnerId) =>
      db
        .prepare(
          table === 'reach_persons'
            ? 'delete from reach_persons where project_code = ? and pseudonym = ?'
            : 'delete from reach_own where project_code = ? and pseudonym = ? and partner_id = ?',
        )
        .run(projectCode, pseudonym, ...(table === 'reach_own' ? [partnerId] : [])),
    tally: (table, tallies) => writeTallies(db, table, tallies),
  };
}

/** One person's refresh in one project: what it reads at most once (profiles, birth date, own rows). */
class PersonRefresh {
  private profiles: ProfileRow[] | undefined;
  private birth: string | null | undefined;
  private owns: Map<string, PersonRow> | undefined;

  constructor(
    readonly db: ReachRows,
    readonly projectCode: string,
    readonly pseudonym: string,
    /** The person's profile changed: their rows' attributes are computed again. */
    readonly profileMoved: boolean,
    private readonly birthDateOf: (pseudonym: string) => string | null,
  ) {}

  /** Read only when a row's attributes must be computed again (a new row, or the profile moved). */
  profileOf(partnerId: string): ProfileRow | undefined {
    this.profiles ??= this.db.profiles(this.pseudonym);
    return this.profiles.find((r) => r.partner_id === partnerId);
  }

  /** Opened at most once per refresh, and only when an age must be computed again. */
  birthDate(): string | null {
    if (this.birth === undefined) this.birth = this.birthDateOf(this.pseudonym);
    return this.birth;
  }

  /** The partners' own rows of the person, by partner. */
  ownRows(): Map<string, PersonRow> {
    this.owns ??= new Map(this.db.ownRows(this.projectCode, this.pseudonym).map((r) => [r.partner_id, r]));
    return this.owns;
  }

  /** A person's row from a first service. `profileOwner`: '*' for the project-wide row, else the partner whose own row it is. */
  rowOf(f: FirstService, profileOwner: string, old: PersonRow | undefined): PersonRow {
    // The profile is as it was: sex and disability as computed before, and the age too unless the
    // first service's date moved.
    const kept = old && !this.profileMoved ? old : undefined;
    const profile = kept ? undefined : this.profileOf(profileOwner);
    return {
      activity_id: f.record_id,
      partner_id: f.partner_id,
      target_group: f.target_group ?? '',
      service: f.service ?? '',
      setting: f.setting ?? '',
      first_on: f.occurred_on,
      first_position: f.position,
      sex: kept ? kept.sex : sexOf(profile),
      age:
        kept && kept.first_on === f.occurred_on
          ? kept.age
          : ageAtEntry(f.occurred_on, this.birthDate(), () => this.profileOf(profileOwner)?.birth_year ?? null),
      disability: kept ? kept.disability : disabilityOf(profile),
    };
  }
}

const sexOf = (profile: ProfileRow | undefined): string =>
  profile?.sex && (SEX_KEYS as readonly string[]).includes(profile.sex) ? profile.sex : 'unknown';
const disabilityOf = (profile: ProfileRow | undefined): string =>
  profile?.disability === null || profile?.disability === undefined ? 'unknown' : profile.disability ? 'yes' : 'no';

/**
 * Recomputes whom a person counts for and how: project-wide (first non-voided service of any partner,
 * merged profile) and for each partner concerned (its own first service, its own profile), and moves
 * their tallies. `partners`: those whose services of the person changed; after a profile change every
 * partner that counts the person.
 */
export function refreshPerson(
  db: ReachRows,
  projectCode: string,
  pseudonym: string,
  partners: readonly string[],
  profileMoved: boolean,
  birthDateOf: (pseudonym: string) => string | null,
  tallies: Tallies,
): void {
  const c = new PersonRefresh(db, projectCode, pseudonym, profileMoved, birthDateOf);
  const first = db.firstService(projectCode, pseudonym);
  const old = db.person(projectCode, pseudonym);
  const next = first && c.rowOf(first, '*', old);
  const projectUnchanged = move(db, 'reach_persons', tallies.project, projectCode, pseudonym, old, next, true);
  for (const partnerId of profileMoved ? new Set([...partners, ...c.ownRows().keys()]) : partners) {
    // The common case, a later service by the partner of the first: the first of all stayed that
    // partner's first, so its own row stands too.
    if (!profileMoved && projectUnchanged && first?.partner_id === partnerId) continue;
    // The first service of all is its partner's first too; another partner's is looked up.
    const own = !first
      ? undefined
      : first.partner_id === partnerId
        ? first
        : db.firstService(projectCode, pseudonym, partnerId);
    const oldOwn = c.ownRows().get(partnerId);
    move(db, 'reach_own', tallies.own, projectCode, pseudonym, oldOwn, own && c.rowOf(own, partnerId, oldOwn), false);
  }
}

/**
 * Replaces a person's row (project-wide or one partner's own) and moves its tallies; nothing when
 * unchanged. True when the row was there and stays as it was.
 */
function move(
  db: ReachRows,
  table: PersonTable,
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
    if (old) db.remove(table, projectCode, pseudonym, old.partner_id);
    return false;
  }
  tally(tallies, projectCode, partners(next), next, 1);
  db.put(table, projectCode, pseudonym, next);
  return false;
}

function putPerson(db: Sql, table: PersonTable, projectCode: string, pseudonym: string, next: PersonRow): void {
  const projectWide = table === 'reach_persons';
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
