import type { IsoDate } from '../shared/iso-date';
import { SERVICE_END_REASONS, type ServiceEndReason, type WorkerRole } from './workforce.events';
import { teamOn, type Position, type Workforce } from './workforce.state';

/** A partner's service record of the period, as the coordinator's report reads it. */
export interface CoordinatorService {
  readonly workerRef: string | null;
  /** The recipient, as any stable key (the read model's person number). */
  readonly person: string | number | null;
  readonly minutes: number;
  /** Minutes of the day; null for a record without times. */
  readonly startMinute: number | null;
  readonly endMinute: number | null;
}

export interface CoordinatorTimeRange {
  readonly from: string;
  readonly to: string;
  readonly services: number;
}

export interface CoordinatorWorkerLine {
  /** Null: the services that name no worker. */
  readonly workerRef: string | null;
  /** The worker's team at the end of the period (or on leaving), and role; null if not registered. */
  readonly teamRef: string | null;
  readonly role: WorkerRole | null;
  readonly services: number;
  readonly hours: number;
  readonly persons: number;
  /** Services with start and end times, their earliest start and latest end, and each time range worked. */
  readonly timedServices: number;
  readonly earliestStart: string | null;
  readonly latestEnd: string | null;
  readonly timeRanges: readonly CoordinatorTimeRange[];
}

/** Seed 003's coordinator report: per worker hours, time ranges and persons; endings, vacancies, newcomers. */
export interface CoordinatorReport {
  readonly partnerId: string;
  readonly period: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly workers: readonly CoordinatorWorkerLine[];
  readonly totals: { readonly services: number; readonly hours: number; readonly persons: number };
  readonly serviceEndings: readonly { readonly reason: ServiceEndReason; readonly count: number }[];
  readonly positions: {
    readonly vacated: number;
    readonly filled: number;
    readonly openAtEnd: number;
    /** Every vacancy vacated or filled in the period. */
    readonly entries: readonly Position[];
  };
  /** Persons whose first service with the partner is in the period. */
  readonly newPersons: number;
}

const hoursOf = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;
const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

function workerLine(
  workerRef: string | null,
  services: readonly CoordinatorService[],
  workforce: Workforce,
  to: IsoDate,
): CoordinatorWorkerLine {
  const w = workerRef === null ? undefined : workforce.workers.get(workerRef);
  const timed = services.filter((s) => s.startMinute !== null && s.endMinute !== null);
  const ranges = new Map<string, CoordinatorTimeRange>();
  for (const s of timed) {
    const key = `${clock(s.startMinute!)}-${clock(s.endMinute!)}`;
    const known = ranges.get(key);
    ranges.set(key, { from: clock(s.startMinute!), to: clock(s.endMinute!), services: (known?.services ?? 0) + 1 });
  }
  const persons = new Set(services.filter((s) => s.person !== null).map((s) => s.person));
  return {
    workerRef,
    teamRef: w ? teamOn(w, w.leftOn !== null && w.leftOn < to ? w.leftOn : to) : null,
    role: w?.role ?? null,
    services: services.length,
    hours: hoursOf(services.reduce((sum, s) => sum + s.minutes, 0)),
    persons: persons.size,
    timedServices: timed.length,
    earliestStart: timed.length ? clock(Math.min(...timed.map((s) => s.startMinute!))) : null,
    latestEnd: timed.length ? clock(Math.max(...timed.map((s) => s.endMinute!))) : null,
    timeRanges: [...ranges.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r),
  };
}

/** Workers of the partner employed at some day of the period, in reference order, with or without services. */
function employedIn(workforce: Workforce, from: IsoDate, to: IsoDate): string[] {
  return [...workforce.workers.values()]
    .filter((w) => w.startedOn <= to && (w.leftOn === null || w.leftOn >= from))
    .map((w) => w.workerRef);
}

/** The coordinator's report of a partner for a period, from its services there and its workforce stream. */
export function coordinatorReport(input: {
  readonly partnerId: string;
  readonly period: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly services: readonly CoordinatorService[];
  readonly workforce: Workforce;
  readonly newPersons: number;
}): CoordinatorReport {
  const { from, to, services, workforce } = input;
  const byWorker = new Map<string | null, CoordinatorService[]>();
  for (const ref of employedIn(workforce, from, to)) byWorker.set(ref, []);
  for (const s of services) byWorker.set(s.workerRef, [...(byWorker.get(s.workerRef) ?? []), s]);
  const refs = [...byWorker.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  const inPeriod = (day: IsoDate | null) => day !== null && day >= from && day <= to;
  const entries = workforce.positions.filter((p) => inPeriod(p.vacatedOn) || inPeriod(p.filledOn));
  return {
    partnerId: input.partnerId,
    period: input.period,
    from,
    to,
    workers: refs.map((ref) => workerLine(ref, byWorker.get(ref)!, workforce, to)),
    totals: {
      services: services.length,
      hours: hoursOf(services.reduce((sum, s) => sum + s.minutes, 0)),
      persons: new Set(services.filter((s) => s.person !== null).map((s) => s.person)).size,
    },
    serviceEndings: SERVICE_END_REASONS.map((reason) => ({
      reason,
      count: workforce.endings.filter((e) => e.reason === reason && inPeriod(e.endedOn)).length,
    })),
    positions: {
      vacated: workforce.positions.filter((p) => inPeriod(p.vacatedOn)).length,
      filled: workforce.positions.filter((p) => inPeriod(p.filledOn)).length,
      openAtEnd: workforce.positions.filter((p) => p.vacatedOn <= to && (p.filledOn === null || p.filledOn > to))
        .length,
      entries,
    },
    newPersons: input.newPersons,
  };
}
