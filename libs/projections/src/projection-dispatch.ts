import type Database from 'better-sqlite3';
import type { StoredEvent, UpcasterRegistry } from '@ihl/event-store';
import type { BulkTables } from './bulk-tables';
import type { AnyEvent } from './ledger-events';
import type { BulkProjection, Projection } from './projection';
import { RecordIndex } from './record-index';
import { StatementCache, type Sql } from './statement-cache';
import { VersionLog } from './version-log';
import { WRITE_POSITION } from './versioned-tables';

/** A projection with the context the runner hands it; `batch` is replaced when a batch is written. */
interface Slot {
  readonly projection: Projection;
  readonly context: { readonly db: Sql; batch: unknown };
  /** The batch has been created since the last commit or discard. */
  open: boolean;
  /** Its state in the bulk rebuild under way, if it keeps one (`Projection.bulk`): it then takes the events. */
  bulk: BulkProjection | null;
}

/**
 * Hands each event to the projections as the runner applies it: upcast to the latest shape, first
 * to the shared `records` table, then the record change to the projections that take record changes
 * and the event to those that handle its type. Owns the projections' batches: created on first use
 * in a batch, written by `commit`, dropped by `discard` (a rolled-back transaction).
 */
export class ProjectionDispatch {
  readonly records: RecordIndex;
  /** The runner's connection, each statement prepared once. */
  readonly sql: StatementCache;
  /** The writes of the transaction, made versions at its end. */
  readonly versions: VersionLog;
  private readonly slots: readonly Slot[];
  private readonly byType = new Map<string, Slot[]>();
  private readonly everyEvent: Slot[];
  private readonly recordSlots: Slot[];
  /** In a bulk rebuild, those whose state takes every event of a record. */
  private bulkRecordSlots: Slot[] = [];
  /** Event types that erase personal data (see Projection.erasures). */
  private readonly erasures: ReadonlySet<string>;
  /** A bulk rebuild's in-memory tables, for the projections that keep a state there (`Projection.bulk`). */
  private bulkTables: BulkTables | null = null;

  constructor(
    db: Database.Database,
    projections: readonly Projection[],
    private readonly upcasters?: UpcasterRegistry,
    /**
     * The read models keep their history (as-of-tables.ts): each event's position is stored for the
     * triggers, and each event's batch is written at once, so the versions of the rows it moves
     * start at its own position and a figure as of any position is exact.
     */
    private readonly versioned = false,
  ) {
    const sql = (this.sql = new StatementCache(db));
    this.records = new RecordIndex(sql);
    this.versions = new VersionLog(sql);
    this.slots = projections.map((projection) => ({
      projection,
      context: { db: sql, batch: undefined },
      open: false,
      bulk: null,
    }));
    this.everyEvent = this.slots.filter((s) => s.projection.handles === 'all');
    this.recordSlots = this.slots.filter((s) => s.projection.evolveRecord);
    for (const slot of this.slots) {
      const { handles } = slot.projection;
      if (handles === 'all') continue;
      for (const type of handles) {
        let slots = this.byType.get(type);
        if (!slots) this.byType.set(type, (slots = []));
        slots.push(slot);
      }
    }
    this.erasures = new Set(projections.flatMap((p) => p.erasures ?? []));
  }

  /**
   * In a bulk rebuild, the tables the projections that can keep their state there write to, each
   * one's state created afresh; null after it (the states are dropped).
   */
  writeInMemory(tables: BulkTables | null): void {
    this.bulkTables = tables;
    if (tables) tables.codeOf = (text) => this.records.codeOf(text);
    for (const slot of this.slots) slot.bulk = (tables && slot.projection.bulk?.(tables)) ?? null;
    this.bulkRecordSlots = this.slots.filter((s) => s.bulk?.evolveRecord);
  }

  /** Applies one event; true when its type erases personal data. */
  apply(stored: StoredEvent): boolean {
    if (this.versioned) this.sql.prepare(WRITE_POSITION.update).run(stored.position);
    this.bulkTables?.advance(stored.position);
    const event = this.upcast(stored);
    const change = this.records.change(event);
    if (change) for (const slot of this.bulkRecordSlots) slot.bulk!.evolveRecord!(change, this.sql);
    if (change && change.before !== change.after)
      for (const slot of this.recordSlots) {
        if (slot.bulk) continue;
        this.open(slot);
        slot.projection.evolveRecord!(change, slot.context);
        this.writeIfFull(slot);
      }
    const handlers = this.byType.get(event.type);
    if (handlers) for (const slot of handlers) this.evolve(slot, event);
    for (const slot of this.everyEvent) this.evolve(slot, event);
    if (this.versioned) this.writeBatches();
    return this.erasures.has(event.type);
  }

  /** Writes the records held back (a bulk replay's) and the versions before a commit of its transaction. */
  writeRecords(): void {
    this.records.writePending();
    this.versions.flush();
    this.bulkTables?.flush();
  }

  /** The end of a bulk rebuild, before its tables write their final rows: what the states still hold. */
  finishBulk(): void {
    for (const slot of this.slots) slot.bulk?.finish?.(this.sql);
  }

  /** Writes the records held back, every open batch and the versions: the end of a batch's transaction. */
  commit(): void {
    this.writeBatches();
    this.versions.flush();
  }

  private writeBatches(): void {
    this.records.writePending();
    for (const slot of this.slots) if (slot.open) this.write(slot);
  }

  /** Forgets the batches and the records' cached numbers (their transaction was rolled back). */
  discard(): void {
    this.records.discard();
    for (const slot of this.slots) {
      slot.open = false;
      slot.context.batch = undefined;
    }
  }

  /** The event in its type's latest shape: the stored one itself when it already is. */
  private upcast(e: StoredEvent): AnyEvent {
    if (!this.upcasters || this.upcasters.latestVersion(e.type) === e.schemaVersion) return e;
    const { type, data } = this.upcasters.upcast(e);
    return {
      position: e.position,
      streamId: e.streamId,
      revision: e.revision,
      eventId: e.eventId,
      metadata: e.metadata,
      recordedAt: e.recordedAt,
      type,
      data,
    };
  }

  private evolve(slot: Slot, event: AnyEvent): void {
    if (slot.bulk) return slot.bulk.evolve?.(event, this.sql);
    if (!slot.projection.evolve) return;
    this.open(slot);
    slot.projection.evolve(event, slot.context);
    this.writeIfFull(slot);
  }

  private open(slot: Slot): void {
    if (slot.open) return;
    slot.context.batch = slot.projection.createBatch?.();
    slot.open = true;
  }

  private writeIfFull(slot: Slot): void {
    if (slot.projection.isFull?.(slot.context.batch)) this.write(slot);
  }

  private write(slot: Slot): void {
    slot.open = false;
    const batch = slot.context.batch;
    slot.context.batch = undefined;
    slot.projection.commit?.(batch, this.sql);
  }
}
