import {
  checkFactsProjection,
  checkedProjects,
  lastSubmissions,
  openFindings,
  pendingRecords,
} from './check-facts.projection';
import { projectionHarness } from './projection-harness';

describe('check facts projection', () => {
  it('keeps the records waiting for a review, each partner’s latest submission and the projects', () => {
    const { db, apply } = projectionHarness([checkFactsProjection]);
    apply('project-P', 'ProjectRegistered', { definition: { code: 'P' } });
    const fields = { kind: 'training-held', occurredOn: '2024-05-01' };
    apply('activity-a1', 'TrainingHeld', { activityId: 'a1', partnerId: 'x', projectCode: 'P', fields });
    apply('activity-a2', 'TrainingHeld', { activityId: 'a2', partnerId: 'x', projectCode: 'P', fields });
    apply('activity-a3', 'TrainingHeld', { activityId: 'a3', partnerId: 'y', projectCode: 'P', fields });
    apply('expenditure-e1', 'ExpenditureDeclared', {
      expenditureId: 'e1',
      partnerId: 'y',
      projectCode: 'P',
      fields: {},
    });
    apply('expenditure-e2', 'ExpenditureDeclared', {
      expenditureId: 'e2',
      partnerId: 'y',
      projectCode: 'Q',
      fields: {},
    });
    apply('activity-a1', 'ActivityVerified', { activityId: 'a1', partnerId: 'x' });
    apply('activity-a2', 'ActivityCorrected', {
      activityId: 'a2',
      partnerId: 'x',
      fields,
      previous: fields,
      reason: 'r',
    });
    apply('activity-a3', 'ActivityRejected', { activityId: 'a3', partnerId: 'y', reason: 'r' });
    apply('expenditure-e1', 'ExpenditureVoided', { expenditureId: 'e1', partnerId: 'y', reason: 'r' });
    // Reviewed, then corrected: it waits for a review again.
    apply('activity-a3', 'ActivityCorrected', {
      activityId: 'a3',
      partnerId: 'y',
      fields,
      previous: fields,
      reason: 'r',
    });
    apply('activity-a1', 'ActivityVoided', { activityId: 'a1', partnerId: 'x', reason: 'r' });
    const at = '2024-06-15T10:00:00Z';
    expect(pendingRecords(db, 'P')).toEqual([
      { recordId: 'a2', partnerId: 'x', kind: 'training-held', recordedAt: at },
      { recordId: 'a3', partnerId: 'y', kind: 'training-held', recordedAt: at },
    ]);
    expect(pendingRecords(db, 'Q')).toEqual([{ recordId: 'e2', partnerId: 'y', kind: 'expenditure', recordedAt: at }]);
    expect(lastSubmissions(db, 'P')).toEqual(
      new Map([
        ['x', at],
        ['y', at],
      ]),
    );
    expect(checkedProjects(db)).toEqual(['P']);
  });

  it('keeps the open inspection findings of each project with their partner, until resolved', () => {
    const { db, apply } = projectionHarness([checkFactsProjection]);
    const inspection = (inspectionId: string, projectCode: string, partnerId: string) =>
      apply(`inspection-${inspectionId}`, 'InspectionRecorded', { inspectionId, projectCode, partnerId });
    const finding = (inspectionId: string, findingId: string, dueOn: string) =>
      apply(`inspection-${inspectionId}`, 'FindingRecorded', { inspectionId, findingId, severity: 'minor', dueOn });
    inspection('i1', 'P', 'x');
    inspection('i2', 'Q', 'y');
    finding('i1', 'f1', '2024-06-30');
    finding('i1', 'f2', '2024-06-10');
    finding('i2', 'f1', '2024-06-01');
    apply('inspection-i1', 'FindingResolved', { inspectionId: 'i1', findingId: 'f1', resolvedOn: '2024-06-12' });
    expect(openFindings(db, 'P')).toEqual([
      { inspectionId: 'i1', findingId: 'f2', partnerId: 'x', severity: 'minor', dueOn: '2024-06-10' },
    ]);
    expect(openFindings(db, 'Q').map((f) => f.partnerId)).toEqual(['y']);
  });
});
