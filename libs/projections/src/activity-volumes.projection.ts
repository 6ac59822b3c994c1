import type { ActivityVolumes } from '@ihl/domain';
import type { BulkTables } from './bulk-tables';
import type { LedgerEvent } from './ledger-events';
import type { LedgerRecord } from './ledger-record';
import type { Projection } from './projection';
import { codeOf } from './record-index';
import type { Sql } from './statement-cache';

type Level<V> = Map<string, V>;
/** Differences per sums row: project, partner, kind, key1, key2 → records, minutes, people, ... */
type Sums = Level<Level<Level<Level<Level<number[]>>>>>;
/** Services per caseload row: project, partner, worker → the person's number in `persons` → services. */
type Caseload = Level<Level<Level<Map<number, number>>>>;

/**
 * Differences gathered over a batch, in maps nested by key column (a replay moves a sums
 * row per record: looking up short keys level by level is cheaper than building a joined key each
 * time). Persons are numbered, so the tens of thousands of caseload cells of a bulk replay stay small.
 */
export interface VolumesBatch {
  readonly sums: Sums;
  readonly caseload: Caseload;
  readonly persons: { readonly numbers: Map<string, number>; readonly pseudonyms: string[] };
  cells: number;
}
const MAX_PENDING = 200_000;
const newBatch = (): VolumesBatch => ({
  sums: new Map(),
  caseload: new Map(),
  persons: { numbers: new Map(), pseudonyms: [] },
  cells: 0,
});

function level<K, V>(m: Map<K, V>, key: K, make: () => V): V {
  let v = m.get(key);
  if (v === undefined) m.set(key, (v = make()));
  return v;
}
// Typed by the level it is added to.
const NEW = (): Map<never, never> => new Map<never, never>();

/**
 * Running sums per partner, kind and key (service and setting, recipient kind, category, audience),
 * moved by each record change, plus services per worker and person for the caseload: a query reads
 * the sums, not every record. Differences are gathered in memory and written once per batch (once
 * per rebuild in bulk), so a row is written once however many records move it.
 */
export const activityVolumesProjection: Projection<LedgerEvent<never>, VolumesBatch> = {
  name: 'volumes',
  version: 6,
  tables: ['volumes_sums', 'volumes_caseload', 'volumes_workers'],
  // The sums and workers `without rowid`: few hot rows, each upsert one seek instead of two. The
  // caseload stays a rowid table: a person served again is usually a recent row, near the rowid
  // b-tree's end; keyed on (worker, pseudonym) its updates dirtied twice the pages (measured:
  // bench/read-model-writes.bench.ts).
  schema: `
    create table if not exists volumes_sums (
      project_code text not null, partner_id text not null, kind text not null, key1 text not null, key2 text not null,
      records integer not null, minutes integer not null, people integer not null, people_minutes integer not null,
      quantity integer not null, cents integer not null,
      primary key (project_code, partner_id, kind, key1, key2)
    ) without rowid;
    create table if not exists volumes_caseload (
      project_code text not null, partner_id text not null, worker_ref text not null, pseudonym text not null,
      services integer not null,
      primary key (project_code, partner_id, worker_ref, pseudonym)
    );
    create table if not exists volumes_workers (
      project_code text not null, partner_id text not null, worker_ref text not null,
      services integer not null, persons integer not null,
      primary key (project_code, partner_id, worker_ref)
    ) without rowid;
  `,
  handles: [],
  createBatch: newBatch,
  evolveRecord({ before, after }, { batch }): void {
    if (after.kind === 'expenditure') return;
    if (before) contribute(batch, before, -1);
    contribute(batch, after, 1);
  },
  // A bulk replay writes its batch only at its end: written early, memory stays bounded (sums add up the same).
  isFull: (p) => p.cells > MAX_PENDING,
  commit: (p, db) => writeBatch(p, sqlWriter(db)),
  bulk(tables) {
    const to = bulkWriter(tables);
    return {
      // Each change written at once: the tables add it up, and each event's versions start at it.
      evolveRecord({ before, after }): void {
        if (before === after || after.kind === 'expenditure') return;
        const batch = newBatch();
        if (before) contribute(batch, before, -1);
        contribute(batch, after, 1);
        writeBatch(batch, to);
      },
    };
  },
};

/**
 * Where a batch's differences go, each an upsert adding them to the row: SQL (live), or a bulk
 * rebuild's in-memory tables. `caseload` returns the person's services with the worker after it.
 */
interface VolumesWriter {
  sum(key: readonly string[], d: readonly number[]): void;
  caseload(key: readonly string[], d: number): number;
  worker(key: readonly string[], services: number, persons: number): void;
}

function sqlWriter(db: Sql): VolumesWriter {
  const sums = db.prepare(
    `insert into volumes_sums values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (project_code, partner_id, kind, key1, key2) do update set records = records + excluded.records,
       minutes = minutes + excluded.minutes, people = people + excluded.people,
       people_minutes = people_minutes + excluded.people_minutes, quantity = quantity + excluded.quantity,
       cents = cents + excluded.cents`,
  );
  const caseload = db.prepare(
    `insert into volumes_caseload values (?, ?, ?, ?, ?)
     on conflict (project_code, partner_id, worker_ref, pseudonym) do update set services = services + excluded.services
     returning services`,
  );
  const worker = db.prepare(
    `insert into volumes_workers values (?, ?, ?, ?, ?)
     on conflict (project_code, partner_id, worker_ref) do update set services = services + excluded.services,
       persons = persons + excluded.persons`,
  );
  return {
    sum: (key, d) => sums.run(...key, ...d),
    caseload: (key, d) => (caseload.get(...key, d) as { services: number }).services,
    worker: (key, services, persons) => worker.run(...key, services, persons),
  };
}

function bulkWriter(tables: BulkTables): VolumesWriter {
  const sums = tables.table('volumes_sums');
  const caseload = tables.table('volumes_caseload');
  const workers = tables.table('volumes_workers');
  return {
    sum: (key, d) => sums.add(key, d),
    caseload: (key, d) => caseload.add(key, [d])[4] as number,
    worker: (key, services, persons) => workers.add(key, [services, persons]),
  };
}

function writeBatch(p: VolumesBatch, to: VolumesWriter): void {
  for (const [project, partners] of p.sums)
    for (const [partner, kinds] of partners)
      for (const [kind, keys1] of kinds)
        for (const [key1, keys2] of keys1)
          for (const [key2, d] of keys2) to.sum([project, partner, kind, key1, key2], d);
  for (const [project, partners] of p.caseload)
    for (const [partner, workers] of partners)
      for (const [workerRef, persons] of workers) {
        let services = 0;
        let joined = 0;
        for (const [person, d] of persons) {
          const now = to.caseload([project, partner, workerRef, p.persons.pseudonyms[person]!], d);
          // A person joins a worker's caseload with their first service there and leaves with the last.
          joined += (now > 0 ? 1 : 0) - (now - d > 0 ? 1 : 0);
          services += d;
        }
        to.worker([project, partner, workerRef], services, joined);
      }
}

/** A record field a kind's volumes break down by, and its `records` column. */
interface BreakdownKey {
  readonly field: 'service' | 'setting' | 'recipientKind' | 'equipmentCategory' | 'audience';
  readonly column: string;
}
type Breakdown = readonly [BreakdownKey | null, BreakdownKey | null];
const NO_BREAKDOWN: Breakdown = [null, null];
/** Per kind, what `volumes_sums`' key1 and key2 hold ('' for a kind without them). */
const BREAKDOWN: Readonly<Record<string, Breakdown>> = {
  'service-delivered': [
    { field: 'service', column: 'service' },
    { field: 'setting', column: 'setting' },
  ],
  'psychological-support': [{ field: 'recipientKind', column: 'recipient_kind' }, null],
  'equipment-procured': [{ field: 'equipmentCategory', column: 'equipment_category' }, null],
  'promotion-event': [{ field: 'audience', column: 'audience' }, null],
};
const breakdownKey = (kind: string, i: 0 | 1) => (BREAKDOWN[kind] ?? NO_BREAKDOWN)[i];
/** A key's text in a query over `records` (joined as k0 / k1), as the sums hold it. */
const keyText = (kind: string, i: 0 | 1) => (breakdownKey(kind, i) ? `coalesce(k${i}.text, '')` : "''");
const keyJoin = (kind: string, i: 0 | 1) => {
  const key = breakdownKey(kind, i);
  return key ? `left join records_codes k${i} on k${i}.code = r.${key.column}` : '';
};

/** What one record adds to its kind's sums and to its worker's caseload. */
function contribute(p: VolumesBatch, r: LedgerRecord, sign: 1 | -1): void {
  if (r.voided) return;
  const [column1, column2] = BREAKDOWN[r.kind] ?? NO_BREAKDOWN;
  const key1 = (column1 && r[column1.field]) ?? '';
  const key2 = (column2 && r[column2.field]) ?? '';
  const keys2 = level(level(level(level(p.sums, r.projectCode, NEW), r.partnerId, NEW), r.kind, NEW), key1, NEW);
  const s = keys2.get(key2);
  if (s) {
    s[0]! += sign;
    s[1]! += sign * r.minutes;
    s[2]! += sign * r.people;
    s[3]! += sign * r.peopleMinutes;
    s[4]! += sign * r.quantity;
    s[5]! += sign * r.cents;
  } else {
    keys2.set(key2, [
      sign,
      sign * r.minutes,
      sign * r.people,
      sign * r.peopleMinutes,
      sign * r.quantity,
      sign * r.cents,
    ]);
    p.cells++;
  }
  if (r.kind === 'service-delivered' && r.workerRef && r.person) {
    let n = p.persons.numbers.get(r.person);
    if (n === undefined) {
      n = p.persons.pseudonyms.push(r.person) - 1;
      p.persons.numbers.set(r.person, n);
    }
    const persons = level(level(level(p.caseload, r.projectCode, NEW), r.partnerId, NEW), r.workerRef, NEW);
    const services = persons.get(n);
    if (services === undefined) p.cells++;
    persons.set(n, (services ?? 0) + sign);
  }
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/** Records dated from `from` to `to`, both included (ISO dates compare as text). */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

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
interface WorkerRow {
  partnerId: string;
  workerRef: string;
  services: number;
  persons: number;
}

/**
 * The project's volumes, or one partner's. With `between`, those of the records dated in it: the
 * running sums hold no dates, so they are summed from the live rows of `records` instead (exactly
 * what the sums add up, restricted to the range; slower, as it reads every record in the range).
 */
export function activityVolumes(
  db: Sql,
  projectCode: string,
  partnerId?: string,
  between?: DateRange,
): ActivityVolumes {
  const partner = partnerId ?? null;
  if (between) {
    const where = `r.project_code = ${codeOf('@project')} and r.voided = 0
      and (@partner is null or r.partner_id = ${codeOf('@partner')}) and r.occurred_on between @from and @to`;
    const args = { project: projectCode, partner, from: between.from, to: between.to };
    return assemble(
      (kind) =>
        db
          .prepare(
            `select ${keyText(kind, 0)} as key1, ${keyText(kind, 1)} as key2, count(*) as records,
                  sum(r.minutes) as minutes, sum(r.people) as people, sum(r.people_minutes) as peopleMinutes,
                  sum(r.quantity) as quantity, sum(r.cents) as cents
           from records r ${keyJoin(kind, 0)} ${keyJoin(kind, 1)}
           where ${where} and r.kind = ${codeOf('@kind')}
           group by 1, 2 order by 1, 2`,
          )
          .all({ ...args, kind }) as Sum[],
      // A service counts in its worker's caseload when it names the worker and a recipient, as in the sums.
      db
        .prepare(
          `select p.text as partnerId, w.text as workerRef, count(*) as services, count(distinct r.person_no) as persons
         from records r join records_codes p on p.code = r.partner_id join records_codes w on w.code = r.worker_ref
         where ${where} and r.kind = ${codeOf("'service-delivered'")} and r.person_no is not null
         group by p.text, w.text order by 1, 2`,
        )
        .all(args) as WorkerRow[],
    );
  }
  return assemble(
    (kind) =>
      db
        .prepare(
          `select key1, key2, sum(records) as records, sum(minutes) as minutes, sum(people) as people,
                sum(people_minutes) as peopleMinutes, sum(quantity) as quantity, sum(cents) as cents
         from volumes_sums where project_code = ? and kind = ? and (? is null or partner_id = ?)
         group by key1, key2 having sum(records) > 0 order by key1, key2`,
        )
        .all(projectCode, kind, partner, partner) as Sum[],
    // Worker references are each partner's own: caseload is per partner and worker.
    db
      .prepare(
        `select partner_id as partnerId, worker_ref as workerRef, services, persons
       from volumes_workers where project_code = ? and services > 0 and (? is null or partner_id = ?)
       order by 1, 2`,
      )
      .all(projectCode, partner, partner) as WorkerRow[],
  );
}

/** The volumes from the sums per kind and key and the caseload rows, however they were read. */
function assemble(sums: (kind: string) => Sum[], caseload: WorkerRow[]): ActivityVolumes {
  const none: Sum = { key1: '', key2: '', records: 0, minutes: 0, people: 0, peopleMinutes: 0, quantity: 0, cents: 0 };
  const consultations = sums('caregiver-consultation')[0] ?? none;
  const trainings = sums('training-held')[0] ?? none;
  const equipment = sums('equipment-procured').map((e) => ({
    category: e.key1,
    quantity: e.quantity,
    costCents: e.cents,
  }));
  const vehicle = equipment.find((e) => e.category === 'vehicle');
  return {
    services: sums('service-delivered').map((x) => ({
      service: x.key1,
      setting: x.key2,
      count: x.records,
      hours: hours(x.minutes),
    })),
    consultations: {
      count: consultations.records,
      familyMembers: consultations.people,
      hours: hours(consultations.minutes),
    },
    psychologicalSupport: sums('psychological-support').map((x) => ({
      recipientKind: x.key1,
      sessions: x.records,
      participants: x.people,
      hours: hours(x.minutes),
    })),
    trainings: {
      count: trainings.records,
      participants: trainings.people,
      hours: hours(trainings.minutes),
      participantHours: hours(trainings.peopleMinutes),
    },
    equipment,
    vehicles: { quantity: vehicle?.quantity ?? 0, costCents: vehicle?.costCents ?? 0 },
    events: sums('promotion-event').map((x) => ({ audience: x.key1, count: x.records, attendees: x.people })),
    caseload,
  };
}
