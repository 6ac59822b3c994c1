// The query string is validated like a body on every GET route: an unknown parameter is refused
// naming it (never ignored: `/volumes?partnerId=X` used to answer project-wide totals), a repeated
// one too; and the partner filter of the figures gives that partner's figures, checked against
// sums worked out by hand.
import request from 'supertest';
import {
  CODE,
  lithuanianCode,
  seedProject,
  startLedgerTestApp,
  type LedgerTestApp,
  url,
} from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { finishedImport, finishedJob, startReportWorker } from './support/report-worker';

const ELDER = lithuanianCode('3400101123');
const CHILD = lithuanianCode('6190512123');
const OTHER = lithuanianCode('4450301123');
const A = 'visaginas-spc';
const B = 'utena-spc';

type Who = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB';

/** A GET route as the router knows it: a request that succeeds, and a parameter it takes (to repeat). */
interface Walk {
  readonly path: () => string;
  readonly as: Who;
  readonly repeat: string | null;
}

describe('query parameters: validated on every GET route, and the partner filter of the figures', () => {
  let t: LedgerTestApp;
  let redis: RedisServer;
  let jobLocation = '';
  let reportLocation = '';
  let importLocation = '';
  let activityId = '';
  let expenditureId = '';
  let evidenceHref = '';
  let claimId = '';
  const INSPECTION_ID = '0c3e8a51-7d2b-4f6a-8e9c-1b2a3c4d5e6f';
  const CERTIFICATE_ID = '0c3e8a51-7d2b-4f6a-8e9c-1b2a3c4d5e70';
  const SURVEY_ID = '0c3e8a51-7d2b-4f6a-8e9c-1b2a3c4d5e71';
  let last = 0;

  const post = async (who: Who, path: string, body: object) => {
    const res = await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(201);
    last = res.body.position;
    return res.body;
  };
  const get = (who: Who, path: string) => request(t.base).get(url(path)).set(t.as(who));
  const visit = (
    occurredOn: string,
    service: string,
    setting: string,
    minutes: number,
    code: string,
    worker: string,
  ) => ({
    occurredOn,
    service,
    targetGroup: setting === 'pre-school' ? 'disabled-child' : 'elderly',
    setting,
    durationMinutes: minutes,
    recipient: { personalCode: code },
    workerRef: worker,
  });

  // Every GET route the API serves, but the health probes (their controller is not validated yet,
  // see the README) and the OpenAPI page.
  const ROUTES: Record<string, Walk> = {
    '/api/v1/projects/:code': { path: () => url(''), as: 'admin', repeat: null },
    '/api/v1/projects/:code/activities/:id': {
      path: () => url(`/activities/${activityId}`),
      as: 'partnerA',
      repeat: 'format',
    },
    '/api/v1/projects/:code/expenditures/:id': {
      path: () => url(`/expenditures/${expenditureId}`),
      as: 'partnerA',
      repeat: 'asOf',
    },
    // A job the queue (a real redis-server, no worker) holds: its answer takes no parameter.
    '/api/v1/jobs/:id': { path: () => jobLocation, as: 'admin', repeat: null },
    // A finished report's file (built by a worker run in beforeAll): it takes no parameter either.
    '/api/v1/jobs/:id/result': { path: () => `${reportLocation}/result`, as: 'finance', repeat: null },
    // The signed checkpoints (none in this app): the list takes no parameter.
    '/api/v1/admin/checkpoints': { path: () => '/api/v1/admin/checkpoints', as: 'auditor', repeat: null },
    '/api/v1/projects/:code/progress': { path: () => url('/progress'), as: 'auditor', repeat: 'partnerId' },
    '/api/v1/projects/:code/budget': { path: () => url('/budget'), as: 'finance', repeat: 'partnerId' },
    '/api/v1/projects/:code/volumes': { path: () => url('/volumes'), as: 'auditor', repeat: 'partnerId' },
    '/api/v1/projects/:code/audit': { path: () => url('/audit?figure=volumes'), as: 'auditor', repeat: 'figure' },
    '/api/v1/projects/:code/exports/esf-indicators': {
      path: () => url('/exports/esf-indicators'),
      as: 'auditor',
      repeat: 'format',
    },
    '/api/v1/projects/:code/exports/iati': { path: () => url('/exports/iati'), as: 'finance', repeat: 'format' },
    '/api/v1/projects/:code/alerts': { path: () => url('/alerts'), as: 'partnerA', repeat: 'status' },
    '/api/v1/projects/:code/activities': { path: () => url('/activities'), as: 'partnerA', repeat: 'partnerId' },
    '/api/v1/projects/:code/expenditures': { path: () => url('/expenditures'), as: 'finance', repeat: 'format' },
    '/api/v1/projects/:code/verification-queue': {
      path: () => url('/verification-queue'),
      as: 'auditor',
      repeat: 'partnerId',
    },
    '/api/v1/projects/:code/expenditure-register': {
      path: () => url('/expenditure-register'),
      as: 'finance',
      repeat: 'partnerId',
    },
    '/api/v1/projects/:code/claims': { path: () => url('/claims'), as: 'auditor', repeat: 'asOf' },
    '/api/v1/projects/:code/claims/:claimId': {
      path: () => url(`/claims/${claimId}`),
      as: 'finance',
      repeat: 'format',
    },
    '/api/v1/projects/:code/advances': { path: () => url('/advances'), as: 'finance', repeat: 'asOf' },
    '/api/v1/projects/:code/inspections': { path: () => url('/inspections'), as: 'partnerA', repeat: 'status' },
    '/api/v1/projects/:code/inspections/:inspectionId': {
      path: () => url(`/inspections/${INSPECTION_ID}`),
      as: 'auditor',
      repeat: 'asOf',
    },
    '/api/v1/projects/:code/certifications': {
      path: () => url('/certifications'),
      as: 'partnerA',
      repeat: 'status',
    },
    '/api/v1/projects/:code/certifications/:certificateId': {
      path: () => url(`/certifications/${CERTIFICATE_ID}`),
      as: 'auditor',
      repeat: 'asOf',
    },
    '/api/v1/projects/:code/surveys': { path: () => url('/surveys'), as: 'partnerA', repeat: 'respondentGroup' },
    '/api/v1/projects/:code/surveys/:surveyId': {
      path: () => url(`/surveys/${SURVEY_ID}`),
      as: 'auditor',
      repeat: 'asOf',
    },
    '/api/v1/projects/:code/good-practice': { path: () => url('/good-practice'), as: 'auditor', repeat: 'format' },
    '/api/v1/projects/:code/workforce': { path: () => url('/workforce'), as: 'partnerA', repeat: 'asOf' },
    '/api/v1/projects/:code/coordinator-reports': {
      path: () => url('/coordinator-reports?period=2024-Q2'),
      as: 'partnerA',
      repeat: 'asOf',
    },
    // The web app's session answer (public; a token caller is simply not signed in by cookie).
    '/auth/me': { path: () => '/auth/me', as: 'auditor', repeat: null },
    // Imports: the template, and a finished import of partner A (one row refused) with its row errors.
    '/api/v1/projects/:code/imports/template.xlsx': {
      path: () => url('/imports/template.xlsx'),
      as: 'partnerA',
      repeat: null,
    },
    '/api/v1/projects/:code/imports/:id': { path: () => importLocation, as: 'partnerA', repeat: null },
    '/api/v1/projects/:code/imports/:id/errors.csv': {
      path: () => `${importLocation}/errors.csv`,
      as: 'partnerA',
      repeat: 'dialect',
    },
    '/api/v1/projects/:code/imports/:id/errors.xlsx': {
      path: () => `${importLocation}/errors.xlsx`,
      as: 'partnerA',
      repeat: null,
    },
    // A scanned invoice on partner A's expenditure: the file takes no parameter.
    '/api/v1/projects/:code/evidence/:collection/:id/:sha256': {
      path: () => evidenceHref,
      as: 'partnerA',
      repeat: null,
    },
  };
  const NOT_WALKED = ['/health', '/health/live', '/health/ready'];
  const REPEATED_VALUES: Record<string, [string, string]> = {
    format: ['json', 'csv'],
    asOf: ['2024-06-01', '2024-06-02'],
    partnerId: [A, B],
    figure: ['volumes', 'budget'],
    status: ['open', 'all'],
    dialect: ['standard', 'excel'],
  };
  const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
    await seedProject(t);
    // The report is finished and the worker gone before the rebuild is enqueued (which then stays waiting).
    const worker = await startReportWorker(redis.url, t.app, t.dir);
    reportLocation = (
      await request(t.base).post(url('/reports')).set(t.as('finance')).send({ format: 'xlsx' }).expect(202)
    ).headers.location!;
    await finishedJob(t.base, reportLocation, t.as('finance'));
    importLocation = (
      await request(t.base)
        .post(url('/imports'))
        .set(t.as('partnerA'))
        .attach(
          'file',
          Buffer.from('kind;occurredOn;audience;title;attendees\npromotion-event;someday;community;Day;3\n'),
          'a.csv',
        )
        .expect(202)
    ).headers.location!;
    await finishedImport(t.base, importLocation, t.as('partnerA'));
    await worker.close();
    jobLocation = (await request(t.base).post('/api/v1/admin/jobs/rebuild').set(t.as('admin')).send({}).expect(202))
      .headers.location!;
    // Visaginas: Elder (90 min) and a child (60 min), one consultation; Utena: another person, and
    // Elder too (so each partner's own persons differ from its share of the project's).
    activityId = (
      await post(
        'partnerA',
        '/activities/service-deliveries',
        visit('2024-04-10', 'nursing', 'home', 90, ELDER, 'nurse-07'),
      )
    ).activityId;
    await post(
      'partnerA',
      '/activities/service-deliveries',
      visit('2024-04-11', 'rehabilitation', 'pre-school', 60, CHILD, 'rehab-02'),
    );
    await post('partnerA', '/activities/caregiver-consultations', {
      occurredOn: '2024-04-12',
      topic: 'preparing-to-care',
      durationMinutes: 60,
      familyMembers: 2,
    });
    await post(
      'partnerB',
      '/activities/service-deliveries',
      visit('2024-04-11', 'care', 'home', 60, OTHER, 'nurse-07'),
    );
    await post(
      'partnerB',
      '/activities/service-deliveries',
      visit('2024-04-12', 'nursing', 'home', 30, ELDER, 'nurse-b'),
    );
    for (const [partner, category, amount] of [
      [A, 'staff', '5000.00'],
      [B, 'equipment', '1000.00'],
    ])
      await request(t.base)
        .put(url(`/allocations/${partner}/${category}`))
        .set(t.as('finance'))
        .send({ amount })
        .expect(201);
    expenditureId = (
      await post('partnerA', '/expenditures', {
        categoryId: 'staff',
        amount: '1000.00',
        occurredOn: '2024-05-10',
        documentRef: 'INV-A-1',
        description: 'May salaries',
      })
    ).expenditureId;
    await post('finance', `/expenditures/${expenditureId}/verify`, {
      eligible: '900.00',
      ineligible: '100.00',
      ineligibleReason: 'not-in-approved-budget',
    });
    evidenceHref = (
      await request(t.base)
        .post(url(`/evidence/expenditures/${expenditureId}`))
        .set(t.as('partnerA'))
        .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'invoice.pdf')
        .expect(201)
    ).body.href;
    await post('partnerB', '/expenditures', {
      categoryId: 'equipment',
      amount: '250.00',
      occurredOn: '2024-05-11',
      documentRef: 'INV-B-1',
      description: 'Slings',
    });
    claimId = (await post('finance', '/claims', { period: '2024-Q2' })).claimId;
    await post('auditor', '/inspections', {
      inspectionId: INSPECTION_ID,
      partnerId: 'visaginas-spc',
      kind: 'unplanned',
      scope: 'Integrali pagalba namuose',
      standards: ['staff-qualification'],
      startedOn: '2024-05-02',
      endedOn: '2024-05-02',
      inspectorRefs: ['INSP-01'],
    });
    await post('auditor', '/certifications', {
      certificateId: CERTIFICATE_ID,
      partnerId: 'visaginas-spc',
      scheme: 'equass-assurance',
      services: ['care'],
      validFrom: '2023-03-24',
      validTo: '2025-03-23',
      certifyingBody: 'EQUASS (EPR)',
      certificateRef: 'EQUASS-A-2023-1',
    });
    await post('auditor', '/surveys', {
      surveyId: SURVEY_ID,
      partnerId: 'visaginas-spc',
      respondentGroup: 'staff',
      periodFrom: '2024-04-01',
      periodTo: '2024-05-31',
      respondents: 5,
      questions: [{ questionId: 'Q1', text: 'Ar esate patenkinti darbu?', distribution: { satisfied: 5 } }],
    });
    // The answers below must include every write.
    await get('auditor', `/volumes?position=${last}`).expect(200);
  });
  afterAll(async () => {
    await t.close();
    await redis?.stop();
  });

  it('the walk lists every GET route the API serves (a new one must be added here)', () => {
    const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: unknown[] } }).router;
    const served: string[] = [];
    for (const layer of router.stack as { route?: { path: string; methods: Record<string, boolean> } }[]) {
      if (!layer.route?.methods.get || layer.route.path.startsWith('/api/docs')) continue;
      served.push(layer.route.path);
    }
    expect(served.sort()).toEqual([...Object.keys(ROUTES), ...NOT_WALKED].sort());
  });

  describe.each(Object.entries(ROUTES))('GET %s', (_route, walk) => {
    it('answers without parameters (the refusals below are about the parameters)', async () => {
      await request(t.base).get(walk.path()).set(t.as(walk.as)).expect(200);
    });

    it('refuses an unknown parameter, naming it', async () => {
      const res = await request(t.base).get(withQuery(walk.path(), 'bogus=1')).set(t.as(walk.as)).expect(400);
      expect(res.body.issues).toEqual([
        { field: 'bogus', rule: 'unknown-parameter', message: expect.stringContaining('not a parameter') },
      ]);
      expect(res.body.message).toMatch(/^bogus: /);
    });

    it('refuses a bracketed parameter (no nested objects) and names every unknown one', async () => {
      const res = await request(t.base).get(withQuery(walk.path(), 'a[b]=1&partner=x')).set(t.as(walk.as)).expect(400);
      expect(res.body.issues.map((i: { field: string; rule: string }) => [i.field, i.rule])).toEqual([
        ['a[b]', 'unknown-parameter'],
        ['partner', 'unknown-parameter'],
      ]);
    });

    it('refuses a repeated parameter, naming it', async () => {
      const name = walk.repeat ?? 'bogus';
      const [one, two] = REPEATED_VALUES[name] ?? ['1', '2'];
      const res = await request(t.base)
        .get(withQuery(walk.path().replace(/[?&]figure=[^&]*/, ''), `${name}=${one}&${name}=${two}`))
        .set(t.as(walk.as))
        .expect(400);
      expect(res.body.issues).toEqual([
        expect.objectContaining({ field: name, rule: walk.repeat ? 'repeated-parameter' : 'unknown-parameter' }),
      ]);
    });

    it('never quotes a personal code given as a parameter name or value', async () => {
      for (const query of [`${ELDER}=1`, `code=${ELDER}`]) {
        const res = await request(t.base).get(withQuery(walk.path(), query)).set(t.as(walk.as)).expect(400);
        expect(res.body.issues).toEqual([expect.objectContaining({ rule: 'unknown-parameter' })]);
        expect(JSON.stringify(res.body)).not.toContain(ELDER);
      }
    });
  });

  describe('values that break a rule name the field and the rule', () => {
    it.each([
      ['/volumes?partnerId=Utena_SPC', 'partnerId', 'slug', 400],
      ['/progress?partnerId=', 'partnerId', 'slug', 400],
      ['/budget?position=-1', 'position', 'integer', 400],
      ['/volumes?asOf=yesterday', 'asOf', 'date-or-position', 400],
      ['/progress?format=xlsx', 'format', 'enum', 400],
      ['/exports/iati?format=csv', 'format', 'enum', 400],
      ['/alerts?status=closed', 'status', 'enum', 400],
      ['/verification-queue?record=claim', 'record', 'enum', 400],
      ['/alerts?pageSize=0', 'pageSize', 'integer-range', 400],
      ['/audit?figure=volumes&page=0', 'page', 'integer-range', 400],
      ['/audit', 'figure', 'enum', 400],
      ['/audit?figure=sco', 'optionId', 'required', 400],
      ['/audit?figure=volumes&optionId=indirect-15', 'optionId', 'figure-sco-only', 400],
      ['/audit?figure=sco&optionId=Indirect_15', 'optionId', 'slug', 400],
      ['/audit?figure=sco&optionId=no-such-option', 'optionId', 'known-option', 422],
      [`/activities/${'{id}'}?format=pdf`, 'format', 'enum', 400],
      ['/volumes?partnerId=nobody-spc', 'partnerId', 'registered-partner', 422],
      ['/activities?asOf=yesterday', 'asOf', 'date-or-position', 400],
      ['/expenditures?asOf=2024-02-30', 'asOf', 'date-or-position', 400],
      ['/verification-queue?asOf=-1', 'asOf', 'date-or-position', 400],
      ['/expenditure-register?asOf=2024-6-1', 'asOf', 'date-or-position', 400],
      ['/expenditures?before=nothing', 'before', 'cursor', 400],
    ])('%s → %s %s', async (path, field, rule, status) => {
      const res = await get('auditor', path.replace('{id}', activityId)).expect(status);
      expect(res.body.issues).toEqual([expect.objectContaining({ field, rule })]);
    });

    it('a partner id shaped like a personal code is 422 and never quoted', async () => {
      const res = await get('auditor', `/volumes?partnerId=${ELDER}`).expect(422);
      expect(res.body.issues).toEqual([expect.objectContaining({ field: 'partnerId', rule: 'no-personal-code' })]);
      expect(JSON.stringify(res.body)).not.toContain(ELDER);
    });

    it('a partner registered after the as-of point is not a partner there', async () => {
      const [registered] = await t.store.readStream(`project-${CODE}`);
      // At the project's registration Utena was not a partner yet: it has no figures there, not zeros.
      const res = await get('auditor', `/volumes?asOf=${registered!.position}&partnerId=${B}`).expect(422);
      expect(res.body.issues).toEqual([expect.objectContaining({ field: 'partnerId', rule: 'registered-partner' })]);
      await get('auditor', `/volumes?asOf=${registered!.position}&partnerId=${A}`).expect(200);
    });
  });

  describe('?partnerId= on the figures', () => {
    it('/volumes: the agency gets that partner’s volumes, not the project’s', async () => {
      const project = await get('auditor', '/volumes').expect(200);
      const utena = await get('auditor', `/volumes?partnerId=${B}`).expect(200);
      // The bug: this answered the project's totals, as if the filter had not been asked for.
      expect(utena.body.services).not.toEqual(project.body.services);
      expect(project.body).toMatchObject({
        partnerId: null,
        services: [
          { service: 'care', setting: 'home', count: 1, hours: 1 },
          { service: 'nursing', setting: 'home', count: 2, hours: 2 },
          { service: 'rehabilitation', setting: 'pre-school', count: 1, hours: 1 },
        ],
        consultations: { count: 1, familyMembers: 2, hours: 1 },
      });
      expect(utena.body).toMatchObject({
        partnerId: B,
        services: [
          { service: 'care', setting: 'home', count: 1, hours: 1 },
          { service: 'nursing', setting: 'home', count: 1, hours: 0.5 },
        ],
        consultations: { count: 0, familyMembers: 0, hours: 0 },
        caseload: [
          { partnerId: B, workerRef: 'nurse-07', services: 1, persons: 1 },
          { partnerId: B, workerRef: 'nurse-b', services: 1, persons: 1 },
        ],
      });
      const visaginas = await get('finance', `/volumes?partnerId=${A}`).expect(200);
      expect(visaginas.body).toMatchObject({
        partnerId: A,
        services: [
          { service: 'nursing', setting: 'home', count: 1, hours: 1.5 },
          { service: 'rehabilitation', setting: 'pre-school', count: 1, hours: 1 },
        ],
        consultations: { count: 1, familyMembers: 2, hours: 1 },
        caseload: [
          { partnerId: A, workerRef: 'nurse-07', services: 1, persons: 1 },
          { partnerId: A, workerRef: 'rehab-02', services: 1, persons: 1 },
        ],
      });
      // What the partner itself sees, the agency sees when it names the partner.
      const own = await get('partnerB', '/volumes').expect(200);
      expect(utena.body).toEqual(own.body);
    });

    it('a partner may name itself (the same answer) but not another partner (403, as in a body)', async () => {
      const plain = await get('partnerB', '/volumes').expect(200);
      const named = await get('partnerB', `/volumes?partnerId=${B}`).expect(200);
      expect(named.body).toEqual(plain.body);
      for (const path of [`/volumes?partnerId=${A}`, `/progress?partnerId=${A}`]) {
        const other = await get('partnerB', path).expect(403);
        expect(other.body.issues).toEqual([expect.objectContaining({ field: 'partnerId', rule: 'own-partner' })]);
      }
    });

    it('/progress: the agency gets the figures the partner’s own token gets', async () => {
      const project = await get('auditor', '/progress').expect(200);
      expect(project.body).toMatchObject({ partnerId: null, personsReached: 3 });
      const utena = await get('auditor', `/progress?partnerId=${B}`).expect(200);
      // Utena served Other and Elder itself: two persons, whoever else served them.
      expect(utena.body).toMatchObject({
        partnerId: B,
        personsReached: 2,
        byService: { care: 1, nursing: 1 },
        partners: [expect.objectContaining({ partnerId: B, actual: 2 })],
      });
      expect(utena.body).toEqual((await get('partnerB', '/progress').expect(200)).body);
      const visaginas = await get('admin', `/progress?partnerId=${A}`).expect(200);
      expect(visaginas.body).toMatchObject({
        partnerId: A,
        personsReached: 2,
        byService: { nursing: 1, rehabilitation: 1 },
      });
      expect(visaginas.body).toEqual((await get('partnerA', '/progress').expect(200)).body);
    });

    it('/budget: one partner’s lines and totals, its ESF+/national split, no project-wide burn', async () => {
      const project = await get('finance', '/budget').expect(200);
      expect(project.body).toMatchObject({ partnerId: null, total: { declared: '1250.00' } });
      expect(project.body.spending).toBeDefined();
      const line = {
        partnerId: A,
        categoryId: 'staff',
        allocated: '5000.00',
        declared: '1000.00',
        eligible: '900.00',
        ineligible: '100.00',
        pending: '0.00',
        remaining: '4100.00',
        overSpent: false,
      };
      const { partnerId: _p, categoryId: _c, overSpent: _o, ...sums } = line;
      const claimSums = (claimed: string) => ({ claimed, accepted: '0.00', reimbursed: '0.00', outstanding: '0.00' });
      const visaginas = await get('finance', `/budget?partnerId=${A}`).expect(200);
      expect(visaginas.body).toEqual({
        partnerId: A,
        between: null,
        envelope: '43940212.00',
        lines: [line],
        byPartner: { [A]: sums },
        total: sums,
        // 85 % ESF+ and 15 % national of the 900.00 eligible.
        shares: { esfPlus: '765.00', national: '135.00' },
        flags: { overAllocated: false, overSpentLines: 0 },
        reconciliation: { ok: true, differences: [] },
        // The walk's claim carries the 900.00 verified: claimed, nothing decided yet.
        claims: {
          lines: [{ partnerId: A, categoryId: 'staff', ...claimSums('900.00') }],
          byPartner: { [A]: claimSums('900.00') },
          total: claimSums('900.00'),
        },
        position: project.body.position,
      });
      const utena = await get('auditor', `/budget?partnerId=${B}`).expect(200);
      expect(utena.body.lines).toEqual([
        {
          partnerId: B,
          categoryId: 'equipment',
          allocated: '1000.00',
          declared: '250.00',
          eligible: '0.00',
          ineligible: '0.00',
          pending: '250.00',
          remaining: '750.00',
          overSpent: false,
        },
      ]);
      expect(utena.body.shares).toEqual({ esfPlus: '0.00', national: '0.00' });
    });

    it('/budget as CSV: the partner in the file name, its lines and total, no month rows', async () => {
      const res = await get('finance', `/budget?partnerId=${A}&format=csv`).expect(200);
      expect(res.headers['content-disposition']).toMatch(new RegExp(`filename="budget-.*-${A}-at-\\d+\\.csv"`));
      const rows = (res.text as string).trim().split('\n').slice(1);
      expect(rows).toEqual([
        `line,${A},staff,,5000.00,1000.00,900.00,100.00,0.00,4100.00,false,900.00,0.00,0.00,0.00`,
        'total,,,,5000.00,1000.00,900.00,100.00,0.00,4100.00,false,900.00,0.00,0.00,0.00',
      ]);
    });
  });
  describe('?from=&to= on /volumes and /budget: the records dated in the range (both days included)', () => {
    it('/volumes: the activities dated in the range, with the partner filter too', async () => {
      const day = await get('auditor', '/volumes?from=2024-04-11&to=2024-04-11').expect(200);
      expect(day.body).toMatchObject({
        partnerId: null,
        between: { from: '2024-04-11', to: '2024-04-11' },
        services: [
          { service: 'care', setting: 'home', count: 1, hours: 1 },
          { service: 'rehabilitation', setting: 'pre-school', count: 1, hours: 1 },
        ],
        consultations: { count: 0, familyMembers: 0, hours: 0 },
        caseload: [
          { partnerId: B, workerRef: 'nurse-07', services: 1, persons: 1 },
          { partnerId: A, workerRef: 'rehab-02', services: 1, persons: 1 },
        ],
      });
      // Either end left out is the project's.
      const utena = await get('auditor', `/volumes?from=2024-04-12&partnerId=${B}`).expect(200);
      expect(utena.body).toMatchObject({
        partnerId: B,
        between: { from: '2024-04-12', to: '2026-12-31' },
        services: [{ service: 'nursing', setting: 'home', count: 1, hours: 0.5 }],
        caseload: [{ partnerId: B, workerRef: 'nurse-b', services: 1, persons: 1 }],
      });
      const first = await get('partnerA', '/volumes?to=2024-04-10').expect(200);
      expect(first.body).toMatchObject({
        partnerId: A,
        between: { from: '2022-12-08', to: '2024-04-10' },
        services: [{ service: 'nursing', setting: 'home', count: 1, hours: 1.5 }],
      });
      // The whole period is every record: the same figures as without a range.
      const whole = await get('auditor', '/volumes?from=2022-12-08&to=2026-12-31').expect(200);
      const all = await get('auditor', '/volumes').expect(200);
      expect({ ...whole.body, between: null }).toEqual(all.body);
    });

    it('/budget: the expenditures dated in the range, without what is not dated', async () => {
      const may11 = await get('finance', '/budget?from=2024-05-11&to=2024-05-31').expect(200);
      const line = {
        partnerId: B,
        categoryId: 'equipment',
        declared: '250.00',
        eligible: '0.00',
        ineligible: '0.00',
        pending: '250.00',
      };
      const { partnerId: _p, categoryId: _c, ...sums } = line;
      expect(may11.body).toEqual({
        partnerId: null,
        between: { from: '2024-05-11', to: '2024-05-31' },
        lines: [line],
        byPartner: { [B]: sums },
        total: sums,
        shares: { esfPlus: '0.00', national: '0.00' },
        burn: [{ month: '2024-05', declared: '250.00', eligible: '0.00' }],
        position: expect.any(Number),
      });
      const visaginas = await get('auditor', `/budget?from=2024-05-01&to=2024-06-30&partnerId=${A}`).expect(200);
      expect(visaginas.body).toMatchObject({
        partnerId: A,
        lines: [
          {
            partnerId: A,
            categoryId: 'staff',
            declared: '1000.00',
            eligible: '900.00',
            ineligible: '100.00',
            pending: '0.00',
          },
        ],
        shares: { esfPlus: '765.00', national: '135.00' },
        burn: [
          { month: '2024-05', declared: '1000.00', eligible: '900.00' },
          { month: '2024-06', declared: '0.00', eligible: '0.00' },
        ],
      });
      const csv = await get('finance', '/budget?from=2024-05-11&to=2024-05-31&format=csv').expect(200);
      expect(csv.headers['content-disposition']).toMatch(
        /filename="budget-.*-from-2024-05-11-to-2024-05-31-at-\d+\.csv"/,
      );
      expect((csv.text as string).trim().split('\n')).toEqual([
        'row,partner,category,month,declared,eligible,ineligible,pending',
        `line,${B},equipment,,250.00,0.00,0.00,250.00`,
        'total,,,,250.00,0.00,0.00,250.00',
        'month,,,2024-05,250.00,0.00,,',
      ]);
    });

    it.each([
      ['/volumes?from=2024-02-30', 400, [['from', 'date']]],
      ['/budget?to=31.05.2024', 400, [['to', 'date']]],
      ['/volumes?from=2022-12-07', 422, [['from', 'within-project-period']]],
      [
        '/budget?from=2021-01-01&to=2027-01-01',
        422,
        [
          ['from', 'within-project-period'],
          ['to', 'within-project-period'],
        ],
      ],
      ['/volumes?from=2024-05-02&to=2024-05-01', 422, [['to', 'not-before-from']]],
      ['/budget?from=2024-05-01&from=2024-05-02', 400, [['from', 'repeated-parameter']]],
      // Persons reached by the date of a service are not kept: progress takes no range, rather than a wrong one.
      ['/progress?from=2024-01-01', 400, [['from', 'unknown-parameter']]],
    ])('%s → %s', async (path, status, issues) => {
      const res = await get(path.startsWith('/budget') ? 'finance' : 'auditor', path).expect(status);
      expect(res.body.issues.map((i: { field: string; rule: string }) => [i.field, i.rule])).toEqual(issues);
    });
  });
});
