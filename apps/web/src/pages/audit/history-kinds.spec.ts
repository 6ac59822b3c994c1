import { alertRecord, historyApiPath, historyKindOf, recordOfStream } from './history-kinds';

const ID = '7b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

describe('history kinds: which streams have a history page, and the route that answers it', () => {
  it('knows each record stream of the audit trail by its prefix', () => {
    expect(recordOfStream(`activity-${ID}`)).toEqual({ kind: 'activity', id: ID });
    expect(recordOfStream(`expenditure-${ID}`)).toEqual({ kind: 'expenditure', id: ID });
    expect(recordOfStream(`certificate-${ID}`)).toEqual({ kind: 'certificate', id: ID });
    expect(recordOfStream(`survey-${ID}`)).toEqual({ kind: 'survey', id: ID });
    expect(recordOfStream(`inspection-${ID}`)).toEqual({ kind: 'inspection', id: ID });
    expect(recordOfStream('workforce-07-003-P-0001.visaginas-spc')).toEqual({ kind: 'workforce', id: 'visaginas-spc' });
    expect(recordOfStream('project-07-003-P-0001')).toBeNull();
    expect(recordOfStream('certificate-not-a-uuid')).toBeNull();
  });

  it('answers each kind from its own route, and refuses an id the kind cannot have', () => {
    expect(historyApiPath('certificate', ID)).toBe(`certifications/${ID}`);
    expect(historyApiPath('survey', ID)).toBe(`surveys/${ID}`);
    expect(historyApiPath('inspection', ID)).toBe(`inspections/${ID}`);
    expect(historyApiPath('workforce', 'visaginas-spc')).toBe('workforce?partnerId=visaginas-spc');
    expect(historyApiPath('certificate', 'visaginas-spc')).toBeNull();
    expect(historyApiPath('workforce', ID)).toBe(`workforce?partnerId=${ID}`);
    expect(historyKindOf('survey')).toBe('survey');
    expect(historyKindOf('nonsense')).toBe('activity');
    expect(historyKindOf(null)).toBe('activity');
  });

  it('links an overdue finding’s alert to its inspection, a waiting record’s to the record', () => {
    expect(alertRecord('finding-overdue', `${ID}/f-1`, undefined)).toEqual({ kind: 'inspection', id: ID });
    expect(alertRecord('awaiting-verification', ID, 'expenditure')).toEqual({ kind: 'expenditure', id: ID });
    expect(alertRecord('awaiting-verification', ID, 'service-delivered')).toEqual({ kind: 'activity', id: ID });
  });
});
