// Files of evidence (issue #18 item 5): a PDF and a PNG attached to records, checked by content,
// stored once by their SHA-256 beside the ledger, served only to those who may read the record.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const EXE = Buffer.from(
  'MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 this program cannot be run',
  'latin1',
);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under DATA_DIR/evidence, with its mode. */
function storedFiles(dir: string): { name: string; mode: number; bytes: Buffer }[] {
  const root = join(dir, 'evidence');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((d) =>
    readdirSync(join(root, d)).map((name) => ({
      name,
      mode: statSync(join(root, d, name)).mode & 0o777,
      bytes: readFileSync(join(root, d, name)),
    })),
  );
}

describe('evidence files', () => {
  let t: LedgerTestApp;
  let cost: string;
  let visit: string;
  let utenaCost: string;

  beforeAll(async () => {
    t = await startLedgerTestApp(new Date('2024-06-15T10:00:00Z'), { LEDGER_EVIDENCE_MAX_BYTES: '4096' });
    await seedProject(t);
    const declare = async (who: 'partnerA' | 'partnerB') =>
      (
        await request(t.base)
          .post(url('/expenditures'))
          .set(t.as(who))
          .send({
            categoryId: 'equipment',
            amount: '1234.57',
            occurredOn: '2024-03-18',
            documentRef: 'INV-2024-0042',
            description: 'Hoist slings',
          })
          .expect(201)
      ).body.expenditureId as string;
    cost = await declare('partnerA');
    utenaCost = await declare('partnerB');
    visit = (
      await request(t.base)
        .post(url('/activities/promotion-events'))
        .set(t.as('partnerA'))
        .send({ occurredOn: '2024-05-02', audience: 'community', title: 'Open day', attendees: 40 })
        .expect(201)
    ).body.activityId as string;
  });
  afterAll(() => t.close());

  const upload = (path: string, who: 'partnerA' | 'partnerB' | 'finance' | 'admin', bytes: Buffer, name: string) =>
    request(t.base)
      .post(url(`/evidence/${path}`))
      .set(t.as(who))
      .attach('file', bytes, name);

  it('a PDF invoice on an expenditure: 201, stored 0600 under its SHA-256, the event carrying the same hash', async () => {
    const res = await upload(`expenditures/${cost}`, 'partnerA', PDF, 'C:\\scans\\sąskaita "17".pdf').expect(201);
    expect(res.body).toMatchObject({
      recordKind: 'expenditure',
      recordId: cost,
      sha256: sha(PDF),
      sizeBytes: PDF.length,
      mediaType: 'application/pdf',
      name: 'sąskaita 17.pdf',
      href: url(`/evidence/expenditures/${cost}/${sha(PDF)}`),
      streamId: `evidence-expenditure-${cost}`,
      revision: 0,
    });
    const files = storedFiles(t.dir);
    expect(files.map((f) => [f.name, f.mode])).toEqual([[sha(PDF), 0o600]]);
    expect(readFileSync(join(t.dir, 'evidence', sha(PDF).slice(0, 2), sha(PDF)))).toEqual(PDF);
    const [event] = await t.store.readStream(`evidence-expenditure-${cost}`);
    expect(event).toMatchObject({ type: 'EvidenceAttached', data: { file: { sha256: sha(PDF) } } });
    const onDisk = storedFiles(t.dir).find((f) => f.name === (event!.data as { file: { sha256: string } }).file.sha256);
    expect(sha(onDisk!.bytes)).toBe(sha(PDF));
  });

  it('a PNG timesheet on an activity by finance; the record answers list it with who and when', async () => {
    await upload(`activities/${visit}`, 'finance', PNG, 'lankomumas.png').expect(201);
    const view = await request(t.base)
      .get(url(`/activities/${visit}`))
      .set(t.as('partnerA'))
      .expect(200);
    expect(view.body.evidence).toEqual([
      expect.objectContaining({
        sha256: sha(PNG),
        mediaType: 'image/png',
        name: 'lankomumas.png',
        sizeBytes: PNG.length,
      }),
    ]);
    expect(view.body.evidence[0].actor).toMatchObject({ role: 'finance-officer' });
    const cost_ = await request(t.base)
      .get(url(`/expenditures/${cost}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(cost_.body.evidence.map((e: { sha256: string }) => e.sha256)).toEqual([sha(PDF)]);
    expect(cost_.body.revision).toBe(0); // attaching moved no record revision
  });

  it('the file is served as an attachment, never sniffed, byte for byte', async () => {
    const res = await request(t.base)
      .get(url(`/evidence/expenditures/${cost}/${sha(PDF)}`))
      .set(t.as('finance'))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="saskaita 17.pdf"; filename*=UTF-8''${encodeURIComponent('sąskaita 17.pdf')}`,
    );
    expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0);
  });

  it('the same file twice (another name, another record) is stored once; on the same record it is no change', async () => {
    const before = storedFiles(t.dir).length;
    await upload(`activities/${visit}`, 'partnerA', PDF, 'copy.pdf').expect(201);
    const again = await upload(`expenditures/${cost}`, 'partnerA', PDF, 'again.pdf').expect(200);
    expect(again.body.revision).toBe(0);
    expect(storedFiles(t.dir).length).toBe(before);
    expect(
      storedFiles(t.dir)
        .map((f) => f.name)
        .sort(),
    ).toEqual([sha(PDF), sha(PNG)].sort());
  });

  it('an executable named .pdf and declared application/pdf: 415 naming the rule, nothing stored or written', async () => {
    const head = await t.store.headPosition();
    const res = await request(t.base)
      .post(url(`/evidence/expenditures/${cost}`))
      .set(t.as('partnerA'))
      .attach('file', EXE, { filename: 'invoice.pdf', contentType: 'application/pdf' })
      .expect(415);
    expect(res.body.issues).toEqual([expect.objectContaining({ field: 'file', rule: 'file-type' })]);
    expect(storedFiles(t.dir).some((f) => f.name === sha(EXE))).toBe(false);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('a file over the limit (LEDGER_EVIDENCE_MAX_BYTES=4096): 413, nothing stored or written', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(5000, 0x20)]);
    const head = await t.store.headPosition();
    const res = await upload(`expenditures/${cost}`, 'partnerA', big, 'big.pdf').expect(413);
    expect(res.body.issues).toEqual([expect.objectContaining({ field: 'file', rule: 'max-size' })]);
    expect(storedFiles(t.dir).some((f) => f.name === sha(big))).toBe(false);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('a name holding a personal code: 422, the code in no answer, nothing written', async () => {
    const head = await t.store.headPosition();
    const res = await upload(`expenditures/${cost}`, 'partnerA', PNG, 'pazyma 38703181745.png').expect(422);
    expect(res.body.issues).toEqual([expect.objectContaining({ field: 'file', rule: 'no-personal-code' })]);
    expect(JSON.stringify(res.body)).not.toContain('38703181745');
    expect(await t.store.headPosition()).toBe(head);
  });

  it('another partner: 404 as for a record that does not exist, on upload and on read; nothing stored', async () => {
    const head = await t.store.headPosition();
    const other = Buffer.concat([PNG, Buffer.from('utena')]);
    await upload(`expenditures/${cost}`, 'partnerB', other, 'x.png').expect(404);
    expect(storedFiles(t.dir).some((f) => f.name === sha(other))).toBe(false);
    await request(t.base)
      .get(url(`/evidence/expenditures/${cost}/${sha(PDF)}`))
      .set(t.as('partnerB'))
      .expect(404);
    // Its own record does not open another record's file, even with the same content elsewhere.
    await request(t.base)
      .get(url(`/evidence/expenditures/${utenaCost}/${sha(PDF)}`))
      .set(t.as('partnerB'))
      .expect(404);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('exports leave evidence out unless asked; withEvidence=true names hashes and names, never the files', async () => {
    const plain = await request(t.base).get(url('/expenditure-register')).set(t.as('finance')).expect(200);
    expect(JSON.stringify(plain.body)).not.toContain('evidence');
    const asked = await request(t.base)
      .get(url('/expenditure-register?withEvidence=true'))
      .set(t.as('finance'))
      .expect(200);
    const byId = new Map(asked.body.expenditures.map((e: { id: string; evidence: unknown }) => [e.id, e.evidence]));
    expect(byId.get(cost)).toEqual([
      { sha256: sha(PDF), sizeBytes: PDF.length, mediaType: 'application/pdf', name: 'sąskaita 17.pdf' },
    ]);
    expect(byId.get(utenaCost)).toEqual([]);
    const csv = await request(t.base)
      .get(url('/expenditure-register?withEvidence=true&format=csv'))
      .set(t.as('finance'))
      .expect(200);
    const [header, ...rows] = csv.text.trim().split(/\r?\n/);
    expect(header!.split(',').at(-1)).toBe('evidence');
    expect(rows.find((r) => r.includes(cost))).toContain(`sąskaita 17.pdf (${sha(PDF)})`);
    expect(csv.text).not.toContain('%PDF');
    const plainCsv = await request(t.base)
      .get(url('/expenditure-register?format=csv'))
      .set(t.as('finance'))
      .expect(200);
    expect(plainCsv.text).not.toContain(sha(PDF));
    const bad = await request(t.base)
      .get(url('/expenditure-register?withEvidence=yes'))
      .set(t.as('finance'))
      .expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'withEvidence', rule: 'boolean' })]);
  });

  it('bad paths and extra fields: 400 naming them', async () => {
    const bad = await upload(`invoices/${cost}`, 'partnerA', PDF, 'a.pdf').expect(400);
    expect(bad.body.issues[0]).toMatchObject({ field: 'collection' });
    const sha_ = await request(t.base)
      .get(url(`/evidence/expenditures/${cost}/XYZ`))
      .set(t.as('finance'))
      .expect(400);
    expect(sha_.body.issues[0]).toMatchObject({ field: 'sha256' });
    const extra = await request(t.base)
      .post(url(`/evidence/expenditures/${cost}`))
      .set(t.as('partnerA'))
      .field('note', 'x')
      .attach('file', PDF, 'a.pdf')
      .expect(400);
    expect(extra.body.message).toContain('only the multipart field "file"');
    await request(t.base)
      .post(url(`/evidence/expenditures/${cost}`))
      .set(t.as('partnerA'))
      .expect(400);
  });
});
