import { eraseProfileVersions } from './as-of-tables';
import type { BulkTable, BulkTables } from './bulk-tables';
import type { LedgerRecord, RecordChange } from './ledger-record';
import type {
  BirthOpener,
  FirstService,
  PersonRow,
  PersonTable,
  ProfileRow,
  ProfileValues,
  ReachStore,
  TallyTable,
} from './persons-reached-rows';
import type { Sql } from './statement-cache';

/** A service as the refresh needs it (the record's seq finds it again). */
interface Service extends FirstService {
  readonly seq: number;
}

/** A person in one project: their non-voided services, first first, and the partners with an own row. */
interface PersonEntry {
  readonly services: Service[];
  readonly owners: Set<string>;
}

/** `(occurred_on, position)`: the order the first service is chosen in, as SQL's `order by` gives it. */
const earlier = (a: Service, b: Service) =>
  a.occurred_on < b.occurred_on || (a.occurred_on === b.occurred_on && a.position < b.position);

const PERSON_COLUMNS = [
  'activity_id',
  'partner_id',
  'target_group',
  'service',
  'setting',
  'first_on',
  'first_position',
  'sex',
  'age',
  'disability',
] as const;
/** The attributes an erasure makes unknown in every version of the person's rows. */
const ERASED_COLUMNS = ['sex', 'age', 'disability'];

/**
 * The persons reached during a bulk rebuild, in memory: each person's services by project (the
 * index the live refresh reads from `records`), their rows in the rebuild's tables (so their versions
 * are written in bulk), the profiles, sealed birth dates and tallies, written once at the end. Held
 * per service: its seq, id, partner, target group, service, setting, date and position (texts
 * shared, ~130 bytes); per person their profiles, rows and birth date.
 */
export class BulkReachStore implements ReachStore {
  private readonly persons = new Map<string, Map<string, PersonEntry>>();
  private readonly profileRows = new Map<string, ProfileRow[]>();
  private readonly births = new Map<string, string>();
  /** The birth dates opened from them (null: none, or it cannot be opened). */
  private readonly opened = new Map<string, string | null>();
  private readonly erasures = new Set<string>();
  /** Erased in the event being applied: their history is rewritten once it is refreshed. */
  private erasedNow: string[] = [];
  private readonly talliesOf: Record<TallyTable, Map<string, number>> = {
    reach_tallies: new Map(),
    reach_own_tallies: new Map(),
  };
  private readonly rows: Record<PersonTable, BulkTable>;
  /** The few distinct texts (partners, services, dates) held once, not once per service. */
  private readonly texts = new Map<string, string>();

  constructor(private readonly tables: BulkTables) {
    this.rows = { reach_persons: tables.table('reach_persons'), reach_own: tables.table('reach_own', true) };
  }

  private text<T extends string | null>(value: T): T {
    if (value === null) return value;
    const held = this.texts.get(value);
    if (held !== undefined) return held as T;
    this.texts.set(value, value);
    return value;
  }

  private entry(pseudonym: string, projectCode: string): PersonEntry {
    let projects = this.persons.get(pseudonym);
    if (!projects) this.persons.set(pseudonym, (projects = new Map()));
    let entry = projects.get(projectCode);
    if (!entry) projects.set(projectCode, (entry = { services: [], owners: new Set() }));
    return entry;
  }

  /** A record's change: its service leaves the person's list it was in and joins the one it is in now. */
  record({ before, after }: RecordChange): void {
    if (before === after) return;
    if (before?.person && !before.voided) {
      const services = this.entry(before.person, before.projectCode).services;
      const at = services.findIndex((s) => s.seq === before.seq);
      if (at >= 0) services.splice(at, 1);
    }
    if (after.person && !after.voided) this.add(this.entry(after.person, after.projectCode).services, after);
  }

  private add(services: Service[], r: LedgerRecord): void {
    const service: Service = {
      seq: r.seq,
      record_id: r.recordId,
      partner_id: this.text(r.partnerId),
      target_group: this.text(r.targetGroup),
      service: this.text(r.service),
      setting: this.text(r.setting),
      occurred_on: this.text(r.occurredOn),
      position: r.position,
    };
    // Mostly in date order: the place is found from the end.
    let at = services.length;
    while (at > 0 && earlier(service, services[at - 1]!)) at--;
    services.splice(at, 0, service);
  }

  firstService(projectCode: string, pseudonym: string, partnerId?: string): FirstService | undefined {
    const services = this.persons.get(pseudonym)?.get(projectCode)?.services ?? [];
    return partnerId === undefined ? services[0] : services.find((s) => s.partner_id === partnerId);
  }

  person(projectCode: string, pseudonym: string): PersonRow | undefined {
    return personRow(this.rows.reach_persons.get(projectCode, pseudonym));
  }

  ownRows(projectCode: string, pseudonym: string): PersonRow[] {
    const owners = this.persons.get(pseudonym)?.get(projectCode)?.owners ?? [];
    return [...owners].map((partnerId) => personRow(this.rows.reach_own.get(projectCode, pseudonym, partnerId))!);
  }

  profiles(pseudonym: string): ProfileRow[] {
    return this.profileRows.get(pseudonym) ?? [];
  }

  put(table: PersonTable, projectCode: string, pseudonym: string, row: PersonRow): void {
    this.rows[table].put([projectCode, pseudonym, ...PERSON_COLUMNS.map((c) => row[c])]);
    if (table === 'reach_own') this.entry(pseudonym, projectCode).owners.add(row.partner_id);
  }

  remove(table: PersonTable, projectCode: string, pseudonym: string, partnerId: string): void {
    if (table === 'reach_persons') return this.rows.reach_persons.delete(projectCode, pseudonym);
    this.rows.reach_own.delete(projectCode, pseudonym, partnerId);
    this.entry(pseudonym, projectCode).owners.delete(partnerId);
  }

  tally(table: TallyTable, moves: Map<string, number>): void {
    const tallies = this.talliesOf[table];
    for (const [cell, n] of moves) if (n !== 0) tallies.set(cell, (tallies.get(cell) ?? 0) + n);
  }

  projectsOf(pseudonym: string): string[] {
    const projects = [...(this.persons.get(pseudonym)?.keys() ?? [])];
    return projects.filter((projectCode) => this.rows.reach_persons.get(projectCode, pseudonym) !== undefined);
  }

  putProfile(pseudonym: string, partnerId: string, values: ProfileValues): void {
    const row: ProfileRow = { partner_id: partnerId, sex: values[0], birth_year: values[1], disability: values[2] };
    const rows = this.profiles(pseudonym).filter((r) => r.partner_id !== partnerId);
    this.profileRows.set(pseudonym, [...rows, row]);
  }

  deleteProfiles(pseudonym: string, partners: readonly string[] | null): void {
    const rows = partners === null ? [] : this.profiles(pseudonym).filter((r) => !partners.includes(r.partner_id));
    if (rows.length > 0) this.profileRows.set(pseudonym, rows);
    else this.profileRows.delete(pseudonym);
  }

  /** Opened once per sealed profile kept: not at every refresh that computes an age. */
  birthDate(pseudonym: string, open: BirthOpener): string | null {
    let date = this.opened.get(pseudonym);
    if (date === undefined) {
      const sealed = this.births.get(pseudonym);
      date = sealed === undefined ? null : (open(pseudonym, sealed)?.birthDate ?? null);
      this.opened.set(pseudonym, date);
    }
    return date;
  }

  setBirth(pseudonym: string, sealed: string | null): void {
    this.opened.delete(pseudonym);
    if (sealed === null) this.births.delete(pseudonym);
    else this.births.set(pseudonym, sealed);
  }

  erased(pseudonym: string): void {
    this.erasures.add(pseudonym);
    this.erasedNow.push(pseudonym);
  }

  /**
   * After the erased persons' refresh: the attributes in every version of their rows made unknown,
   * those written already (SQL) and those still held, the one the refresh just closed too.
   */
  eraseHistory(db: Sql): void {
    for (const pseudonym of this.erasedNow) {
      eraseProfileVersions(db, pseudonym);
      for (const table of Object.values(this.rows)) {
        const erased = ERASED_COLUMNS.map((c) => table.columns.indexOf(c));
        table.rewriteClosed(
          (values) => values[1] === pseudonym,
          (values) => erased.forEach((at) => (values[at] = 'unknown')),
        );
      }
    }
    this.erasedNow = [];
  }

  /** The end of the rebuild: the tables without a history, written once. */
  finish(): void {
    for (const [table, tallies] of Object.entries(this.talliesOf)) {
      const rows = this.tables.table(table, true);
      for (const [cell, n] of tallies) if (n !== 0) rows.put([...cell.split('\u0000'), n]);
    }
    const profiles = this.tables.table('reach_profiles');
    for (const [pseudonym, rows] of this.profileRows)
      for (const r of rows) profiles.put([pseudonym, r.partner_id, r.sex, r.birth_year, r.disability]);
    const births = this.tables.table('reach_births');
    for (const [pseudonym, sealed] of this.births) births.put([pseudonym, sealed]);
    const erasures = this.tables.table('reach_erasures');
    for (const pseudonym of this.erasures) erasures.put([pseudonym]);
  }
}

/** A `reach_persons` or `reach_own` row as SQL's `select *` gives it. */
function personRow(values: readonly unknown[] | undefined): PersonRow | undefined {
  if (!values) return undefined;
  const [activity_id, partner_id, target_group, service, setting, first_on, first_position, sex, age, disability] =
    values.slice(2) as [string, string, string, string, string, string, number, string, string, string];
  return { activity_id, partner_id, target_group, service, setting, first_on, first_position, sex, age, disability };
}
