import { coordinatorReport, type CoordinatorService } from './coordinator-report';
import type { WorkforceEvent } from './workforce.events';
import { foldWorkforce } from './workforce.state';

const P = 'p-a';
const given: WorkforceEvent[] = [
  {
    type: 'WorkerRegistered',
    data: { partnerId: P, workerRef: 'W-1', teamRef: 'T-1', role: 'assistant', startedOn: '2024-01-02' },
  },
  {
    type: 'WorkerRegistered',
    data: { partnerId: P, workerRef: 'W-2', teamRef: 'T-1', role: 'nurse', startedOn: '2024-01-02' },
  },
  {
    type: 'WorkerRegistered',
    data: { partnerId: P, workerRef: 'W-OLD', teamRef: 'T-1', role: 'nurse', startedOn: '2023-01-02' },
  },
  { type: 'WorkerLeft', data: { partnerId: P, workerRef: 'W-OLD', leftOn: '2024-03-31' } },
  { type: 'WorkerAssigned', data: { partnerId: P, workerRef: 'W-2', teamRef: 'T-2', assignedOn: '2024-05-01' } },
  {
    type: 'PositionVacated',
    data: { partnerId: P, positionRef: 'P-1', teamRef: 'T-1', role: 'nurse', vacatedOn: '2024-03-31' },
  },
  { type: 'PositionFilled', data: { partnerId: P, positionRef: 'P-1', workerRef: 'W-2', filledOn: '2024-04-15' } },
  {
    type: 'PositionVacated',
    data: { partnerId: P, positionRef: 'P-2', teamRef: 'T-2', role: 'assistant', vacatedOn: '2024-06-20' },
  },
  {
    type: 'ServiceEnded',
    data: { partnerId: P, recipient: { pseudonym: 'x', keyVersion: 1 }, endedOn: '2024-05-02', reason: 'died' },
  },
  {
    type: 'ServiceEnded',
    data: { partnerId: P, recipient: { pseudonym: 'y', keyVersion: 1 }, endedOn: '2024-03-02', reason: 'died' },
  },
];
const svc = (workerRef: string | null, person: number, minutes: number, start?: number): CoordinatorService => ({
  workerRef,
  person,
  minutes,
  startMinute: start ?? null,
  endMinute: start === undefined ? null : start + minutes,
});

describe('coordinator report', () => {
  it('given a quarter of services and the workforce stream, then per worker hours, ranges, persons; endings, vacancies', () => {
    const services = [
      svc('W-1', 1, 90, 8 * 60),
      svc('W-1', 2, 90, 8 * 60),
      svc('W-1', 1, 30, 14 * 60),
      svc('W-2', 3, 45),
      svc(null, 4, 60),
    ];
    const r = coordinatorReport({
      partnerId: P,
      period: '2024-Q2',
      from: '2024-04-01',
      to: '2024-06-30',
      services,
      workforce: foldWorkforce(given),
      newPersons: 2,
    });
    expect(r.workers).toEqual([
      {
        workerRef: 'W-1',
        teamRef: 'T-1',
        role: 'assistant',
        services: 3,
        hours: 3.5,
        persons: 2,
        timedServices: 3,
        earliestStart: '08:00',
        latestEnd: '14:30',
        timeRanges: [
          { from: '08:00', to: '09:30', services: 2 },
          { from: '14:00', to: '14:30', services: 1 },
        ],
      },
      {
        workerRef: 'W-2',
        teamRef: 'T-2',
        role: 'nurse',
        services: 1,
        hours: 0.75,
        persons: 1,
        timedServices: 0,
        earliestStart: null,
        latestEnd: null,
        timeRanges: [],
      },
      {
        workerRef: null,
        teamRef: null,
        role: null,
        services: 1,
        hours: 1,
        persons: 1,
        timedServices: 0,
        earliestStart: null,
        latestEnd: null,
        timeRanges: [],
      },
    ]);
    expect(r.totals).toEqual({ services: 5, hours: 5.25, persons: 4 });
    expect(r.serviceEndings.filter((e) => e.count > 0)).toEqual([{ reason: 'died', count: 1 }]);
    expect(r.serviceEndings).toHaveLength(6);
    expect([r.positions.vacated, r.positions.filled, r.positions.openAtEnd]).toEqual([1, 1, 1]);
    expect(r.positions.entries.map((p) => p.positionRef)).toEqual(['P-1', 'P-2']);
    expect(r.newPersons).toBe(2);
  });

  it('a worker who left before the quarter is not listed; one employed without services is, with zeros', () => {
    const r = coordinatorReport({
      partnerId: P,
      period: '2024-Q2',
      from: '2024-04-01',
      to: '2024-06-30',
      services: [],
      workforce: foldWorkforce(given),
      newPersons: 0,
    });
    expect(r.workers.map((w) => [w.workerRef, w.services])).toEqual([
      ['W-1', 0],
      ['W-2', 0],
    ]);
    const q1 = coordinatorReport({
      partnerId: P,
      period: '2024-Q1',
      from: '2024-01-01',
      to: '2024-03-31',
      services: [],
      workforce: foldWorkforce(given),
      newPersons: 0,
    });
    expect(q1.workers.map((w) => w.workerRef)).toEqual(['W-1', 'W-2', 'W-OLD']);
    expect([q1.positions.vacated, q1.positions.filled, q1.positions.openAtEnd]).toEqual([1, 0, 1]);
  });
});
