import { conflict, deciderSpec, forbidden, invalid } from '@ihl/testing';
import { DomainNotFoundError } from '../shared/validation';
import { sniffEvidenceType } from './evidence-media-type';
import { sanitiseEvidenceName } from './evidence-name';
import {
  decideEvidence,
  evolveEvidence,
  initialEvidenceState,
  type AttachEvidence,
  type EvidenceActor,
  type EvidenceTarget,
} from './evidence.decider';
import type { EvidenceEvent, EvidenceFile } from './evidence.events';

const PROJECT = '07-003-P-0001';
const VISAGINAS = 'visaginas-spc';
const ID = 'e-0001';
const visaginas: EvidenceActor = { role: 'partner-submitter', partnerId: VISAGINAS };
const utena: EvidenceActor = { role: 'partner-submitter', partnerId: 'utena-spc' };
const finance: EvidenceActor = { role: 'finance-officer' };
const agency: EvidenceActor = { role: 'agency-auditor' };
const admin: EvidenceActor = { role: 'admin' };

const invoice: EvidenceFile = {
  sha256: 'a'.repeat(64),
  sizeBytes: 48_213,
  mediaType: 'application/pdf',
  name: 'PVM-SF-2024-0117.pdf',
};
const timesheet: EvidenceFile = { sha256: 'b'.repeat(64), sizeBytes: 912, mediaType: 'image/png', name: 'kovas.png' };
const declared: EvidenceTarget = { status: 'declared', projectCode: PROJECT, partnerId: VISAGINAS };

const attach = (file: EvidenceFile = invoice, record: EvidenceTarget | null = declared): AttachEvidence => ({
  type: 'AttachEvidence',
  projectCode: PROJECT,
  recordKind: 'expenditure',
  recordId: ID,
  record,
  file,
});
const attached = (file: EvidenceFile = invoice): EvidenceEvent => ({
  type: 'EvidenceAttached',
  data: { projectCode: PROJECT, partnerId: VISAGINAS, recordKind: 'expenditure', recordId: ID, file },
});

const { given } = deciderSpec({
  decide: (state, command: AttachEvidence, actor: EvidenceActor = visaginas) => decideEvidence(state, command, actor),
  evolve: evolveEvidence,
  initialState: initialEvidenceState,
});

describe('evidence decider', () => {
  it('given no evidence, when the partner attaches an invoice to its expenditure, then EvidenceAttached', () => {
    given([]).when(attach()).then([attached()]);
  });

  it('given an invoice attached, when a timesheet is attached, then both are listed in order', () => {
    given([attached()])
      .when(attach(timesheet))
      .then([attached(timesheet)]);
    expect(
      given([attached(), attached(timesheet)])
        .state()
        .files.map((f) => f.name),
    ).toEqual(['PVM-SF-2024-0117.pdf', 'kovas.png']);
  });

  it('given the invoice attached, when the same content is attached again (any name), then nothing changes', () => {
    given([attached()])
      .when(attach({ ...invoice, name: 'copy.pdf' }))
      .then([]);
  });

  it.each([
    ['finance', finance],
    ['the agency', agency],
  ])('given no evidence, when %s attaches to a partner’s record, then it is the partner’s evidence', (_who, actor) => {
    given([]).when(attach(), actor).then([attached()]);
  });

  it('when another partner attaches to the record: not found, as for a record that does not exist', () => {
    given([]).when(attach(), utena).thenThrows(DomainNotFoundError);
    given([]).when(attach(invoice, null)).thenThrows(DomainNotFoundError);
    given([])
      .when(attach(invoice, { ...declared, projectCode: 'another' }))
      .thenThrows(DomainNotFoundError);
  });

  it('when the admin attaches: forbidden (a technical role, not a party to the record)', () => {
    given([]).when(attach(), admin).thenThrows(forbidden('evidence-role'));
  });

  it('given a voided record, when evidence is attached: refused', () => {
    given([])
      .when(attach(invoice, { ...declared, status: 'voided' }))
      .thenThrows(conflict('record-voided'));
  });

  it.each([
    ['a hash that is no SHA-256', { sha256: 'abc' }, 'sha256'],
    ['an empty file', { sizeBytes: 0 }, 'not-empty'],
    ['a type not taken', { mediaType: 'application/x-msdownload' }, 'file-type'],
    ['an empty name', { name: ' ' }, 'name'],
  ])('when the file has %s: refused naming the rule', (_what, patch, rule) => {
    given([])
      .when(attach({ ...invoice, ...patch } as EvidenceFile))
      .thenThrows(invalid('file', rule));
  });
});

describe('evidence media type: by content only', () => {
  it.each([
    ['a PDF', '%PDF-1.7\n', 'application/pdf'],
    ['a PNG', '\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'image/png'],
    ['a JPEG', '\xff\xd8\xff\xe0\0\x10JFIF', 'image/jpeg'],
    ['a Windows executable', 'MZ\x90\0\x03\0\0\0', null],
    ['text that says PDF later', 'hello %PDF-1.7', null],
    ['too short to tell', '%PD', null],
  ])('%s: its first bytes decide', (_what, bytes, type) => {
    expect(sniffEvidenceType(Buffer.from(bytes, 'latin1'))).toBe(type);
  });
});

describe('evidence file names', () => {
  it.each([
    ['C:\\scans\\sąskaita 17.pdf', 'sąskaita 17.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['in"voice\r\n.pdf', 'invoice.pdf'],
    ['  many   spaces .pdf ', 'many spaces .pdf'],
    ['.hidden.pdf', 'hidden.pdf'],
    ['', 'evidence'],
    ['///', 'evidence'],
  ])('%j is kept as %j', (original, kept) => {
    expect(sanitiseEvidenceName(original)).toBe(kept);
  });

  it('a long name is cut at 120 characters', () => {
    expect([...sanitiseEvidenceName('ž'.repeat(300))]).toHaveLength(120);
  });
});
