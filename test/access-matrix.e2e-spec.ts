// Invariant 2 (a partner writes and reads only its own records, whatever ids it puts in path, query
// or body) and the role checks of every route: a table of every endpoint × every actor, then the
// cross-partner cases. The allowed roles below are written out by hand from the controllers'
// @Roles(...): a role changed in a controller makes a cell of this table fail.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import request from 'supertest';
import { SignJWT } from 'jose';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadApiConfig } from '@ihl/config';
import { DEFAULT_AUDIENCE, mintToken } from '@ihl/auth';
import { SqliteEventStore } from '@ihl/event-store';
import { activityStreamId, expenditureStreamId } from '@ihl/domain';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { createApiApp } from '@ihl/http-api';
import { startRedisServer, type RedisServer } from './support/redis-server';
import { finishedImport, finishedJob, startReportWorker } from './support/report-worker';

const REFERENCE = JSON.parse(readFileSync(join(__dirname, '../projects/07-003-P-0001.json'), 'utf8'));
const CODE: string = REFERENCE.code;
const P = `/api/v1/projects/${CODE}`;
const SECRET = 'access-matrix-secret-long-enough-0123456789';
const TODAY = new Date('2024-06-15T10:00:00Z');
const A = 'visaginas-spc';
const B = 'utena-spc';
const UTENA = {
  id: B,
  name: 'Utenos rajono socialinių paslaugų centras',
  municipality: 'Utena',
  joinedOn: '2023-02-01',
};
const PERSON = '4860318174' + String(personalCodeCheckDigit('4860318174'));

type Role = 'admin' | 'agency-auditor' | 'finance-officer' | 'partner-submitter';
type ActorName = 'admin' | 'auditor' | 'finance' | 'partnerA' | 'partnerB' | 'no token' | 'expired' | 'forged';
const ACTORS: readonly ActorName[] = [
  'admin',
  'auditor',
  'finance',
  'partnerA',
  'partnerB',
  'no token',
  'expired',
  'forged',
];
/** The role a verified token carries; null: the request is not authenticated at all. */
const ROLE_OF: Record<ActorName, Role | null> = {
  admin: 'admin',
  auditor: 'agency-auditor',
  finance: 'finance-officer',
  partnerA: 'partner-submitter',
  partnerB: 'partner-submitter',
  'no token': null,
  expired: null,
  forged: null,
};

// ---- request bodies ----------------------------------------------------------------------------

const KINDS = [
  'service-deliveries',
  'caregiver-consultations',
  'psychological-support',
  'trainings',
  'equipment-procurements',
  'promotion-events',
] as const;
type Kind = (typeof KINDS)[number];

function activityBody(kind: Kind, occurredOn: string): Record<string, unknown> {
  switch (kind) {
    case 'service-deliveries':
      return {
        occurredOn,
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 60,
        recipient: { personalCode: PERSON },
      };
    case 'caregiver-consultations':
      return { occurredOn, topic: 'preparing-to-care', durationMinutes: 45, familyMembers: 2 };
    case 'psychological-support':
      return {
        occurredOn,
        recipientKind: 'family-caregiver',
        format: 'individual',
        durationMinutes: 50,
        participants: 1,
      };
    case 'trainings':
      return { occurredOn, trainingKind: 'competence', topic: 'Safe transfer', durationMinutes: 480, participants: 12 };
    case 'equipment-procurements':
      return {
        occurredOn,
        category: 'nursing-aid',
        description: 'Patient hoist',
        quantity: 2,
        unitPrice: '1499.99',
        total: '2999.98',
        supplier: 'UAB Medika',
        contractRef: 'SUT-2024-17',
      };
    case 'promotion-events':
      return { occurredOn, audience: 'community', title: 'Open day', attendees: 40 };
  }
}
const correction = (kind: Kind, occurredOn = '2024-05-11') => ({
  ...activityBody(kind, occurredOn),
  reason: 'the date was entered wrong',
});
const EXPENDITURE = {
  categoryId: 'staff',
  amount: '1234.56',
  occurredOn: '2024-05-31',
  documentRef: 'INV-2024-001',
  description: 'May salaries of the mobile team',
};
const EXPENDITURE_CORRECTION = { ...EXPENDITURE, description: 'May salaries (corrected)', reason: 'typo in text' };
const REASON = { reason: 'entered by mistake' };
const EVIDENCE_PDF = '%PDF-1.4\n% a scanned invoice\n%%EOF\n';
const EVIDENCE_SHA = createHash('sha256').update(EVIDENCE_PDF).digest('hex');

// ---- the table ---------------------------------------------------------------------------------

type Method = 'get' | 'post' | 'put';
interface Req {
  readonly method: Method;
  readonly path: string;
  readonly body?: unknown;
  /** A multipart upload (the field `file`) instead of a JSON body. */
  readonly upload?: { readonly name: string; readonly content: string };
}
/** Ids a partner acts on in the table: its own records (others use partner A's). */
interface Fixtures {
  readonly activity: Record<Kind, string>;
  readonly voidable: string;
  readonly restatements: readonly [string, string];
  readonly expenditure: string;
  readonly voidableExpenditure: string;
  /** An invoice large enough to pay for the equipment record (issue #18 item 4). */
  readonly equipmentInvoice: string;
  /** An inspection of this partner (issue #19), with findings F-R, F-S, F-E to respond to, resolve, escalate. */
  readonly inspection: string;
  /** A quality certificate of this partner (issue #19 item 2). */
  readonly certificate: string;
  /** A survey's results of this partner (issue #19 item 3). */
  readonly survey: string;
}
interface Row {
  /** Method and route exactly as the HTTP router knows it. */
  readonly route: string;
  /** Roles from the controller's @Roles(...), or 'public' for @Public(). */
  readonly allowed: readonly Role[] | 'public';
  readonly request: (own: Fixtures) => Req;
}

const ALL_ROLES: readonly Role[] = ['admin', 'agency-auditor', 'finance-officer', 'partner-submitter'];
const ACT = '/api/v1/projects/:code/activities';
const EXP = '/api/v1/projects/:code/expenditures';

const ROWS: readonly Row[] = [
  { route: 'GET /health', allowed: 'public', request: () => ({ method: 'get', path: '/health' }) },
  { route: 'GET /health/live', allowed: 'public', request: () => ({ method: 'get', path: '/health/live' }) },
  { route: 'GET /health/ready', allowed: 'public', request: () => ({ method: 'get', path: '/health/ready' }) },
  {
    route: 'POST /api/v1/projects',
    allowed: ['admin'],
    request: () => ({ method: 'post', path: '/api/v1/projects', body: WITH_LUMP_SUMS }),
  },
  { route: 'GET /api/v1/projects/:code', allowed: ALL_ROLES, request: () => ({ method: 'get', path: P }) },
  {
    route: 'GET /api/v1/projects/:code/budget',
    allowed: ALL_ROLES, // partners their own only (issue #18 item 7; the cross-partner cases below)
    request: () => ({ method: 'get', path: `${P}/budget` }),
  },
  {
    route: 'GET /api/v1/projects/:code/audit',
    allowed: ALL_ROLES,
    request: () => ({ method: 'get', path: `${P}/audit?figure=persons-reached` }),
  },
  {
    route: 'GET /api/v1/projects/:code/volumes',
    allowed: ALL_ROLES,
    request: () => ({ method: 'get', path: `${P}/volumes` }),
  },
  {
    route: 'GET /api/v1/projects/:code/progress',
    allowed: ALL_ROLES,
    request: () => ({ method: 'get', path: `${P}/progress` }),
  },
  {
    route: 'GET /api/v1/projects/:code/exports/esf-indicators',
    allowed: ALL_ROLES,
    request: () => ({ method: 'get', path: `${P}/exports/esf-indicators` }),
  },
  {
    route: 'GET /api/v1/projects/:code/exports/iati',
    allowed: ['admin', 'agency-auditor', 'finance-officer'],
    request: () => ({ method: 'get', path: `${P}/exports/iati` }),
  },
  { route: `GET ${ACT}`, allowed: ALL_ROLES, request: () => ({ method: 'get', path: `${P}/activities` }) },
  { route: `GET ${EXP}`, allowed: ALL_ROLES, request: () => ({ method: 'get', path: `${P}/expenditures` }) },
  {
    route: `POST ${ACT}/search`,
    allowed: ['partner-submitter', 'agency-auditor'],
    request: () => ({ method: 'post', path: `${P}/activities/search`, body: { personalCode: PERSON } }),
  },
  {
    route: 'GET /api/v1/projects/:code/verification-queue',
    allowed: ALL_ROLES,
    request: () => ({ method: 'get', path: `${P}/verification-queue` }),
  },
  {
    route: 'GET /api/v1/projects/:code/expenditure-register',
    allowed: ['admin', 'agency-auditor', 'finance-officer'],
    request: () => ({ method: 'get', path: `${P}/expenditure-register?period=2024-Q2` }),
  },
  {
    route: 'POST /api/v1/persons/erasures',
    allowed: ['admin'],
    request: () => ({
      method: 'post',
      path: '/api/v1/persons/erasures',
      body: { personalCode: '38703181745', reason: 'data subject request' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/partners',
    allowed: ['admin'],
    request: () => ({ method: 'post', path: `${P}/partners`, body: UTENA }),
  },
  {
    route: 'PUT /api/v1/projects/:code/allocations/:partnerId/:categoryId',
    allowed: ['finance-officer'],
    request: () => ({ method: 'put', path: `${P}/allocations/${A}/staff`, body: { amount: '250000.00' } }),
  },
  {
    route: 'POST /api/v1/projects/:code/periods/:periodId/lock',
    allowed: ['agency-auditor'],
    request: () => ({ method: 'post', path: `${P}/periods/2026-Q4/lock`, body: {} }),
  },
  {
    route: 'POST /api/v1/projects/:code/periods/:periodId/reopen',
    allowed: ['agency-auditor'],
    request: () => ({ method: 'post', path: `${P}/periods/2026-Q4/reopen`, body: { reason: 'locked by mistake' } }),
  },
  {
    route: `POST ${ACT}/batch`,
    allowed: ['partner-submitter'],
    request: () => ({
      method: 'post',
      path: `${P}/activities/batch`,
      body: { records: [{ kind: 'promotion-event', ...(activityBody('promotion-events', '2024-06-02') as object) }] },
    }),
  },
  ...KINDS.map((kind): Row => ({
    route: `POST ${ACT}/${kind}`,
    allowed: ['partner-submitter'],
    request: () => ({ method: 'post', path: `${P}/activities/${kind}`, body: activityBody(kind, '2024-06-01') }),
  })),
  ...KINDS.map((kind): Row => ({
    route: `POST ${ACT}/${kind}/:id/corrections`,
    allowed: ['partner-submitter'],
    request: (own) => ({
      method: 'post',
      path: `${P}/activities/${kind}/${own.activity[kind]}/corrections`,
      body: correction(kind),
    }),
  })),
  {
    route: `POST ${ACT}/:id/void`,
    allowed: ['partner-submitter'],
    request: (own) => ({ method: 'post', path: `${P}/activities/${own.voidable}/void`, body: REASON }),
  },
  {
    route: `POST ${ACT}/:id/verify`,
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/activities/${own.activity['service-deliveries']}/verify`,
      body: { note: 'checked against the timesheet' },
    }),
  },
  {
    route: `POST ${ACT}/:id/reject`,
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/activities/${own.activity['caregiver-consultations']}/reject`,
      body: { reason: 'no attendance sheet' },
    }),
  },
  {
    route: `POST ${ACT}/:id/restatement/approve`,
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/activities/${own.restatements[0]}/restatement/approve`,
      body: { note: 'documents seen' },
    }),
  },
  {
    route: `POST ${ACT}/:id/restatement/decline`,
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/activities/${own.restatements[1]}/restatement/decline`,
      body: { reason: 'no evidence of the change' },
    }),
  },
  {
    route: `GET ${ACT}/:id`,
    allowed: ALL_ROLES,
    request: (own) => ({ method: 'get', path: `${P}/activities/${own.activity['service-deliveries']}` }),
  },
  {
    route: `POST ${EXP}`,
    allowed: ['partner-submitter'],
    request: () => ({ method: 'post', path: `${P}/expenditures`, body: { ...EXPENDITURE, documentRef: 'INV-M-1' } }),
  },
  {
    route: `POST ${EXP}/:id/corrections`,
    allowed: ['partner-submitter'],
    request: (own) => ({
      method: 'post',
      path: `${P}/expenditures/${own.expenditure}/corrections`,
      body: EXPENDITURE_CORRECTION,
    }),
  },
  {
    route: `POST ${EXP}/:id/void`,
    allowed: ['partner-submitter'],
    request: (own) => ({ method: 'post', path: `${P}/expenditures/${own.voidableExpenditure}/void`, body: REASON }),
  },
  {
    route: `POST ${EXP}/:id/verify`,
    allowed: ['finance-officer'],
    request: (own) => ({
      method: 'post',
      path: `${P}/expenditures/${own.expenditure}/verify`,
      body: {
        eligible: '1000.00',
        ineligible: '234.56',
        note: 'one invoice line not eligible',
        ineligibleReason: 'not-in-approved-budget',
      },
    }),
  },
  {
    route: `POST ${EXP}/:id/equipment`,
    allowed: ['partner-submitter'],
    request: (own) => ({
      method: 'post',
      path: `${P}/expenditures/${own.equipmentInvoice}/equipment`,
      body: { activityId: own.activity['equipment-procurements'] },
    }),
  },
  {
    route: `GET ${EXP}/:id`,
    allowed: ALL_ROLES,
    request: (own) => ({ method: 'get', path: `${P}/expenditures/${own.expenditure}` }),
  },
  // Evidence: a scanned invoice on the actor's own expenditure (attached once in beforeAll, so a
  // repeat answers 200 unchanged); partners never reach another partner's file.
  {
    route: 'POST /api/v1/projects/:code/evidence/:collection/:id',
    allowed: ['partner-submitter', 'agency-auditor', 'finance-officer'],
    request: (own) => ({
      method: 'post',
      path: `${P}/evidence/expenditures/${own.expenditure}`,
      upload: { name: 'invoice.pdf', content: EVIDENCE_PDF },
    }),
  },
  {
    route: 'GET /api/v1/projects/:code/evidence/:collection/:id/:sha256',
    allowed: ALL_ROLES,
    request: (own) => ({ method: 'get', path: `${P}/evidence/expenditures/${own.expenditure}/${EVIDENCE_SHA}` }),
  },
  {
    route: 'GET /api/v1/projects/:code/alerts',
    allowed: ALL_ROLES,
    request: () => ({ method: 'get', path: `${P}/alerts?status=all` }),
  },
  // Enqueued only (no worker runs then).
  {
    route: 'POST /api/v1/admin/jobs/checks',
    allowed: ['admin'],
    request: () => ({ method: 'post', path: '/api/v1/admin/jobs/checks', body: {} }),
  },
  {
    route: 'POST /api/v1/admin/jobs/rebuild',
    allowed: ['admin'],
    request: () => ({ method: 'post', path: '/api/v1/admin/jobs/rebuild', body: {} }),
  },
  {
    route: 'POST /api/v1/admin/queues/session',
    allowed: ['admin'],
    request: () => ({ method: 'post', path: '/api/v1/admin/queues/session', body: {} }),
  },
  // Signs the chain's head (no event is written: the head does not move).
  {
    route: 'POST /api/v1/admin/checkpoints',
    allowed: ['admin'],
    request: () => ({ method: 'post', path: '/api/v1/admin/checkpoints', body: {} }),
  },
  {
    route: 'GET /api/v1/admin/checkpoints',
    allowed: ['admin', 'agency-auditor'],
    request: () => ({ method: 'get', path: '/api/v1/admin/checkpoints' }),
  },
  // Others than its requester (an admin) get 404 for the admin's job: allowed, a 4xx.
  { route: 'GET /api/v1/jobs/:id', allowed: ALL_ROLES, request: () => ({ method: 'get', path: JOBS.rebuild }) },
  // Enqueued only (no worker runs then); a partner's is its own.
  {
    route: 'POST /api/v1/projects/:code/reports',
    allowed: ALL_ROLES,
    request: () => ({ method: 'post', path: `${P}/reports`, body: { format: 'xlsx' } }),
  },
  // The admin's finished report: others than its requester get 404, as for the job.
  {
    route: 'GET /api/v1/jobs/:id/result',
    allowed: ALL_ROLES,
    request: () => ({ method: 'get', path: `${JOBS.report}/result` }),
  },
  // The web app's session routes (GET /auth/login and /auth/callback are redirects outside the API).
  { route: 'GET /auth/me', allowed: 'public', request: () => ({ method: 'get', path: '/auth/me' }) },
  {
    route: 'POST /auth/demo',
    allowed: 'public',
    request: () => ({ method: 'post', path: '/auth/demo', body: { user: 'demo-auditor' } }),
  },
  {
    route: 'POST /auth/logout',
    allowed: ALL_ROLES,
    request: () => ({ method: 'post', path: '/auth/logout', body: {} }),
  },
  // Imports: enqueued only here; partner A's finished import (with a row error) is read by A, 404 for B.
  {
    route: 'POST /api/v1/projects/:code/imports',
    allowed: ['partner-submitter'],
    request: () => ({ method: 'post', path: `${P}/imports`, upload: { name: 'events.csv', content: IMPORT_CSV } }),
  },
  {
    route: 'GET /api/v1/projects/:code/imports/template.xlsx',
    allowed: ALL_ROLES,
    request: () => ({ method: 'get', path: `${P}/imports/template.xlsx` }),
  },
  {
    route: 'GET /api/v1/projects/:code/imports/:id',
    allowed: ['partner-submitter'],
    request: () => ({ method: 'get', path: JOBS.import }),
  },
  {
    route: 'GET /api/v1/projects/:code/imports/:id/errors.csv',
    allowed: ['partner-submitter'],
    request: () => ({ method: 'get', path: `${JOBS.import}/errors.csv` }),
  },
  {
    route: 'GET /api/v1/projects/:code/imports/:id/errors.xlsx',
    allowed: ['partner-submitter'],
    request: () => ({ method: 'get', path: `${JOBS.import}/errors.xlsx` }),
  },
  // Payment claims and advances (finance writes, the agency reads, partners 403): each write row acts
  // on a claim set up in beforeAll in the state its action needs.
  {
    route: 'GET /api/v1/projects/:code/claims',
    // A partner reads its own part of a claim (partnerA's costs are in it).
    allowed: ['admin', 'agency-auditor', 'finance-officer', 'partner-submitter'],
    request: () => ({ method: 'get', path: `${P}/claims` }),
  },
  {
    route: 'POST /api/v1/projects/:code/claims',
    allowed: ['finance-officer'],
    request: () => ({
      method: 'post',
      path: `${P}/claims`,
      body: { period: '2024-Q2', expenditureIds: [CLAIMS.free] },
    }),
  },
  {
    route: 'GET /api/v1/projects/:code/claims/:claimId',
    // A partner reads its own part of a claim (partnerA's costs are in it).
    allowed: ['admin', 'agency-auditor', 'finance-officer', 'partner-submitter'],
    request: () => ({ method: 'get', path: `${P}/claims/${CLAIMS.decided}` }),
  },
  {
    route: 'POST /api/v1/projects/:code/claims/:claimId/withdraw',
    allowed: ['finance-officer'],
    request: () => ({ method: 'post', path: `${P}/claims/${CLAIMS.toWithdraw}/withdraw`, body: REASON }),
  },
  {
    route: 'POST /api/v1/projects/:code/claims/:claimId/submit',
    allowed: ['finance-officer'],
    request: () => ({
      method: 'post',
      path: `${P}/claims/${CLAIMS.toSubmit}/submit`,
      body: { submittedOn: '2024-06-15' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/claims/:claimId/decision',
    allowed: ['finance-officer'],
    request: () => ({
      method: 'post',
      path: `${P}/claims/${CLAIMS.submitted}/decision`,
      body: { decidedOn: '2024-06-15', total: { outcome: 'accepted' } },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/claims/:claimId/reimbursements',
    allowed: ['finance-officer'],
    request: () => ({
      method: 'post',
      path: `${P}/claims/${CLAIMS.decided}/reimbursements`,
      body: { amount: '1.00', paidOn: '2024-06-15' },
    }),
  },
  {
    route: 'GET /api/v1/projects/:code/advances',
    allowed: ['admin', 'agency-auditor', 'finance-officer'],
    request: () => ({ method: 'get', path: `${P}/advances` }),
  },
  {
    route: 'POST /api/v1/projects/:code/advances',
    allowed: ['finance-officer'],
    request: () => ({
      method: 'post',
      path: `${P}/advances`,
      body: { advanceId: 'ADV-M-2', amount: '100.00', paidOn: '2024-01-15' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/advances/:advanceId/clearings',
    allowed: ['finance-officer'],
    request: () => ({
      method: 'post',
      path: `${P}/advances/ADV-M-1/clearings`,
      body: { claimId: CLAIMS.decided, amount: '1.00', clearedOn: '2024-06-15' },
    }),
  },
  // Lump sums' deliverables: partners record their own, finance verifies.
  {
    route: 'POST /api/v1/projects/:code/deliverables',
    allowed: ['partner-submitter'],
    request: () => ({
      method: 'post',
      path: `${P}/deliverables`,
      body: { lumpSumId: 'ls-record', achievedOn: '2024-05-10', evidenceIds: ['DOC-1'] },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/deliverables/:id/verify',
    allowed: ['finance-officer'],
    request: () => ({ method: 'post', path: `${P}/deliverables/ls-pending/verify`, body: { accepted: true } }),
  },
  // Inspections (issue #19): the agency auditor records and closes, the inspected partner reads and responds.
  {
    route: 'POST /api/v1/projects/:code/inspections',
    allowed: ['agency-auditor'],
    request: () => ({ method: 'post', path: `${P}/inspections`, body: inspectionBody(A, INSPECTION_M) }),
  },
  {
    route: 'GET /api/v1/projects/:code/inspections',
    allowed: ['admin', 'agency-auditor', 'partner-submitter'],
    request: () => ({ method: 'get', path: `${P}/inspections` }),
  },
  {
    route: 'GET /api/v1/projects/:code/inspections/:inspectionId',
    allowed: ['admin', 'agency-auditor', 'partner-submitter'],
    request: (own) => ({ method: 'get', path: `${P}/inspections/${own.inspection}` }),
  },
  {
    route: 'POST /api/v1/projects/:code/inspections/:inspectionId/findings',
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/inspections/${own.inspection}/findings`,
      body: findingBody('F-M'),
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/inspections/:inspectionId/findings/:findingId/response',
    allowed: ['partner-submitter'],
    request: (own) => ({
      method: 'post',
      path: `${P}/inspections/${own.inspection}/findings/F-R/response`,
      body: { response: 'Ištaisyta', respondedOn: '2024-06-01' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/inspections/:inspectionId/findings/:findingId/resolve',
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/inspections/${own.inspection}/findings/F-S/resolve`,
      body: { resolvedOn: '2024-06-01' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/inspections/:inspectionId/findings/:findingId/escalate',
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/inspections/${own.inspection}/findings/F-E/escalate`,
      body: { escalatedOn: '2024-06-01', reason: 'Terminas praleistas' },
    }),
  },
  // Certificates (issue #19 item 2): the agency records them, the certified partner reads its own.
  {
    route: 'POST /api/v1/projects/:code/certifications',
    allowed: ['agency-auditor'],
    request: () => ({
      method: 'post',
      path: `${P}/certifications`,
      body: certificateBody(A, '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b'),
    }),
  },
  {
    route: 'GET /api/v1/projects/:code/certifications',
    allowed: ['admin', 'agency-auditor', 'partner-submitter'],
    request: () => ({ method: 'get', path: `${P}/certifications` }),
  },
  {
    route: 'GET /api/v1/projects/:code/certifications/:certificateId',
    allowed: ['admin', 'agency-auditor', 'partner-submitter'],
    request: (own) => ({ method: 'get', path: `${P}/certifications/${own.certificate}` }),
  },
  {
    route: 'POST /api/v1/projects/:code/certifications/:certificateId/renewal',
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/certifications/${own.certificate}/renewal`,
      body: { renewedOn: '2024-06-01', validTo: '2027-03-23', certificateRef: 'EQUASS-A-2024-9' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/certifications/:certificateId/withdrawal',
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/certifications/${own.certificate}/withdrawal`,
      body: { withdrawnOn: '2024-06-01', reason: 'Atšaukė sertifikuojanti įstaiga' },
    }),
  },
  // Surveys (issue #19 item 3): aggregated results, recorded by the agency, read by their partner.
  {
    route: 'POST /api/v1/projects/:code/surveys',
    allowed: ['agency-auditor'],
    request: () => ({
      method: 'post',
      path: `${P}/surveys`,
      body: { ...surveyResults, surveyId: '8b9c0d1e-2f3a-4b4c-8d5e-6f7a8b9c0d1e', partnerId: A },
    }),
  },
  {
    route: 'GET /api/v1/projects/:code/surveys',
    allowed: ['admin', 'agency-auditor', 'partner-submitter'],
    request: () => ({ method: 'get', path: `${P}/surveys` }),
  },
  {
    route: 'GET /api/v1/projects/:code/surveys/:surveyId',
    allowed: ['admin', 'agency-auditor', 'partner-submitter'],
    request: (own) => ({ method: 'get', path: `${P}/surveys/${own.survey}` }),
  },
  {
    route: 'POST /api/v1/projects/:code/surveys/:surveyId/corrections',
    allowed: ['agency-auditor'],
    request: (own) => ({
      method: 'post',
      path: `${P}/surveys/${own.survey}/corrections`,
      body: {
        ...surveyResults,
        respondents: 6,
        questions: [{ ...SURVEY_Q, distribution: { satisfied: 6 } }],
        reason: 'Perskaičiuota',
      },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/surveys/:surveyId/void',
    allowed: ['agency-auditor'],
    request: (own) => ({ method: 'post', path: `${P}/surveys/${own.survey}/void`, body: { reason: 'Per klaidą' } }),
  },
  // Good-practice indicators (issue #19 item 6) and the planned places they measure capacity against.
  {
    route: 'GET /api/v1/projects/:code/good-practice',
    allowed: ['admin', 'agency-auditor', 'partner-submitter'],
    request: () => ({ method: 'get', path: `${P}/good-practice` }),
  },
  {
    route: 'PUT /api/v1/projects/:code/planned-places/:partnerId',
    allowed: ['admin'],
    request: () => ({ method: 'put', path: `${P}/planned-places/${A}`, body: { places: 40 } }),
  },
  // Workforce (issue #19 item 4): each partner records its own stream (workers W-FIX, W-LEAVE and
  // vacant position P-FIX are set up for both); the agency and admin read, naming the partner.
  {
    route: 'POST /api/v1/projects/:code/workforce/workers',
    allowed: ['partner-submitter'],
    request: () => ({ method: 'post', path: `${P}/workforce/workers`, body: WORKER_M }),
  },
  {
    route: 'POST /api/v1/projects/:code/workforce/workers/:workerRef/assignments',
    allowed: ['partner-submitter'],
    request: () => ({
      method: 'post',
      path: `${P}/workforce/workers/W-FIX/assignments`,
      body: { teamRef: 'T-2', assignedOn: '2024-03-01' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/workforce/workers/:workerRef/departure',
    allowed: ['partner-submitter'],
    request: () => ({
      method: 'post',
      path: `${P}/workforce/workers/W-LEAVE/departure`,
      body: { leftOn: '2024-05-31' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/workforce/positions',
    allowed: ['partner-submitter'],
    request: () => ({
      method: 'post',
      path: `${P}/workforce/positions`,
      body: { positionRef: 'P-M', teamRef: 'T-1', role: 'assistant', vacatedOn: '2024-05-02' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/workforce/positions/:positionRef/fill',
    allowed: ['partner-submitter'],
    request: () => ({
      method: 'post',
      path: `${P}/workforce/positions/P-FIX/fill`,
      body: { workerRef: 'W-FIX', filledOn: '2024-05-03' },
    }),
  },
  {
    route: 'POST /api/v1/projects/:code/service-endings',
    allowed: ['partner-submitter'],
    request: () => ({
      method: 'post',
      path: `${P}/service-endings`,
      body: { recipient: { personalCode: PERSON }, endedOn: '2024-06-01', reason: 'moved-away' },
    }),
  },
  {
    route: 'GET /api/v1/projects/:code/workforce',
    allowed: ['admin', 'agency-auditor', 'partner-submitter'],
    request: () => ({ method: 'get', path: `${P}/workforce` }),
  },
  {
    route: 'GET /api/v1/projects/:code/coordinator-reports',
    allowed: ['admin', 'agency-auditor', 'partner-submitter'],
    request: () => ({ method: 'get', path: `${P}/coordinator-reports?period=2024-Q2` }),
  },
];
const SURVEY_Q = { questionId: 'Q1', text: 'Ar esate patenkinti?', distribution: { satisfied: 4, neutral: 1 } };
const surveyResults = {
  respondentGroup: 'family-members',
  periodFrom: '2024-04-01',
  periodTo: '2024-05-31',
  respondents: 5,
  questions: [SURVEY_Q],
};
const certificateBody = (partnerId: string, certificateId: string) => ({
  certificateId,
  partnerId,
  scheme: 'equass-assurance',
  services: ['care'],
  validFrom: '2023-03-24',
  validTo: '2025-03-23',
  certifyingBody: 'EQUASS (EPR)',
  certificateRef: 'EQUASS-A-2023-1',
});
const WORKER_M = { workerRef: 'W-M', teamRef: 'T-1', role: 'assistant', startedOn: '2024-02-01' };
/** The reference project with two lump sums of partner A (the deliverables rows). */
const lumpSum = (id: string) => ({
  id,
  title: 'Pristatymas',
  categoryId: 'services',
  partnerId: A,
  amount: '100.00',
  deliverable: 'a signed plan',
});
const WITH_LUMP_SUMS = { ...REFERENCE, simplifiedCosts: { lumpSums: [lumpSum('ls-record'), lumpSum('ls-pending')] } };
const INSPECTION_M = '9d0e6c1a-3b2f-4e5d-8a7b-6c5d4e3f2a10';
const inspectionBody = (partnerId: string, inspectionId: string) => ({
  inspectionId,
  partnerId,
  kind: 'planned',
  scope: 'Integrali pagalba namuose',
  standards: ['equass-rights'],
  startedOn: '2024-05-02',
  endedOn: '2024-05-03',
  inspectorRefs: ['INSP-07'],
});
const findingBody = (findingId: string) => ({
  findingId,
  standard: 'equass-rights',
  severity: 'minor',
  description: 'Aprašas neatnaujintas',
  dueOn: '2024-06-30',
});
/** Claims in the state each row's action needs, and a verified cost no claim carries (set up in beforeAll). */
const CLAIMS = { free: '', toWithdraw: '', toSubmit: '', submitted: '', decided: '' };
/** A CSV of promotion events: one good row, one with a date that is no date. */
const IMPORT_CSV =
  'kind;occurredOn;audience;title;attendees\npromotion-event;2024.06.03;community;Imported day;12\npromotion-event;someday;community;Bad day;3\n';
/**
 * Set up in beforeAll: jobs' Locations (the queue is a real redis-server; a worker runs only to
 * finish the report, before the rebuild is enqueued).
 */
const JOBS = { rebuild: '', report: '', import: '' };

function isAllowed(row: Row, actor: ActorName): boolean {
  if (row.allowed === 'public') return true;
  const role = ROLE_OF[actor];
  return role !== null && row.allowed.includes(role);
}

// ---- the app -----------------------------------------------------------------------------------

describe('access matrix: every route × every actor, and partners kept apart (invariant 2)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let app: NestExpressApplication;
  let base: string;
  let redis: RedisServer;
  const tokens = {} as Record<ActorName, string | undefined>;
  const own = {} as Record<'A' | 'B', Fixtures>;
  const idempotencyKeyOfA = 'visaginas-key-0001';

  const send = (req: Req, token: string | undefined, headers: Record<string, string> = {}) => {
    let r = request(base)[req.method](req.path);
    if (token !== undefined) r = r.set('Authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
    if (req.upload) return r.attach('file', Buffer.from(req.upload.content), req.upload.name);
    return req.body === undefined ? r : r.set('Content-Type', 'application/json').send(req.body as object);
  };
  const as = (actor: ActorName) => tokens[actor];

  async function created(req: Req, token: string, headers: Record<string, string> = {}): Promise<string> {
    const res = await send(req, token, headers);
    if (res.status !== 201)
      throw new Error(`setup ${req.method} ${req.path}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body.activityId ?? res.body.expenditureId) as string;
  }

  /** An inspection of `partnerId` with the three findings its rows act on. */
  async function inspectionOf(partnerId: string, inspectionId: string): Promise<string> {
    const body = inspectionBody(partnerId, inspectionId);
    await send({ method: 'post', path: `${P}/inspections`, body }, tokens.auditor).expect(201);
    for (const f of ['F-R', 'F-S', 'F-E'])
      await send(
        { method: 'post', path: `${P}/inspections/${inspectionId}/findings`, body: findingBody(f) },
        tokens.auditor,
      ).expect(201);
    return inspectionId;
  }

  /** A quality certificate of `partnerId`, valid through the table's days. */
  async function certificateOf(partnerId: string, certificateId: string): Promise<string> {
    const body = certificateBody(partnerId, certificateId);
    await send({ method: 'post', path: `${P}/certifications`, body }, tokens.auditor).expect(201);
    return certificateId;
  }

  /** Survey results of `partnerId`, for the rows that read, correct and void them. */
  async function surveyOf(partnerId: string, surveyId: string): Promise<string> {
    const body = { ...surveyResults, surveyId, partnerId };
    await send({ method: 'post', path: `${P}/surveys`, body }, tokens.auditor).expect(201);
    return surveyId;
  }

  /** The partner's workers W-FIX and W-LEAVE, and its vacant position P-FIX (the workforce rows). */
  async function workforceOf(token: string | undefined): Promise<void> {
    for (const workerRef of ['W-FIX', 'W-LEAVE'])
      await send({ method: 'post', path: `${P}/workforce/workers`, body: { ...WORKER_M, workerRef } }, token).expect(
        201,
      );
    const vacancy = { positionRef: 'P-FIX', teamRef: 'T-1', role: 'assistant', vacatedOn: '2024-05-02' };
    await send({ method: 'post', path: `${P}/workforce/positions`, body: vacancy }, token).expect(201);
  }

  async function fixturesOf(
    token: string,
    headersOfFirst: Record<string, string> = {},
  ): Promise<Omit<Fixtures, 'inspection' | 'certificate' | 'survey'>> {
    const activity = {} as Record<Kind, string>;
    for (const kind of KINDS) {
      activity[kind] = await created(
        { method: 'post', path: `${P}/activities/${kind}`, body: activityBody(kind, '2024-05-10') },
        token,
        kind === 'service-deliveries' ? headersOfFirst : {},
      );
    }
    const voidable = await created(
      {
        method: 'post',
        path: `${P}/activities/promotion-events`,
        body: activityBody('promotion-events', '2024-04-02'),
      },
      token,
    );
    const restatements: [string, string] = [
      await created(
        { method: 'post', path: `${P}/activities/trainings`, body: activityBody('trainings', '2023-05-10') },
        token,
      ),
      await created(
        { method: 'post', path: `${P}/activities/trainings`, body: activityBody('trainings', '2023-05-11') },
        token,
      ),
    ];
    const expenditure = await created({ method: 'post', path: `${P}/expenditures`, body: EXPENDITURE }, token);
    const voidableExpenditure = await created(
      { method: 'post', path: `${P}/expenditures`, body: { ...EXPENDITURE, documentRef: 'INV-2024-002' } },
      token,
    );
    const equipmentInvoice = await created(
      {
        method: 'post',
        path: `${P}/expenditures`,
        body: { ...EXPENDITURE, categoryId: 'equipment', amount: '3000.00', documentRef: 'INV-2024-003' },
      },
      token,
    );
    return { activity, voidable, restatements, expenditure, voidableExpenditure, equipmentInvoice };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-access-'));
    redis = await startRedisServer();
    const config = {
      ...loadApiConfig({
        REDIS_URL: redis.url,
        LEDGER_JWT_SECRET: SECRET,
        DATA_DIR: dir,
        BODY_LIMIT_BYTES: '65536',
        LEDGER_PSEUDONYM_KEY: '1'.repeat(64),
        LEDGER_PROFILE_MASTER_KEY: '2'.repeat(64),
        // On, so that the table reaches the demo sign-in's success path.
        LEDGER_DEMO_USERS: 'on',
      }),
      // Off: this file sends a few hundred requests per token; the limiter has its own tests.
      rateLimitReadsPerMinute: 0,
      rateLimitWritesPerMinute: 0,
      rateLimitAnonymousPerMinute: 0,
    };
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    // A checkpoint key (LEDGER_CHECKPOINT_KEY_FILE's), so that the admin checkpoint route can succeed.
    const checkpoints = { key: generateKeyPairSync('ed25519').privateKey, everyEvents: 1e8, everyMs: 864e5 };
    app = await createApiApp({ config, eventStore: store, clock: { now: () => TODAY }, logger: false, checkpoints });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();

    const s = { secret: SECRET, issuer: config.jwtIssuer };
    tokens.admin = await mintToken(s, { subject: 'admin-1', role: 'admin' });
    tokens.auditor = await mintToken(s, { subject: 'auditor-1', role: 'agency-auditor' });
    tokens.finance = await mintToken(s, { subject: 'finance-1', role: 'finance-officer' });
    tokens.partnerA = await mintToken(s, { subject: 'visaginas-user', role: 'partner-submitter', partnerId: A });
    tokens.partnerB = await mintToken(s, { subject: 'utena-user', role: 'partner-submitter', partnerId: B });
    tokens['no token'] = undefined;
    // Right secret, issuer and audience, but expired ten minutes ago (beyond any clock tolerance).
    const nowSeconds = Math.floor(Date.now() / 1000);
    tokens.expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('admin-1')
      .setIssuer(config.jwtIssuer)
      .setAudience(DEFAULT_AUDIENCE)
      .setIssuedAt(nowSeconds - 7200)
      .setExpirationTime(nowSeconds - 600)
      .sign(new TextEncoder().encode(SECRET));
    // An admin token signed with a key the ledger does not know.
    tokens.forged = await mintToken(
      { secret: 'not-the-ledger-secret-but-long-enough-0000', issuer: config.jwtIssuer },
      { subject: 'admin-1', role: 'admin' },
    );

    await send({ method: 'post', path: '/api/v1/projects', body: WITH_LUMP_SUMS }, tokens.admin).expect(201);
    await send({ method: 'post', path: `${P}/partners`, body: UTENA }, tokens.admin).expect(201);
    // A deliverable awaiting finance's verdict (the verify row), recorded by partner A.
    const pending = { lumpSumId: 'ls-pending', achievedOn: '2024-05-10', note: 'signed minutes' };
    await send({ method: 'post', path: `${P}/deliverables`, body: pending }, tokens.partnerA).expect(201);
    own.A = {
      ...(await fixturesOf(tokens.partnerA, { 'Idempotency-Key': idempotencyKeyOfA })),
      inspection: await inspectionOf(A, '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'),
      certificate: await certificateOf(A, '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f'),
      survey: await surveyOf(A, '6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c'),
    };
    own.B = {
      ...(await fixturesOf(tokens.partnerB)),
      inspection: await inspectionOf(B, '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e'),
      certificate: await certificateOf(B, '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a'),
      survey: await surveyOf(B, '7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d'),
    };
    for (const token of [tokens.partnerA, tokens.partnerB]) await workforceOf(token);
    for (const who of ['A', 'B'] as const)
      await send(
        {
          method: 'post',
          path: `${P}/evidence/expenditures/${own[who].expenditure}`,
          upload: { name: 'invoice.pdf', content: EVIDENCE_PDF },
        },
        who === 'A' ? tokens.partnerA : tokens.partnerB,
      ).expect(201);
    const worker = await startReportWorker(redis.url, app, dir);
    const report = await send({ method: 'post', path: `${P}/reports`, body: { format: 'xlsx' } }, tokens.admin);
    JOBS.report = report.headers.location!;
    await finishedJob(base, JOBS.report, { Authorization: `Bearer ${tokens.admin}` });
    const imported = await send(
      { method: 'post', path: `${P}/imports`, upload: { name: 'events.csv', content: IMPORT_CSV } },
      tokens.partnerA,
    ).expect(202);
    JOBS.import = imported.headers.location!;
    await finishedImport(base, JOBS.import, { Authorization: `Bearer ${tokens.partnerA}` });
    await worker.close();
    const job = await send({ method: 'post', path: '/api/v1/admin/jobs/rebuild', body: {} }, tokens.admin).expect(202);
    JOBS.rebuild = job.headers.location!;
    // Two of A's records in a locked quarter, each with a restatement awaiting the agency.
    await send({ method: 'post', path: `${P}/periods/2023-Q2/lock`, body: {} }, tokens.auditor).expect(201);
    for (const id of own.A.restatements) {
      await send(
        {
          method: 'post',
          path: `${P}/activities/trainings/${id}/corrections`,
          body: correction('trainings', '2023-05-12'),
        },
        tokens.partnerA,
      ).expect(201);
    }
    await setUpClaims();
  });

  /** Five verified costs of A's: one free, one per claim, each claim brought to the state its row needs. */
  async function setUpClaims(): Promise<void> {
    const cost = async (n: number) => {
      const id = await created(
        { method: 'post', path: `${P}/expenditures`, body: { ...EXPENDITURE, documentRef: `INV-CLAIM-${n}` } },
        tokens.partnerA!,
      );
      const verify = {
        method: 'post' as const,
        path: `${P}/expenditures/${id}/verify`,
        body: { eligible: '1234.56', ineligible: '0.00' },
      };
      await send(verify, tokens.finance).expect(201);
      return id;
    };
    const compose = async (n: number) =>
      (
        await send(
          { method: 'post', path: `${P}/claims`, body: { period: '2024-Q2', expenditureIds: [await cost(n)] } },
          tokens.finance,
        ).expect(201)
      ).body.claimId as string;
    const act = (claimId: string, action: string, body: object) =>
      send({ method: 'post', path: `${P}/claims/${claimId}/${action}`, body }, tokens.finance).expect(201);
    CLAIMS.free = await cost(0);
    CLAIMS.toWithdraw = await compose(1);
    CLAIMS.toSubmit = await compose(2);
    CLAIMS.submitted = await compose(3);
    await act(CLAIMS.submitted, 'submit', { submittedOn: '2024-06-15' });
    CLAIMS.decided = await compose(4);
    await act(CLAIMS.decided, 'submit', { submittedOn: '2024-06-15' });
    await act(CLAIMS.decided, 'decision', { decidedOn: '2024-06-15', total: { outcome: 'accepted' } });
    await act(CLAIMS.decided, 'reimbursements', { amount: '100.00', paidOn: '2024-06-15' });
    const advance = { advanceId: 'ADV-M-1', amount: '500.00', paidOn: '2024-01-15' };
    await send({ method: 'post', path: `${P}/advances`, body: advance }, tokens.finance).expect(201);
  }

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a request and reports whether the event store's head moved. */
  async function observe(act: () => PromiseLike<request.Response>) {
    const before = await store.headPosition();
    const res = await act();
    const after = await store.headPosition();
    return { res, moved: after !== before };
  }

  it('the table lists every route the API serves, and nothing else', () => {
    const router = (app.getHttpAdapter().getInstance() as { router: { stack: unknown[] } }).router;
    const served = new Set<string>();
    for (const layer of router.stack as { route?: { path: string; methods: Record<string, boolean> } }[]) {
      if (!layer.route || layer.route.path.startsWith('/api/docs')) continue;
      for (const [m, on] of Object.entries(layer.route.methods))
        if (on && m !== '_all') served.add(`${m.toUpperCase()} ${layer.route.path}`);
    }
    expect([...served].sort()).toEqual(ROWS.map((r) => r.route).sort());
  });

  describe('role checks: allowed → 2xx or a domain 4xx; refused → 401/403 and nothing written', () => {
    const cells = ROWS.flatMap((row) => ACTORS.map((actor) => [row.route, actor, row] as const));
    /** Status of every allowed cell, per route: the table must exercise each route's success path. */
    const allowedStatuses = new Map<string, Record<string, number>>();
    it.each(cells)('%s as %s', async (_route, actor, row) => {
      const req = row.request(actor === 'partnerB' ? own.B : own.A);
      const { res, moved } = await observe(() => send(req, as(actor)));
      expect(res.status).toBeLessThan(500);
      if (isAllowed(row, actor)) {
        const ok =
          (res.status >= 200 && res.status < 300) ||
          (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403);
        expect({ status: res.status, body: res.body, ok }).toMatchObject({ ok: true });
        allowedStatuses.set(row.route, { ...allowedStatuses.get(row.route), [actor]: res.status });
        if (res.status >= 400 || req.method === 'get') expect(moved).toBe(false);
      } else {
        expect(res.status).toBe(ROLE_OF[actor] === null ? 401 : 403);
        expect(res.body).toMatchObject({ statusCode: res.status, message: expect.any(String) });
        expect(moved).toBe(false);
      }
    });

    it('every route answered 2xx to at least one allowed actor (the table reaches each success path)', () => {
      const withoutSuccess = ROWS.filter(
        (r) => !Object.values(allowedStatuses.get(r.route) ?? {}).some((st) => st >= 200 && st < 300),
      ).map((r) => [r.route, allowedStatuses.get(r.route)]);
      expect(withoutSuccess).toEqual([]);
    });
  });

  describe('partner B with partner A’s ids in the path: 404 as for a record that does not exist, nothing written', () => {
    const view = (kind: Kind | 'expenditure', who: 'A' | 'B') =>
      kind === 'expenditure'
        ? `${P}/expenditures/${own[who].expenditure}`
        : `${P}/activities/${own[who].activity[kind]}`;

    it.each([...KINDS, 'expenditure' as const])('GET %s of A', async (kind) => {
      const { res, moved } = await observe(() => send({ method: 'get', path: view(kind, 'A') }, as('partnerB')));
      expect(moved).toBe(false);
      expect(res.status).toBe(404);
      const missing = kind === 'expenditure' ? `${P}/expenditures/${randomUUID()}` : `${P}/activities/${randomUUID()}`;
      const absent = await send({ method: 'get', path: missing }, as('partnerB'));
      expect(res.body).toEqual(absent.body);
      expect(JSON.stringify(res.body)).not.toContain(A);
      // A itself still sees it.
      await send({ method: 'get', path: view(kind, 'A') }, as('partnerA')).expect(200);
    });

    const writes: [string, () => Req][] = [
      ...KINDS.map((kind): [string, () => Req] => [
        `correct A's ${kind}`,
        () => ({
          method: 'post',
          path: `${P}/activities/${kind}/${own.A.activity[kind]}/corrections`,
          body: correction(kind, '2024-05-12'),
        }),
      ]),
      ...KINDS.map((kind): [string, () => Req] => [
        `void A's ${kind}`,
        () => ({ method: 'post', path: `${P}/activities/${own.A.activity[kind]}/void`, body: REASON }),
      ]),
      [
        "correct A's expenditure",
        () => ({
          method: 'post',
          path: `${P}/expenditures/${own.A.expenditure}/corrections`,
          body: EXPENDITURE_CORRECTION,
        }),
      ],
      [
        "void A's expenditure",
        () => ({ method: 'post', path: `${P}/expenditures/${own.A.expenditure}/void`, body: REASON }),
      ],
      [
        "link B's equipment to A's expenditure",
        () => ({
          method: 'post',
          path: `${P}/expenditures/${own.A.equipmentInvoice}/equipment`,
          body: { activityId: own.B.activity['equipment-procurements'] },
        }),
      ],
    ];

    it("B linking A's equipment to its own expenditure is answered as for a record that does not exist", async () => {
      const link = (activityId: string) => ({
        method: 'post' as const,
        path: `${P}/expenditures/${own.B.equipmentInvoice}/equipment`,
        body: { activityId },
      });
      const theirs = await observe(() => send(link(own.A.activity['equipment-procurements']), as('partnerB')));
      const none = await observe(() => send(link(randomUUID()), as('partnerB')));
      expect([theirs.moved, none.moved]).toEqual([false, false]);
      expect(theirs.res.status).toBe(422);
      expect(theirs.res.body.issues).toEqual(
        none.res.body.issues.map((i: object) => ({ ...i, value: expect.anything() })),
      );
      expect(theirs.res.body.issues[0]).toMatchObject({ field: 'activityId', rule: 'own-equipment-record' });
    });
    it.each(writes)('%s', async (_name, build) => {
      const req = build();
      const { res, moved } = await observe(() => send(req, as('partnerB')));
      expect(moved).toBe(false);
      expect({ status: res.status, body: res.body }).toEqual({
        status: 404,
        body: expect.objectContaining({ statusCode: 404, message: expect.any(String) }),
      });
      expect(JSON.stringify(res.body)).not.toContain(A);
    });

    const voidOfA = (): Req => ({
      method: 'post',
      path: `${P}/activities/${own.A.activity['service-deliveries']}/void`,
      body: REASON,
    });
    const expect404 = (res: request.Response) =>
      // Anything but 404 tells B that A's record exists (and a 412 tells it A's revision).
      expect({ status: res.status, body: res.body }).toEqual({
        status: 404,
        body: expect.objectContaining({ statusCode: 404 }),
      });

    it('void of A’s record with If-Match of its actual revision (A’s ETag)', async () => {
      const etag = (
        await send({ method: 'get', path: voidOfA().path.replace(/\/void$/, '') }, as('partnerA')).expect(200)
      ).headers.etag as string;
      const { res, moved } = await observe(() => send(voidOfA(), as('partnerB'), { 'If-Match': etag }));
      expect(moved).toBe(false);
      expect404(res);
    });

    it.each([
      ['If-Match "99" (a revision the record is not at)', { 'If-Match': '"99"' }],
      ['the Idempotency-Key A used when recording it', { 'Idempotency-Key': idempotencyKeyOfA }],
    ])('void of A’s record with %s', async (_name, headers) => {
      const { res, moved } = await observe(() => send(voidOfA(), as('partnerB'), headers));
      expect(moved).toBe(false);
      expect404(res);
    });

    it.each([
      [
        'correction of A’s activity',
        (): Req => ({
          method: 'post',
          path: `${P}/activities/trainings/${own.A.activity.trainings}/corrections`,
          body: correction('trainings', '2024-05-13'),
        }),
      ],
      [
        'correction of A’s expenditure',
        (): Req => ({
          method: 'post',
          path: `${P}/expenditures/${own.A.expenditure}/corrections`,
          body: EXPENDITURE_CORRECTION,
        }),
      ],
      [
        'void of A’s expenditure',
        (): Req => ({ method: 'post', path: `${P}/expenditures/${own.A.expenditure}/void`, body: REASON }),
      ],
    ])('%s with If-Match "99"', async (_name, build) => {
      const { res, moved } = await observe(() => send(build(), as('partnerB'), { 'If-Match': '"99"' }));
      expect(moved).toBe(false);
      expect404(res);
    });

    it('evidence: B attaching to or reading the file of A’s expenditure gets 404, nothing stored or written', async () => {
      const upload = await observe(() =>
        send(
          {
            method: 'post',
            path: `${P}/evidence/expenditures/${own.A.expenditure}`,
            upload: { name: 'b.pdf', content: `${EVIDENCE_PDF}% B` },
          },
          as('partnerB'),
        ),
      );
      expect(upload.moved).toBe(false);
      expect404(upload.res);
      const read = await observe(() =>
        send(
          { method: 'get', path: `${P}/evidence/expenditures/${own.A.expenditure}/${EVIDENCE_SHA}` },
          as('partnerB'),
        ),
      );
      expect404(read.res);
    });

    it.each([
      ['verify', () => `${P}/activities/${own.A.activity.trainings}/verify`, {}],
      ['reject', () => `${P}/activities/${own.A.activity.trainings}/reject`, REASON],
      ['approve a restatement', () => `${P}/activities/${own.A.restatements[0]}/restatement/approve`, {}],
      ['decline a restatement', () => `${P}/activities/${own.A.restatements[1]}/restatement/decline`, REASON],
      [
        'verify expenditure',
        () => `${P}/expenditures/${own.A.expenditure}/verify`,
        { eligible: '1234.56', ineligible: '0.00' },
      ],
    ])('%s on A’s record is refused by role (403), nothing written', async (_name, path, body) => {
      const { res, moved } = await observe(() => send({ method: 'post', path: path(), body }, as('partnerB')));
      expect(moved).toBe(false);
      expect(res.status).toBe(403);
    });
  });

  describe('partner B with partner A’s ids in the body', () => {
    const submissions: [string, string, Record<string, unknown>][] = [
      ...KINDS.map((kind): [string, string, Record<string, unknown>] => [
        kind,
        `${P}/activities/${kind}`,
        activityBody(kind, '2024-06-03'),
      ]),
      ['expenditure', `${P}/expenditures`, { ...EXPENDITURE, documentRef: 'INV-B-X' }],
    ];

    it.each(submissions)('%s with partnerId of A: 403 naming partnerId, nothing written', async (_n, path, body) => {
      const { res, moved } = await observe(() =>
        send({ method: 'post', path, body: { ...body, partnerId: A } }, as('partnerB')),
      );
      expect(moved).toBe(false);
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('partnerId');
      expect(res.body.issues).toEqual([expect.objectContaining({ field: 'partnerId', rule: 'own-partner' })]);
    });

    it.each(submissions)('%s with a partnerId of no partner: 403, nothing written', async (_n, path, body) => {
      const { res, moved } = await observe(() =>
        send({ method: 'post', path, body: { ...body, partnerId: 'nobody-spc' } }, as('partnerB')),
      );
      expect(moved).toBe(false);
      expect(res.status).toBe(403);
      expect(res.body.issues).toEqual([expect.objectContaining({ field: 'partnerId' })]);
    });

    it('its own partnerId in the body is accepted', async () => {
      const { res, moved } = await observe(() =>
        send(
          {
            method: 'post',
            path: `${P}/activities/promotion-events`,
            body: { ...activityBody('promotion-events', '2024-06-04'), partnerId: B },
          },
          as('partnerB'),
        ),
      );
      expect(res.status).toBe(201);
      expect(moved).toBe(true);
    });

    it.each(KINDS)('%s under the activityId of A’s record: refused, A’s record untouched', async (kind) => {
      const id = own.A.activity[kind];
      const before = await send({ method: 'get', path: `${P}/activities/${id}` }, as('partnerA')).expect(200);
      const { res, moved } = await observe(() =>
        send(
          {
            method: 'post',
            path: `${P}/activities/${kind}`,
            body: { ...activityBody(kind, '2024-05-10'), activityId: id },
          },
          as('partnerB'),
        ),
      );
      expect(moved).toBe(false);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.stringify(res.body)).not.toContain(A);
      const after = await send({ method: 'get', path: `${P}/activities/${id}` }, as('partnerA')).expect(200);
      expect(after.body).toEqual(before.body);
    });

    it('an expenditure under the expenditureId of A’s: refused, A’s untouched', async () => {
      const id = own.A.expenditure;
      const before = await send({ method: 'get', path: `${P}/expenditures/${id}` }, as('partnerA')).expect(200);
      const { res, moved } = await observe(() =>
        send(
          { method: 'post', path: `${P}/expenditures`, body: { ...EXPENDITURE, expenditureId: id } },
          as('partnerB'),
        ),
      );
      expect(moved).toBe(false);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.stringify(res.body)).not.toContain(A);
      const after = await send({ method: 'get', path: `${P}/expenditures/${id}` }, as('partnerA')).expect(200);
      expect(after.body).toEqual(before.body);
    });
  });

  describe('ids in the query string change nothing', () => {
    const q = `?partnerId=${A}&partner=${A}&actor=${A}`;

    // A read takes no partner: the parameters are refused by name (never ignored), before any lookup.
    const refusedAsUnknown = (res: request.Response) => {
      expect(res.status).toBe(400);
      expect(res.body.issues.map((i: { field: string; rule: string }) => [i.field, i.rule])).toEqual([
        ['partnerId', 'unknown-parameter'],
        ['partner', 'unknown-parameter'],
        ['actor', 'unknown-parameter'],
      ]);
      expect(JSON.stringify(res.body)).not.toContain(A);
    };

    it('B reading its own records with ?partnerId=A is refused naming the parameters, nothing of A in it', async () => {
      for (const path of [`${P}/activities/${own.B.activity.trainings}`, `${P}/expenditures/${own.B.expenditure}`]) {
        refusedAsUnknown(await send({ method: 'get', path: path + q }, as('partnerB')));
        // Without them, its own record as before.
        const plain = await send({ method: 'get', path }, as('partnerB')).expect(200);
        expect(plain.body.partnerId ?? plain.body.state?.partnerId).toBe(B);
      }
    });

    it('B reading the budget gets its own only; naming A is refused with 403 own-partner (issue #18 item 7)', async () => {
      const ownBudget = await send({ method: 'get', path: `${P}/budget` }, as('partnerB')).expect(200);
      expect(ownBudget.body.partnerId).toBe(B);
      expect(JSON.stringify(ownBudget.body)).not.toContain(A);
      const dated = await send({ method: 'get', path: `${P}/budget?from=2024-01-01` }, as('partnerB')).expect(200);
      expect(JSON.stringify(dated.body)).not.toContain(A);
      const theirs = await send({ method: 'get', path: `${P}/budget?partnerId=${A}` }, as('partnerB')).expect(403);
      expect(theirs.body.issues).toEqual([expect.objectContaining({ field: 'partnerId', rule: 'own-partner' })]);
      expect(JSON.stringify(theirs.body)).not.toContain('"lines"');
    });

    it('B reading A’s records with ?partnerId=A gets the answer a missing record gets, nothing written', async () => {
      for (const [path, missing] of [
        [`${P}/activities/${own.A.activity.trainings}`, `${P}/activities/${randomUUID()}`],
        [`${P}/expenditures/${own.A.expenditure}`, `${P}/expenditures/${randomUUID()}`],
      ] as const) {
        const { res, moved } = await observe(() => send({ method: 'get', path: path + q }, as('partnerB')));
        expect(moved).toBe(false);
        refusedAsUnknown(res);
        const absent = await send({ method: 'get', path: missing + q }, as('partnerB'));
        expect(res.body).toEqual(absent.body);
      }
    });

    it('B voiding or correcting A’s records with ?partnerId=A still gets 404, nothing written', async () => {
      const reqs: Req[] = [
        { method: 'post', path: `${P}/activities/${own.A.activity.trainings}/void${q}`, body: REASON },
        {
          method: 'post',
          path: `${P}/activities/trainings/${own.A.activity.trainings}/corrections${q}`,
          body: correction('trainings', '2024-05-14'),
        },
        { method: 'post', path: `${P}/expenditures/${own.A.expenditure}/void${q}`, body: REASON },
      ];
      for (const req of reqs) {
        const { res, moved } = await observe(() => send(req, as('partnerB')));
        expect(moved).toBe(false);
        expect(res.status).toBe(404);
      }
    });

    it('B submitting with ?partnerId=A records in B’s name; A cannot see it', async () => {
      for (const req of [
        {
          method: 'post',
          path: `${P}/activities/caregiver-consultations${q}`,
          body: activityBody('caregiver-consultations', '2024-06-05'),
        },
        { method: 'post', path: `${P}/expenditures${q}`, body: { ...EXPENDITURE, documentRef: 'INV-B-Q' } },
      ] as Req[]) {
        const res = await send(req, as('partnerB')).expect(201);
        const location = res.headers.location as string;
        const id = (res.body.activityId ?? res.body.expenditureId) as string;
        expect(location).toContain(id);
        const mine = await send({ method: 'get', path: location }, as('partnerB')).expect(200);
        expect(mine.body.partnerId ?? mine.body.state?.partnerId).toBe(B);
        const stored = await store.readStream(
          req.path.includes('expenditures') ? expenditureStreamId(id) : activityStreamId(id),
        );
        expect(stored.map((e) => (e.data as { partnerId: string }).partnerId)).toEqual([B]);
        expect(stored[0]!.metadata.actor).toMatchObject({ partnerId: B });
        await send({ method: 'get', path: location }, as('partnerA')).expect(404);
      }
    });
  });

  it('a partner token whose partnerId is edited without the key is refused (401), nothing written', async () => {
    const [header, payload, signature] = as('partnerB')!.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const edited = Buffer.from(JSON.stringify({ ...claims, partnerId: A })).toString('base64url');
    const tampered = `${header}.${edited}.${signature}`;
    const { res, moved } = await observe(() =>
      send({ method: 'post', path: `${P}/activities/${own.A.activity.trainings}/void`, body: REASON }, tampered),
    );
    expect(moved).toBe(false);
    expect(res.status).toBe(401);
    await send({ method: 'get', path: `${P}/activities/${own.A.activity.trainings}` }, tampered).expect(401);
  });
});
