import { conflict, deciderSpec, forbidden, invalid } from '@ihl/testing';
import type { ActivityActor } from '../activity/activity.state';
import { DomainNotFoundError } from '../shared/validation';
import {
  decideDeliverable,
  evolveDeliverable,
  initialDeliverableState,
  type DeliverableCommand,
  type DeliverableContext,
} from './deliverable.decider';
import type { DeliverableEvent } from './deliverable.events';

const visaginas: ActivityActor = { role: 'partner-submitter', partnerId: 'visaginas-spc' };
const utena: ActivityActor = { role: 'partner-submitter', partnerId: 'utena-spc' };
const finance: ActivityActor = { role: 'finance-officer' };
const ctx: DeliverableContext = {
  lumpSums: [{ id: 'care-plan', partnerId: 'visaginas-spc' }],
  projectStart: '2022-12-08',
  today: '2024-07-10',
};
const submit = (
  over: Partial<Extract<DeliverableCommand, { type: 'RecordDeliverable' }>> = {},
): DeliverableCommand => ({
  type: 'RecordDeliverable',
  lumpSumId: 'care-plan',
  achievedOn: '2024-06-30',
  evidenceIds: ['ev-1'],
  note: null,
  ...over,
});
const achieved: DeliverableEvent = {
  type: 'DeliverableAchieved',
  data: {
    lumpSumId: 'care-plan',
    partnerId: 'visaginas-spc',
    achievedOn: '2024-06-30',
    evidenceIds: ['ev-1'],
    note: null,
  },
};
const accept: DeliverableCommand = { type: 'VerifyDeliverable', lumpSumId: 'care-plan', accepted: true };
const reject = (reason?: string): DeliverableCommand => ({
  type: 'VerifyDeliverable',
  lumpSumId: 'care-plan',
  accepted: false,
  ...(reason === undefined ? {} : { reason }),
});
const accepted: DeliverableEvent = { type: 'DeliverableAccepted', data: { lumpSumId: 'care-plan' } };
const rejected: DeliverableEvent = {
  type: 'DeliverableRejected',
  data: { lumpSumId: 'care-plan', reason: 'no minutes' },
};

const { given } = deciderSpec({
  decide: (state, command: DeliverableCommand, actor: ActivityActor = visaginas) =>
    decideDeliverable(state, command, actor, ctx),
  evolve: evolveDeliverable,
  initialState: initialDeliverableState,
});

describe('deliverable decider (lump sums)', () => {
  it('given none, when the partner records its deliverable, then DeliverableAchieved; the same again changes nothing', () => {
    given([]).when(submit()).then([achieved]);
    given([achieved]).when(submit()).then([]);
    given([achieved])
      .when(submit({ note: 'other' }))
      .thenThrows(conflict('pending-verification'));
  });
  it("refuses another partner's or an unknown lump sum, a date outside the project, no evidence, and finance recording", () => {
    given([]).when(submit(), utena).thenThrows(invalid('lumpSumId', 'own-lump-sum'));
    given([])
      .when(submit({ lumpSumId: 'nothing' }))
      .thenThrows(invalid('lumpSumId', 'own-lump-sum'));
    given([])
      .when(submit({ achievedOn: '2024-07-11' }))
      .thenThrows(invalid('achievedOn', 'within-project'));
    given([])
      .when(submit({ evidenceIds: [], note: '  ' }))
      .thenThrows(invalid('evidenceIds', 'evidence-or-note'));
    given([])
      .when(submit({ evidenceIds: [], note: 'signed minutes at the office' }))
      .then([{ ...achieved, data: { ...achieved.data, evidenceIds: [], note: 'signed minutes at the office' } }]);
    given([]).when(submit(), finance).thenThrows(forbidden('partner-only'));
  });
  it('finance accepts a pending deliverable once: the whole lump sum, never twice', () => {
    given([achieved]).when(accept, finance).then([accepted]);
    given([achieved, accepted]).when(accept, finance).then([]);
    given([achieved, accepted]).when(submit()).thenThrows(conflict('already-accepted'));
    given([achieved, accepted]).when(reject('late'), finance).thenThrows(conflict('not-pending'));
    given([achieved]).when(accept).thenThrows(forbidden('finance-only'));
    given([]).when(accept, finance).thenThrows(DomainNotFoundError);
  });
  it('a rejection needs a reason; after it the partner may submit again', () => {
    given([achieved]).when(reject(), finance).thenThrows(invalid('reason', 'required'));
    given([achieved]).when(reject('no minutes'), finance).then([rejected]);
    given([achieved, rejected]).when(accept, finance).thenThrows(conflict('not-pending'));
    given([achieved, rejected]).when(submit()).then([achieved]);
  });
});
