import { DomainConflictError, DomainNotFoundError, DomainValidationError } from '../shared/validation';
import type { ActivityActor } from '../activity/activity.state';
import { decideWorkforce, type WorkforceCommand, type WorkforceContext } from './workforce.decider';
import type { WorkforceEvent } from './workforce.events';
import { foldWorkforce, teamOn } from './workforce.state';

const ctx: WorkforceContext = {
  partnerId: 'p-a',
  projectStart: '2024-01-01',
  projectEnd: '2025-12-31',
  today: '2024-06-30',
};
const partner: ActivityActor = { role: 'partner-submitter', partnerId: 'p-a' };
const PERSON = { pseudonym: 'ps-1', keyVersion: 1 };

/** Given the events, when the command is decided, then the new events (or the error). */
function when(given: readonly WorkforceEvent[], cmd: WorkforceCommand, actor = partner): WorkforceEvent[] {
  return decideWorkforce(foldWorkforce(given), cmd, actor, ctx);
}
const issues = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainValidationError) return e.issues.map((i) => `${i.field}:${i.rule}`);
    throw e;
  }
  throw new Error('no validation error');
};

const registered: WorkforceEvent = {
  type: 'WorkerRegistered',
  data: { partnerId: 'p-a', workerRef: 'W-1', teamRef: 'T-north', role: 'assistant', startedOn: '2024-02-01' },
};
const register: WorkforceCommand = {
  type: 'RegisterWorker',
  workerRef: 'W-1',
  teamRef: 'T-north',
  role: 'assistant',
  startedOn: '2024-02-01',
};

describe('workforce decider', () => {
  it('registers a worker once; the same again changes nothing, other values are a conflict', () => {
    expect(when([], register)).toEqual([registered]);
    expect(when([registered], register)).toEqual([]);
    expect(() => when([registered], { ...register, teamRef: 'T-south' })).toThrow(DomainConflictError);
  });

  it('refuses a name-like reference, an unknown role and a day after today, naming each field', () => {
    const bad = { ...register, workerRef: 'Jonas Jonaitis', role: 'boss', startedOn: '2024-07-01' } as never;
    expect(issues(() => when([], bad))).toEqual(['workerRef:reference', 'role:one-of', 'startedOn:not-in-future']);
  });

  it('only the partner itself records: another partner finds nothing, the agency is refused', () => {
    expect(() => when([], register, { role: 'partner-submitter', partnerId: 'p-b' })).toThrow(DomainNotFoundError);
    expect(() => when([], register, { role: 'agency-auditor' })).toThrow('only the partner');
  });

  it('moves a worker to another team from a day on, and records the day they left', () => {
    const moved = when([registered], {
      type: 'AssignWorker',
      workerRef: 'W-1',
      teamRef: 'T-south',
      assignedOn: '2024-04-01',
    });
    const left = when([registered, ...moved], { type: 'RecordWorkerLeft', workerRef: 'W-1', leftOn: '2024-05-31' });
    const state = foldWorkforce([registered, ...moved, ...left]);
    const w = state.workers.get('W-1')!;
    expect([teamOn(w, '2024-03-31'), teamOn(w, '2024-04-01'), w.leftOn]).toEqual(['T-north', 'T-south', '2024-05-31']);
    expect(() =>
      when([registered, ...moved, ...left], { type: 'RecordWorkerLeft', workerRef: 'W-1', leftOn: '2024-06-01' }),
    ).toThrow('left on 2024-05-31');
    expect(
      issues(() => when([registered], { type: 'RecordWorkerLeft', workerRef: 'W-1', leftOn: '2024-01-15' })),
    ).toEqual(['leftOn:in-order']);
  });

  it('a position is vacated, then filled by a registered worker on or after that day; filled twice is a conflict', () => {
    const vacate: WorkforceCommand = {
      type: 'VacatePosition',
      positionRef: 'P-7',
      teamRef: 'T-north',
      role: 'assistant',
      vacatedOn: '2024-03-01',
    };
    const vacated = when([registered], vacate);
    expect(() => when([registered, ...vacated], vacate)).toThrow(DomainConflictError);
    const fill: WorkforceCommand = {
      type: 'FillPosition',
      positionRef: 'P-7',
      workerRef: 'W-2',
      filledOn: '2024-02-15',
    };
    expect(issues(() => when([registered, ...vacated], fill))).toEqual([
      'workerRef:registered-worker',
      'filledOn:in-order',
    ]);
    const filled = when([registered, ...vacated], { ...fill, workerRef: 'W-1', filledOn: '2024-03-20' });
    expect(foldWorkforce([registered, ...vacated, ...filled]).positions).toEqual([
      {
        positionRef: 'P-7',
        teamRef: 'T-north',
        role: 'assistant',
        vacatedOn: '2024-03-01',
        filledOn: '2024-03-20',
        workerRef: 'W-1',
      },
    ]);
    expect(() => when([registered, ...vacated, ...filled], fill)).toThrow('is not vacant');
  });

  it("ends a person's service with a listed reason; other needs a note", () => {
    const end: WorkforceCommand = {
      type: 'EndService',
      recipient: PERSON,
      endedOn: '2024-05-10',
      reason: 'moved-away',
    };
    expect(when([], end)).toEqual([
      {
        type: 'ServiceEnded',
        data: { partnerId: 'p-a', recipient: PERSON, endedOn: '2024-05-10', reason: 'moved-away' },
      },
    ]);
    expect(issues(() => when([], { ...end, reason: 'other' }))).toEqual(['note:required-for-other']);
    expect(issues(() => when([], { ...end, reason: 'bored' as never }))).toEqual(['reason:one-of']);
    const ended = when([], end);
    expect(when(ended, end)).toEqual([]);
    expect(() => when(ended, { ...end, reason: 'died' })).toThrow(DomainConflictError);
  });
});
