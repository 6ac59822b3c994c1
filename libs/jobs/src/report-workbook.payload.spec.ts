import { checkReportPayload, reportPayloadCheck } from './report-workbook.payload';

describe('checkReportPayload', () => {
  const agency = { subject: 'auditor-1', role: 'agency-auditor' };
  const partner = { subject: 'visaginas-user', role: 'partner-submitter', partnerId: 'visaginas-spc' };

  it('accepts what the API enqueues', () => {
    expect(checkReportPayload({ projectCode: '07-003-P-0001', format: 'xlsx', actor: agency })).toBeNull();
    expect(
      checkReportPayload({
        projectCode: 'p',
        format: 'xlsx',
        asOf: '2024-05-31',
        partnerId: 'utena-spc',
        actor: agency,
      }),
    ).toBeNull();
    expect(
      checkReportPayload({ projectCode: 'p', format: 'xlsx', partnerId: 'visaginas-spc', actor: partner }),
    ).toBeNull();
  });

  it('refuses a payload the handler must not run', () => {
    expect(checkReportPayload(null)).toMatch(/object/);
    expect(checkReportPayload({ projectCode: 'p', format: 'pdf', actor: agency })).toMatch(/format/);
    expect(checkReportPayload({ projectCode: 'p', format: 'xlsx', asOf: 'soon', actor: agency })).toMatch(/asOf/);
    expect(checkReportPayload({ projectCode: 'p', format: 'xlsx', actor: { subject: 'x', role: 'root' } })).toMatch(
      /actor/,
    );
    expect(checkReportPayload({ projectCode: 'p', format: 'xlsx', partnerId: 'utena-spc', actor: partner })).toMatch(
      /its own/,
    );
  });

  it('checks the position fixed at enqueue, and the format of the job it is for', () => {
    expect(checkReportPayload({ projectCode: 'p', format: 'xlsx', position: 42, actor: agency })).toBeNull();
    expect(checkReportPayload({ projectCode: 'p', format: 'xlsx', position: -1, actor: agency })).toMatch(/position/);
    expect(checkReportPayload({ projectCode: 'p', format: 'xlsx', position: '4', actor: agency })).toMatch(/position/);
    expect(reportPayloadCheck('pdf')({ projectCode: 'p', format: 'pdf', actor: agency })).toBeNull();
    expect(reportPayloadCheck('pdf')({ projectCode: 'p', format: 'xlsx', actor: agency })).toMatch(
      /format must be pdf/,
    );
  });
});
