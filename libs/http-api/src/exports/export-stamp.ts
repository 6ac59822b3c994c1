import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Application, Response } from 'express';
import type { Workbook } from 'exceljs';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { ledgerStampAt, stampWorkbook, type CheckpointLookup, type LedgerStamp } from '@ihl/jobs';

const LOCALS_KEY = 'ledgerCheckpoints';

/** The store's checkpoint lookup, kept on the express app so every export helper reaches it from `res`. */
class ExportCheckpoints {
  constructor(readonly lookup: CheckpointLookup | undefined) {}
}

/**
 * Puts the store's checkpoint lookup where the export helpers find it (`res.app.locals`): the
 * exports are sent by helpers many controllers share, none of which need the store themselves.
 */
@Injectable()
export class ExportStampSetup implements OnApplicationBootstrap {
  constructor(
    private readonly adapter: HttpAdapterHost,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  onApplicationBootstrap(): void {
    const app = this.adapter.httpAdapter?.getInstance<Application>();
    if (!app?.locals) return;
    app.locals[LOCALS_KEY] = new ExportCheckpoints(this.store.checkpointAtOrBelow?.bind(this.store));
  }
}

/**
 * The stamp of an export built at `position` (null: no checkpoint signed at or below it yet); its
 * checkpoint's position is answered in `X-Ledger-Checkpoint` too.
 */
export async function exportStamp(res: Response, position: number): Promise<LedgerStamp | null> {
  const source: unknown = res.app?.locals[LOCALS_KEY];
  const stamp = await ledgerStampAt(source instanceof ExportCheckpoints ? source.lookup : undefined, position);
  if (stamp) res.setHeader('X-Ledger-Checkpoint', String(stamp.checkpoint.position));
  return stamp;
}

/** Sends a workbook built at `position` as an XLSX attachment, stamped with its checkpoint. */
export async function sendWorkbook(res: Response, name: string, book: Workbook, position: number): Promise<void> {
  stampWorkbook(book, await exportStamp(res, position));
  const body = Buffer.from(await book.xlsx.writeBuffer());
  res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`);
  res.send(body);
}
