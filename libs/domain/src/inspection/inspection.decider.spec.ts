import { conflict, deciderSpec, forbidden, invalid } from '@ihl/testing';
import type { ActivityActor } from '../activity/activity.state';
import { DomainNotFoundError } from '../shared/validation';
import { decideInspection, type InspectionCommand, type InspectionContext } from './inspection.decider';
import type { InspectionEvent } from './inspection.events';
import { evolveInspection, foldInspection, initialInspectionState, isFindingOverdue } from './inspection.state';

const auditor: ActivityActor = { role: 'agency-auditor' };
const visaginas: ActivityActor = { role: 'partner-submitter', partnerId: 'visaginas-spc' };
const zarasai: ActivityActor = { role: 'partner-submitter', partnerId: 'zarasai-spc' };
const ctx: InspectionContext = {
  projectStart: '2022-12-08',
  projectEnd: '2026-12-31',
  today: '2024-07-10',
  partnerIds: ['visaginas-spc', 'zarasai-spc'],
};

type Cmd<T extends InspectionCommand['type']> = Extract<InspectionCommand, { type: T }>;
const inspect = (over: Partial<Cmd<'RecordInspection'>> = {}): InspectionCommand => ({
  type: 'RecordInspection',
  inspectionId: 'i-1',
  projectCode: 'IHL-2023',
  partnerId: 'visaginas-spc',
  kind: 'planned',
  scope: 'Integrali pagalba namuose, Visagino mobilioji komanda',
  standards: ['equass-rights', 'ref:SADM-A1-93'],
  startedOn: '2024-05-02',
  endedOn: '2024-05-03',
  inspectorRefs: ['INSP-07'],
  ...over,
});
const { type: _i, ...inspectedData } = inspect() as Cmd<'RecordInspection'>;
const inspected: InspectionEvent = { type: 'InspectionRecorded', data: inspectedData };

const find = (over: Partial<Cmd<'RecordFinding'>> = {}): InspectionCommand => ({
  type: 'RecordFinding',
  findingId: 'f-1',
  standard: 'equass-rights',
  severity: 'major',
  description: 'Paslaugų gavėjų sutikimai nepasirašyti',
  dueOn: '2024-06-30',
  ...over,
});
const found: InspectionEvent = {
  type: 'FindingRecorded',
  data: {
    inspectionId: 'i-1',
    findingId: 'f-1',
    standard: 'equass-rights',
    severity: 'major',
    description: 'Paslaugų gavėjų sutikimai nepasirašyti',
    dueOn: '2024-06-30',
  },
};
const respond: InspectionCommand = {
  type: 'RespondToFinding',
  findingId: 'f-1',
  response: 'Sutikimai surinkti ir pridėti',
  evidenceRefs: ['EV-2024-118'],
  respondedOn: '2024-06-20',
};
const responded: InspectionEvent = {
  type: 'FindingResponded',
  data: {
    inspectionId: 'i-1',
    findingId: 'f-1',
    response: 'Sutikimai surinkti ir pridėti',
    evidenceRefs: ['EV-2024-118'],
    respondedOn: '2024-06-20',
  },
};
const resolve: InspectionCommand = { type: 'ResolveFinding', findingId: 'f-1', resolvedOn: '2024-07-01' };
const resolved: InspectionEvent = {
  type: 'FindingResolved',
  data: { inspectionId: 'i-1', findingId: 'f-1', resolvedOn: '2024-07-01' },
};
const escalate: InspectionCommand = {
  type: 'EscalateFinding',
  findingId: 'f-1',
  escalatedOn: '2024-07-05',
  reason: 'Terminas praleistas',
};

const { given } = deciderSpec({
  decide: (state, command: InspectionCommand, actor: ActivityActor = auditor) =>
    decideInspection(state, command, actor, ctx),
  evolve: evolveInspection,
  initialState: initialInspectionState,
});

describe('inspection decider', () => {
  it('given none, when the auditor records an inspection, then InspectionRecorded; the same again changes nothing, another body conflicts', () => {
    given([]).when(inspect()).then([inspected]);
    given([inspected]).when(inspect()).then([]);
    given([inspected])
      .when(inspect({ kind: 'unplanned' }))
      .thenThrows(conflict('inspection-exists'));
  });

  it('refuses an unknown partner, an unlisted standard, dates outside the project or in disorder, a named inspector, and partners', () => {
    given([])
      .when(inspect({ partnerId: 'nowhere' }))
      .thenThrows(invalid('partnerId', 'registered-partner'));
    given([])
      .when(inspect({ standards: ['good enough'] }))
      .thenThrows(invalid('standards[0]', 'standard'));
    given([])
      .when(inspect({ startedOn: '2022-12-07', endedOn: '2022-12-08' }))
      .thenThrows(invalid('startedOn', 'within-project-period'));
    given([])
      .when(inspect({ endedOn: '2024-07-11' }))
      .thenThrows(invalid('endedOn', 'within-range'));
    given([])
      .when(inspect({ endedOn: '2024-05-01' }))
      .thenThrows(invalid('endedOn', 'in-order'));
    given([])
      .when(inspect({ inspectorRefs: ['Jonas Jonaitis'] }))
      .thenThrows(invalid('inspectorRefs[0]', 'reference'));
    given([]).when(inspect(), visaginas).thenThrows(forbidden('agency-only'));
  });

  it('given an inspection, the auditor records a finding on a checked standard, due on or after the inspection and inside the project', () => {
    given([inspected]).when(find()).then([found]);
    given([inspected, found]).when(find()).then([]);
    given([inspected, found])
      .when(find({ severity: 'critical' }))
      .thenThrows(conflict('finding-exists'));
    given([inspected])
      .when(find({ dueOn: '2024-05-01' }))
      .thenThrows(invalid('dueOn', 'not-before-inspection'));
    given([inspected])
      .when(find({ dueOn: '2027-01-01' }))
      .thenThrows(invalid('dueOn', 'within-range'));
    given([inspected])
      .when(find({ standard: 'staff-qualification' }))
      .thenThrows(invalid('standard', 'checked-standard'));
    given([inspected])
      .when(find({ severity: 'huge' as 'minor' }))
      .thenThrows(invalid('severity', 'one-of'));
    given([inspected]).when(find(), visaginas).thenThrows(forbidden('agency-only'));
    given([]).when(find()).thenThrows(DomainNotFoundError);
  });

  it('only the inspected partner responds; another partner finds no such inspection, the agency is refused', () => {
    given([inspected, found]).when(respond, visaginas).then([responded]);
    given([inspected, found]).when(respond, zarasai).thenThrows(DomainNotFoundError);
    given([inspected, found]).when(respond).thenThrows(forbidden('partner-only'));
    given([inspected]).when(respond, visaginas).thenThrows(DomainNotFoundError);
    given([inspected, found])
      .when({ ...respond, respondedOn: '2024-04-30' } as InspectionCommand, visaginas)
      .thenThrows(invalid('respondedOn', 'not-before-inspection'));
  });

  it('a finding is resolved once; after that it takes no response, resolution nor escalation', () => {
    given([inspected, found, responded]).when(resolve).then([resolved]);
    given([inspected, found, resolved]).when(resolve).thenThrows(conflict('finding-resolved'));
    given([inspected, found, resolved]).when(respond, visaginas).thenThrows(conflict('finding-resolved'));
    given([inspected, found, resolved]).when(escalate).thenThrows(conflict('finding-resolved'));
    given([inspected, found]).when(resolve, visaginas).thenThrows(forbidden('agency-only'));
  });

  it('an open finding is escalated once, with a reason, and can still be resolved afterwards', () => {
    const escalated = given([inspected, found]).when(escalate).events();
    expect(escalated).toEqual([
      {
        type: 'FindingEscalated',
        data: { inspectionId: 'i-1', findingId: 'f-1', escalatedOn: '2024-07-05', reason: 'Terminas praleistas' },
      },
    ]);
    given([inspected, found, ...escalated])
      .when(escalate)
      .thenThrows(conflict('finding-escalated'));
    given([inspected, found])
      .when({ ...escalate, reason: 'no' } as InspectionCommand)
      .thenThrows(invalid('reason', 'reason'));
    given([inspected, found, ...escalated])
      .when(resolve)
      .then([resolved]);
  });

  it('the fold keeps the history of a finding and says when it is overdue', () => {
    const state = foldInspection([inspected, found, responded]);
    const finding = state?.findings.get('f-1');
    expect(finding?.responses).toEqual([
      { response: 'Sutikimai surinkti ir pridėti', evidenceRefs: ['EV-2024-118'], respondedOn: '2024-06-20' },
    ]);
    // Due 2024-06-30: not overdue that day, overdue the next, never once resolved.
    expect(finding && isFindingOverdue(finding, '2024-06-30')).toBe(false);
    expect(finding && isFindingOverdue(finding, '2024-07-01')).toBe(true);
    const after = foldInspection([inspected, found, resolved])?.findings.get('f-1');
    expect(after && isFindingOverdue(after, '2024-07-10')).toBe(false);
  });
});
