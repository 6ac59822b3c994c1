/**
 * What the import benchmark and its child share: a fresh ledger (the reference project registered)
 * with its command bus, the rows both paths write, and the files they are read from.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { stream } from 'exceljs';
import {
  PERSON_REGISTRY,
  RegisterProjectCommand,
  type Actor,
  type BatchItem,
  type PersonRegistry,
} from '@ihl/application';
import { parseProjectDefinition } from '@ihl/domain';
import { SqliteEventStore } from '@ihl/event-store';
import { importRowValidator, importRowValidatorModule } from '@ihl/http-api';
import { type ImportDeps } from '@ihl/imports';
import { LedgerCoreModule } from '@ihl/runtime';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { BENCH_PRIVACY, PROJECT_FILE } from './ledger-log.generator';

export const PARTNER = 'visaginas-spc';
export const PARTNER_ACTOR: Actor = { subject: 'bench-partner', role: 'partner-submitter', partnerId: PARTNER };
const TODAY = new Date('2024-06-15T10:00:00Z');

export interface BenchLedger {
  readonly code: string;
  readonly bus: CommandBus;
  readonly deps: (workDir: string) => ImportDeps;
  close(): Promise<void>;
}

export async function freshLedger(dir: string): Promise<BenchLedger> {
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), clock: () => TODAY });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    LedgerCoreModule.forRoot({
      dataDir: dir,
      eventStore: store,
      clock: { now: () => TODAY },
      readModels: false,
      privacy: BENCH_PRIVACY,
    }),
    { logger: false },
  );
  const bus = app.get(CommandBus);
  const definition = parseProjectDefinition(JSON.parse(readFileSync(PROJECT_FILE, 'utf8')));
  await bus.execute(
    new RegisterProjectCommand(definition, {
      actor: { subject: 'bench-admin', role: 'admin' },
      correlationId: 'bench',
    }),
  );
  const persons = app.get<PersonRegistry>(PERSON_REGISTRY);
  return {
    code: definition.code,
    bus,
    deps: (workDir) => ({
      commands: bus,
      validator: importRowValidator,
      validatorModule: importRowValidatorModule,
      pseudonymOf: (code) => persons.identify(code).pseudonym,
      workDir,
    }),
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

const PERSONS = Array.from({ length: 200 }, (_, i) => {
  const ten = `4${40 + (i % 50)}0${1 + Math.floor(i / 50)}01123`;
  return ten + String(personalCodeCheckDigit(ten));
});

/** Row i: one in five a home-nursing visit (a person, no profile), the rest promotion events; no two alike. */
export function benchRow(i: number): { kind: 'service-delivered' | 'promotion-event'; cells: (string | number)[] } {
  const day = `2024-0${1 + (i % 5)}-${String(1 + (i % 28)).padStart(2, '0')}`;
  if (i % 5 === 0)
    return {
      kind: 'service-delivered',
      cells: [day, 'nursing', 'elderly', 'home', 30 + (i % 90), PERSONS[i % 200]!, `nurse-${i}`],
    };
  return { kind: 'promotion-event', cells: [day, 'community', `Renginys ${i}`, 1 + (i % 50)] };
}

const HEADERS = {
  'service-delivered': ['Data', 'Paslauga', 'Tikslinė grupė', 'Vieta', 'Trukmė (min.)', 'Asmens kodas', 'Darbuotojas'],
  'promotion-event': ['Data', 'Auditorija', 'Pavadinimas', 'Lankytojų'],
};

/** The same rows as the API's batch items (the baseline sends these). */
export function benchItem(i: number): BatchItem {
  const r = benchRow(i);
  const [occurredOn] = r.cells as [string];
  if (r.kind === 'service-delivered') {
    const [, service, targetGroup, setting, durationMinutes, personalCode, workerRef] = r.cells;
    return {
      input: {
        kind: 'service-delivered',
        occurredOn,
        service: service as 'nursing',
        targetGroup: targetGroup as 'elderly',
        setting: setting as 'home',
        durationMinutes: Number(durationMinutes),
        recipient: { personalCode: String(personalCode) },
        workerRef: String(workerRef),
      },
    };
  }
  const [, audience, title, attendees] = r.cells;
  return {
    input: {
      kind: 'promotion-event',
      occurredOn,
      audience: audience as 'community',
      title: String(title),
      attendees: Number(attendees),
    },
  };
}

/** A CSV with a kind column (UTF-8, `;`, dates with points), written as a stream. */
export async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  const columns = ['Rūšis', ...HEADERS['service-delivered'], 'Auditorija', 'Pavadinimas', 'Lankytojų'];
  out.write(`${columns.join(';')}\n`);
  for (let i = 0; i < rows; i++) {
    const r = benchRow(i);
    const date = String(r.cells[0]).replace(/-/g, '.');
    const line =
      r.kind === 'service-delivered'
        ? [r.kind, date, ...r.cells.slice(1), '', '', '']
        : [r.kind, date, '', '', '', '', '', '', ...r.cells.slice(1)];
    if (!out.write(`${line.join(';')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** An XLSX with one sheet per kind, written as a stream. */
export async function writeXlsx(file: string, rows: number): Promise<void> {
  const book = new stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheets = {
    'service-delivered': book.addWorksheet('service-delivered'),
    'promotion-event': book.addWorksheet('promotion-event'),
  };
  for (const [kind, ws] of Object.entries(sheets)) ws.addRow(HEADERS[kind as keyof typeof HEADERS]).commit();
  for (let i = 0; i < rows; i++) {
    const r = benchRow(i);
    sheets[r.kind].addRow(r.cells).commit();
  }
  for (const ws of Object.values(sheets)) ws.commit();
  await book.commit();
}
