import { profileSender, profilesAfter } from '@ihl/domain';
import { eraseProfileVersions } from './as-of-tables';
import type { LedgerEvent } from './ledger-events';
import type { RecordChange } from './ledger-record';
import type { Projection } from './projection';
import { BulkReachStore } from './persons-reached-bulk';
import {
  refreshPerson,
  sqlReachRows,
  type ProfileRow,
  type ProfileValues,
  type ReachStore,
  type Tallies,
} from './persons-reached-rows';
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
function sqlReachStore(db: Sql): ReachStore {
  return {
    ...sqlReachRows(db),
    projectsOf: (pseudonym) =>
      (
        db.prepare('select project_code from reach_persons where pseudonym = ?').all(pseudonym) as {
          project_code: string;
        }[]
      ).map((r) => r.project_code),
    putProfile: (pseudonym, partnerId, values) =>
      db.prepare('insert or replace into reach_profiles values (?, ?, ?, ?, ?)').run(pseudonym, partnerId, ...values),
    deleteProfiles: (pseudonym, partners) =>
      partners === null
        ? db.prepare('delete from reach_profiles where pseudonym = ?').run(pseudonym)
        : db
            .prepare(`delete from reach_profiles where pseudonym = ? and partner_id in (${partners.map(() => '?')})`)
            .run(pseudonym, ...partners),
    birthDate(pseudonym, open) {
      const row = db.prepare('select sealed from reach_births where pseudonym = ?').get(pseudonym) as
        { sealed: string } | undefined;
      return row ? (open(pseudonym, row.sealed)?.birthDate ?? null) : null;
    },
    setBirth: (pseudonym, sealed) =>
      sealed === null
        ? db.prepare('delete from reach_births where pseudonym = ?').run(pseudonym)
        : db
            .prepare(
              'insert into reach_births values (?, ?) on conflict (pseudonym) do update set sealed = excluded.sealed',
            )
            .run(pseudonym, sealed),
    erased(pseudonym): void {
      // Counted so that as-of snapshots built before an erasure can be told apart and dropped.
      db.prepare('insert or ignore into reach_erasures values (?)').run(pseudonym);
      eraseProfileVersions(db, pseudonym);
    },
  };
}

export interface ReachBatch {
  /** Per project code, the persons to refresh (nested, so a replay builds no key string per service). */
  readonly persons: Map<string, Map<string, MarkedPartners>>;
  /** Profiles that changed: the person moves in every project they count in, for every partner. */
  readonly pseudonyms: Set<string>;
  /** Birth dates opened from this batch's profiles, so its commit need not open them again (memory only). */
  readonly births: Map<string, string>;
}
export const newReachBatch = (): ReachBatch => ({ persons: new Map(), pseudonyms: new Set(), births: new Map() });

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

/** A tally table: project-wide (reach_tallies) and of partners' own figures (reach_own_tallies). */
const TALLY_TABLE = `
    project_code text not null,
    partner_id   text not null,
    dim          text not null,
    key          text not null,
    n            integer not null,
    primary key (project_code, dim, partner_id, key)
  ) without rowid;`;

// Rowid tables with a key index, not `without rowid`: a new row appends to the rowid b-tree, whose
// last page all of a commit's rows share; keyed on the pseudonym, each row dirtied a page of its own
// (more WAL pages per new person, measured: bench/read-model-writes.bench.ts).
const REACH_SCHEMA = `
  create table if not exists reach_persons (
${PERSON_ROW_COLUMNS}        primary key (project_code, pseudonym)
  );
  create index if not exists reach_persons_pseudonym on reach_persons (pseudonym);
  create table if not exists reach_own (
${PERSON_ROW_COLUMNS}        primary key (project_code, pseudonym, partner_id)
  ) without rowid;
  create table if not exists reach_tallies (${TALLY_TABLE}
  create table if not exists reach_own_tallies (${TALLY_TABLE}
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
`;

export type ReachEvent = LedgerEvent<'PersonProfileRecorded' | 'PersonErased'>;

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
 * A changed service or profile marks the person in the batch; its commit (once per batch, once per
 * bulk rebuild) recomputes the marked persons from the records and profiles, so the figures are a
 * function of the records' current state alone. Profiles are opened with the person's key as they arrive and kept
 * per partner (sex, birth year, disability); the birth date is not kept in clear: an age at entry is
 * computed from the sealed profile, opened again only when the first service's date or the profile
 * changes. An erasure deletes every partner's profile of the person, so an erased person stays
 * counted with sex, age and disability "unknown", live and after a rebuild alike.
 */
export function createPersonsReachedProjection(openProfile: ProfileOpener): Projection<ReachEvent, ReachBatch> {
  return {
    name: 'reach',
    version: 11,
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
    schema: REACH_SCHEMA,
    handles: ['PersonProfileRecorded', 'PersonErased'],
    createBatch: newReachBatch,
    evolveRecord: (change, { batch }) => markRecord(batch, change),
    evolve: (e, { db, batch }) => evolveReach(sqlReachStore(db), batch, e, openProfile),
    commit: (batch, db) => refreshMarked(sqlReachStore(db), batch, openProfile),
    bulk(tables) {
      // Each event's persons refreshed at once, from the services held in memory.
      const store = new BulkReachStore(tables);
      return {
        evolveRecord(change): void {
          store.record(change);
          if (change.before === change.after) return;
          const batch = newReachBatch();
          markRecord(batch, change);
          if (batch.persons.size > 0) refreshMarked(store, batch, openProfile);
        },
        evolve(e, db): void {
          const batch = newReachBatch();
          evolveReach(store, batch, e, openProfile);
          refreshMarked(store, batch, openProfile);
          store.eraseHistory(db);
        },
        finish: () => store.finish(),
      };
    },
  };
}

/** The persons a record's change moves (its recipient before and after). */
export function markRecord(p: ReachBatch, { before, after }: RecordChange): void {
  if (after.kind !== 'service-delivered') return;
  if (before?.person) mark(p, before.projectCode, before.person, before.partnerId);
  if (after.person) mark(p, after.projectCode, after.person, after.partnerId);
}

/** A profile sent, or a person erased. */
export function evolveReach(store: ReachStore, p: ReachBatch, e: ReachEvent, openProfile: ProfileOpener): void {
  if (e.type === 'PersonProfileRecorded') recordProfile(store, p, e, openProfile);
  else erasePerson(store, p, e.data.pseudonym);
}

/** For tools and tests that run without the privacy keys: profiles stay unknown. */
export const personsReachedProjection = createPersonsReachedProjection(() => null);

/** A profile sent: opened with the person's key, kept per partner and merged; the person's figures move. */
function recordProfile(
  db: ReachStore,
  p: ReachBatch,
  e: LedgerEvent<'PersonProfileRecorded'>,
  openProfile: ProfileOpener,
): void {
  const d = e.data;
  // Only an older event (no partnerId) reads the metadata: its sender is the actor's partner.
  const sender = profileSender(d, () => e.metadata.actor);
  p.pseudonyms.add(d.pseudonym);
  const opened = openProfile(d.pseudonym, d.sealed);
  if (!opened) {
    // Unreadable (an erased key): from here on unknown, project-wide and for the sender.
    db.deleteProfiles(d.pseudonym, ['*', sender.partnerId]);
    db.setBirth(d.pseudonym, null);
    p.births.delete(d.pseudonym);
    return;
  }
  const rows = db.profiles(d.pseudonym);
  const after = profilesAfter(
    {
      merged: keptOfRow(rows.find((r) => r.partner_id === '*')),
      own: keptOfRow(rows.find((r) => r.partner_id === sender.partnerId)),
    },
    keptOf(opened),
    sender,
  );
  const values = (k: KeptProfile): ProfileValues => [
    k.sex ?? null,
    k.birthYear ?? null,
    k.disability === undefined ? null : k.disability ? 1 : 0,
  ];
  db.putProfile(d.pseudonym, '*', values(after.merged));
  if (sender.partnerId !== '') db.putProfile(d.pseudonym, sender.partnerId, values(after.own));
  // The birth date is the personal code's, the same whoever sent it: the latest sealed text holding
  // it is kept (the latest, as the batch's memory of it holds the latest too).
  if (opened.birthDate) {
    db.setBirth(d.pseudonym, d.sealed);
    p.births.set(d.pseudonym, opened.birthDate);
  }
}

/** Every partner's profile of the person deleted: from here on they count with unknown attributes. */
function erasePerson(db: ReachStore, p: ReachBatch, pseudonym: string): void {
  db.deleteProfiles(pseudonym, null);
  db.setBirth(pseudonym, null);
  db.erased(pseudonym);
  p.pseudonyms.add(pseudonym);
  p.births.delete(pseudonym);
}

/** The batch's end: every marked person recomputed, the tallies moved. */
export function refreshMarked(db: ReachStore, p: ReachBatch, openProfile: ProfileOpener): void {
  for (const pseudonym of p.pseudonyms)
    for (const projectCode of db.projectsOf(pseudonym)) mark(p, projectCode, pseudonym);
  const tallies: Tallies = { project: new Map(), own: new Map() };
  const birthDateOf = (pseudonym: string): string | null => {
    const known = p.births.get(pseudonym);
    if (known !== undefined) return known;
    return db.birthDate(pseudonym, openProfile);
  };
  for (const [projectCode, persons] of p.persons)
    for (const [pseudonym, marked] of persons)
      refreshPerson(db, projectCode, pseudonym, partnersOf(marked), p.pseudonyms.has(pseudonym), birthDateOf, tallies);
  db.tally('reach_tallies', tallies.project);
  db.tally('reach_own_tallies', tallies.own);
}
