import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

const ELDER = lithuanianCode('3400101123'); // man born 1940-01-01
const CHILD = lithuanianCode('6190512123'); // girl born 2019-05-12: 5 on the service date
const TEEN = lithuanianCode('6080512123'); // girl born 2008-05-12: 16

describe('recording activities over HTTP: partner submits, agency reviews, finance verifies', () => {
  let t: LedgerTestApp;
  const post = (who: keyof LedgerTestApp['tokens'], path: string, body: object, headers: Record<string, string> = {}) =>
    request(t.base).post(url(path)).set(t.as(who)).set(headers).send(body);

  const service = (overrides: object = {}) => ({
    occurredOn: '2024-04-10',
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 90,
    recipient: { personalCode: ELDER, profile: { sex: 'male', birthYear: 1940, disability: true } },
    workerRef: 'nurse-07',
    ...overrides,
  });

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
  });
  afterAll(() => t.close());

  async function unchanged<T>(act: () => Promise<T>): Promise<T> {
    const before = await t.store.headPosition();
    const r = await act();
    expect(await t.store.headPosition()).toBe(before);
    return r;
  }

  it('records a service delivery under a pseudonym; the personal code is nowhere on disk', async () => {
    const res = await post('partnerA', '/activities/service-deliveries', service()).expect(201);
    expect(res.body).toEqual({
      activityId: expect.any(String),
      streamId: `activity-${res.body.activityId}`,
      revision: 0,
      position: expect.any(Number),
    });
    expect(res.headers.etag).toBe('"0"');
    const [event] = await t.store.readStream(res.body.streamId);
    expect(event!.type).toBe('ServiceDelivered');
    const data = event!.data as { partnerId: string; fields: { recipient: { pseudonym: string; keyVersion: number } } };
    expect(data.partnerId).toBe('visaginas-spc');
    expect(data.fields.recipient).toEqual({ pseudonym: expect.stringMatching(/^p1_[0-9a-f]{64}$/), keyVersion: 1 });
    expect(event!.metadata).toMatchObject({
      actor: { subject: 'visaginas-user', role: 'partner-submitter', partnerId: 'visaginas-spc' },
    });
    const person = await t.store.readStream(`person-${data.fields.recipient.pseudonym}`);
    expect(person.map((e) => e.type)).toEqual(['PersonProfileRecorded']);
    expect(JSON.stringify(person[0]!.data)).not.toContain('1940');
    for (const file of ['events.sqlite', 'events.sqlite-wal', 'person-keys.sqlite', 'person-keys.sqlite-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(t.dir, file));
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(ELDER))).toBe(false);
    }
  });

  it('accepts every activity kind', async () => {
    const kinds: [string, object][] = [
      [
        'caregiver-consultations',
        { occurredOn: '2024-04-11', topic: 'preparing-to-care', durationMinutes: 60, familyMembers: 2 },
      ],
      [
        'psychological-support',
        {
          occurredOn: '2024-04-12',
          recipientKind: 'family-caregiver',
          format: 'group',
          durationMinutes: 120,
          participants: 6,
        },
      ],
      [
        'trainings',
        {
          occurredOn: '2024-04-15',
          trainingKind: 'qualification',
          topic: 'Palliative care at home',
          durationMinutes: 480,
          participants: 14,
        },
      ],
      [
        'equipment-procurements',
        {
          occurredOn: '2024-04-16',
          category: 'vehicle',
          description: 'Mobile team car',
          quantity: 3,
          unitPrice: '10333.33',
          total: '30999.99',
          supplier: 'UAB Auto',
          contractRef: 'VP-2024-17',
        },
      ],
      [
        'promotion-events',
        { occurredOn: '2024-04-20', audience: 'community', title: 'Informal help day', attendees: 85 },
      ],
      [
        'service-deliveries',
        service({
          occurredOn: '2024-04-22',
          targetGroup: 'disabled-child',
          setting: 'pre-school',
          service: 'rehabilitation',
          recipient: { personalCode: CHILD },
        }),
      ],
    ];
    for (const [path, body] of kinds) {
      const res = await post('partnerA', `/activities/${path}`, body);
      expect([path, res.status]).toEqual([path, 201]);
    }
  });

  it('applies the age rules from the personal code: pre-school only under 7', async () => {
    const res = await unchanged(() =>
      post(
        'partnerA',
        '/activities/service-deliveries',
        service({ targetGroup: 'disabled-child', setting: 'pre-school', recipient: { personalCode: TEEN } }),
      ).expect(422),
    );
    expect(res.body.issues).toEqual([expect.objectContaining({ field: 'setting', rule: 'pre-school-under-7' })]);
    const bad = await unchanged(() =>
      post(
        'partnerA',
        '/activities/service-deliveries',
        service({ recipient: { personalCode: '38703181744' } }),
      ).expect(422),
    );
    expect(bad.body.issues).toEqual([
      expect.objectContaining({ field: 'recipient.personalCode', rule: 'personal-code-checksum' }),
    ]);
    expect(JSON.stringify(bad.body)).not.toContain('38703181744');
  });

  it('refuses dates outside the project, before the partner joined, or in the future', async () => {
    for (const [who, date, rule] of [
      ['partnerA', '2022-12-01', 'within-project-period'],
      ['partnerB', '2023-01-15', 'on-or-after-partner-joined'],
      ['partnerA', '2024-06-16', 'not-in-future'],
    ] as const) {
      const res = await unchanged(() =>
        post(who, '/activities/promotion-events', {
          occurredOn: date,
          audience: 'workers',
          title: 'x',
          attendees: 3,
        }).expect(422),
      );
      expect(res.body.issues).toEqual([expect.objectContaining({ field: 'occurredOn', rule })]);
    }
  });

  it('Idempotency-Key: a retry gets the same answer and one effect; another body with the key is refused', async () => {
    const key = 'visaginas-2024-04-25-001';
    const body = service({ occurredOn: '2024-04-25' });
    const first = await post('partnerA', '/activities/service-deliveries', body, { 'Idempotency-Key': key }).expect(
      201,
    );
    const again = await unchanged(() =>
      post('partnerA', '/activities/service-deliveries', body, { 'Idempotency-Key': key }).expect(200),
    );
    expect(again.body).toEqual(first.body);
    const other = await unchanged(() =>
      post(
        'partnerA',
        '/activities/service-deliveries',
        { ...body, durationMinutes: 30 },
        { 'Idempotency-Key': key },
      ).expect(409),
    );
    expect(other.body.message).toMatch(/Idempotency-Key/);
    const byId = await post('partnerA', '/activities/promotion-events', {
      activityId: 'b3f7c2a0-1111-4c3d-9e2f-000000000001',
      occurredOn: '2024-05-02',
      audience: 'workers',
      title: 'Team day',
      attendees: 9,
    }).expect(201);
    const byIdAgain = await unchanged(() =>
      post('partnerA', '/activities/promotion-events', {
        activityId: 'b3f7c2a0-1111-4c3d-9e2f-000000000001',
        occurredOn: '2024-05-02',
        audience: 'workers',
        title: 'Team day',
        attendees: 9,
      }).expect(200),
    );
    expect(byIdAgain.body).toEqual(byId.body);
    await unchanged(() =>
      post('partnerA', '/activities/promotion-events', {
        activityId: 'b3f7c2a0-1111-4c3d-9e2f-000000000001',
        occurredOn: '2024-05-02',
        audience: 'workers',
        title: 'Other',
        attendees: 9,
      }).expect(409),
    );
  });

  it('correct, verify, lock, restatement, void: the whole life of a record with its history', async () => {
    const created = await post(
      'partnerA',
      '/activities/service-deliveries',
      service({ occurredOn: '2024-05-06' }),
    ).expect(201);
    const id = created.body.activityId as string;

    await unchanged(() => post('partnerA', `/activities/${id}/verify`, {}).expect(403));
    await post('auditor', `/activities/${id}/verify`, { note: 'checked against the visit log' }).expect(201);

    const stale = await unchanged(() =>
      post(
        'partnerA',
        `/activities/service-deliveries/${id}/corrections`,
        { ...service({ occurredOn: '2024-05-06', durationMinutes: 120 }), reason: 'wrong duration' },
        { 'If-Match': '"0"' },
      ).expect(412),
    );
    expect(stale.body.message).toMatch(/revision 0/);
    const corrected = await post(
      'partnerA',
      `/activities/service-deliveries/${id}/corrections`,
      { ...service({ occurredOn: '2024-05-06', durationMinutes: 120 }), reason: 'wrong duration' },
      { 'If-Match': '"1"' },
    ).expect(201);
    expect(corrected.headers.etag).toBe('"2"');

    await post('auditor', '/periods/2024-Q2/lock', {}).expect(201);
    await unchanged(() => post('partnerA', `/activities/${id}/void`, { reason: 'entered twice' }).expect(409));
    const late = await post('partnerA', `/activities/service-deliveries/${id}/corrections`, {
      ...service({ occurredOn: '2024-05-06', durationMinutes: 100 }),
      reason: 'visit log recount',
    }).expect(201);
    expect(late.body.revision).toBe(3);
    await post('auditor', `/activities/${id}/restatement/approve`, { note: 'approved restatement' }).expect(201);

    const view = await request(t.base)
      .get(url(`/activities/${id}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(view.body.history.map((h: { type: string }) => h.type)).toEqual([
      'ServiceDelivered',
      'ActivityVerified',
      'ActivityCorrected',
      'ActivityRestatementProposed',
      'ActivityRestatementApproved',
      'ActivityCorrected',
    ]);
    expect(view.body.state).toMatchObject({
      status: 'recorded',
      review: 'pending',
      corrections: 2,
      fields: { durationMinutes: 100 },
    });
    const lastCorrection = view.body.history[5].data;
    expect(lastCorrection).toMatchObject({
      restatement: true,
      reason: 'visit log recount',
      previous: { durationMinutes: 120 },
      fields: { durationMinutes: 100 },
    });

    await post('auditor', '/periods/2024-Q2/reopen', { reason: 'partner found a duplicate' }).expect(201);
    await post('partnerA', `/activities/${id}/void`, { reason: 'entered twice' }).expect(201);
    await unchanged(() => post('auditor', `/activities/${id}/verify`, {}).expect(409));

    // The record as it stood after the first correction: its events up to there, nothing later.
    const then = await request(t.base)
      .get(url(`/activities/${id}?asOf=${corrected.body.position}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(then.headers.etag).toBe('"2"');
    expect(then.body.history.map((h: { type: string }) => h.type)).toEqual([
      'ServiceDelivered',
      'ActivityVerified',
      'ActivityCorrected',
    ]);
    expect(then.body.state).toMatchObject({ status: 'recorded', corrections: 1, fields: { durationMinutes: 120 } });
    const now = await request(t.base)
      .get(url(`/activities/${id}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(now.body.state.status).toBe('voided');
    await request(t.base)
      .get(url(`/activities/${id}?asOf=${created.body.position - 1}`))
      .set(t.as('auditor'))
      .expect(404);
    const bad = await request(t.base)
      .get(url(`/activities/${id}?asOf=last-week`))
      .set(t.as('auditor'))
      .expect(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ field: 'asOf', rule: 'date-or-position' })]);

    // The whole history as CSV, an event a line, what it says as JSON (RFC 4180 quoting).
    const csv = await request(t.base)
      .get(url(`/activities/${id}?format=csv`))
      .set(t.as('auditor'))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="activity-${id}-r6.csv"`);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('revision,position,event_id,type,recorded_at,actor_subject,actor_role,actor_partner,data');
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(now.body.history.map((h: { type: string }) => h.type));
    expect(now.body.history[6].data).toMatchObject({ reason: 'entered twice' });
    expect(lines[7]).toBe(
      [
        6,
        now.body.history[6].position,
        now.body.history[6].eventId,
        'ActivityVoided',
        '2024-06-15T10:00:00.000Z',
        'visaginas-user',
        'partner-submitter',
        'visaginas-spc',
        `"${JSON.stringify(now.body.history[6].data).replace(/"/g, '""')}"`,
      ].join(','),
    );
    const xlsx = await request(t.base)
      .get(url(`/activities/${id}?format=xlsx`))
      .set(t.as('auditor'))
      .expect(400);
    expect(xlsx.body.issues).toEqual([expect.objectContaining({ field: 'format', rule: 'enum' })]);
  });

  it('a partner never sees or touches another partner’s records', async () => {
    const created = await post('partnerA', '/activities/trainings', {
      occurredOn: '2024-05-07',
      trainingKind: 'competence',
      topic: 'Lifting',
      durationMinutes: 240,
      participants: 8,
    }).expect(201);
    const id = created.body.activityId as string;
    await request(t.base)
      .get(url(`/activities/${id}`))
      .set(t.as('partnerB'))
      .expect(404);
    await unchanged(() => post('partnerB', `/activities/${id}/void`, { reason: 'not ours' }).expect(404));
    const body = await unchanged(() =>
      post('partnerB', '/activities/trainings', {
        partnerId: 'visaginas-spc',
        occurredOn: '2024-05-07',
        trainingKind: 'competence',
        topic: 'x',
        durationMinutes: 60,
        participants: 2,
      }).expect(403),
    );
    expect(body.body.issues).toEqual([expect.objectContaining({ field: 'partnerId', rule: 'own-partner' })]);
  });

  it('finance allocates within the envelope and verifies declared expenditure to the cent', async () => {
    await request(t.base)
      .put(url('/allocations/visaginas-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: '43000000.00' })
      .expect(201);
    const over = await unchanged(() =>
      request(t.base)
        .put(url('/allocations/utena-spc/staff'))
        .set(t.as('finance'))
        .send({ amount: '940212.01' })
        .expect(422),
    );
    expect(over.body.issues).toEqual([expect.objectContaining({ field: 'amount', rule: 'within-envelope' })]);
    await request(t.base)
      .put(url('/allocations/utena-spc/staff'))
      .set(t.as('finance'))
      .send({ amount: '940212.00' })
      .expect(201);
    await unchanged(() =>
      request(t.base)
        .put(url('/allocations/utena-spc/staff'))
        .set(t.as('partnerB'))
        .send({ amount: '1.00' })
        .expect(403),
    );

    const declared = await post('partnerA', '/expenditures', {
      categoryId: 'equipment',
      amount: '1234.57',
      occurredOn: '2024-05-03',
      documentRef: 'INV-2024-0042',
      description: 'Hoist slings',
    }).expect(201);
    const id = declared.body.expenditureId as string;
    const floatMoney = await unchanged(() =>
      post('partnerA', '/expenditures', {
        categoryId: 'equipment',
        amount: 12.5,
        occurredOn: '2024-05-03',
        documentRef: 'X',
        description: 'y',
      }).expect(400),
    );
    expect(floatMoney.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'amount' })]));
    await unchanged(() =>
      post('partnerA', `/expenditures/${id}/verify`, { eligible: '1234.57', ineligible: '0.00' }).expect(403),
    );
    const wrongSum = await unchanged(() =>
      post('finance', `/expenditures/${id}/verify`, {
        eligible: '1000.00',
        ineligible: '234.56',
        ineligibleReason: 'not-in-approved-budget',
      }).expect(422),
    );
    expect(wrongSum.body.issues).toEqual([expect.objectContaining({ rule: 'parts-sum-to-declared' })]);
    await post('finance', `/expenditures/${id}/verify`, {
      eligible: '1000.01',
      ineligible: '234.56',
      note: 'one invoice line outside the category',
      ineligibleReason: 'not-in-approved-budget',
    }).expect(201);
    const view = await request(t.base)
      .get(url(`/expenditures/${id}`))
      .set(t.as('partnerA'))
      .expect(200);
    expect(view.body).toMatchObject({
      fields: { amount: '1234.57' },
      verification: { eligible: '1000.01', ineligible: '234.56' },
    });
    const beforeVerification = await request(t.base)
      .get(url(`/expenditures/${id}?asOf=${declared.body.position}`))
      .set(t.as('partnerA'))
      .expect(200);
    expect(beforeVerification.body).toMatchObject({ fields: { amount: '1234.57' }, verification: null, revision: 0 });
    expect(beforeVerification.body.history).toHaveLength(1);
    const csv = await request(t.base)
      .get(url(`/expenditures/${id}?format=csv&asOf=${declared.body.position}`))
      .set(t.as('partnerA'))
      .expect(200);
    expect(
      csv.text
        .trim()
        .split('\n')
        .map((l) => l.split(',')[3]),
    ).toEqual(['type', 'ExpenditureDeclared']);
    await request(t.base)
      .get(url(`/expenditures/${id}`))
      .set(t.as('partnerB'))
      .expect(404);
  });

  it('the same person gets one pseudonym whichever partner serves them (counted once)', async () => {
    const a = await post('partnerA', '/activities/service-deliveries', service({ occurredOn: '2024-05-27' })).expect(
      201,
    );
    const b = await post(
      'partnerB',
      '/activities/service-deliveries',
      service({ occurredOn: '2024-05-28', recipient: { personalCode: ELDER } }),
    ).expect(201);
    const [ea] = await t.store.readStream(a.body.streamId);
    const [eb] = await t.store.readStream(b.body.streamId);
    const pseudonymOf = (e: typeof ea) =>
      (e!.data as { fields: { recipient: { pseudonym: string } } }).fields.recipient.pseudonym;
    expect(pseudonymOf(eb)).toBe(pseudonymOf(ea));
  });

  it('erasure destroys the person’s key: the profile is gone for good, their services remain', async () => {
    const code = lithuanianCode('4551212123');
    const first = await post(
      'partnerA',
      '/activities/service-deliveries',
      service({
        occurredOn: '2024-05-29',
        recipient: { personalCode: code, profile: { sex: 'female', birthYear: 1955 } },
      }),
    ).expect(201);
    const [rec] = await t.store.readStream(first.body.streamId);
    const pseudonym = (rec!.data as { fields: { recipient: { pseudonym: string } } }).fields.recipient.pseudonym;
    await unchanged(() =>
      request(t.base)
        .post('/api/v1/persons/erasures')
        .set(t.as('partnerA'))
        .send({ personalCode: code, reason: 'data subject request' })
        .expect(403),
    );
    const erased = await request(t.base)
      .post('/api/v1/persons/erasures')
      .set(t.as('admin'))
      .send({ personalCode: code, reason: 'data subject request' })
      .expect(201);
    expect(erased.body).toMatchObject({ pseudonym, erased: true });
    await unchanged(() =>
      request(t.base)
        .post('/api/v1/persons/erasures')
        .set(t.as('admin'))
        .send({ personalCode: code, reason: 'data subject request' })
        .expect(200),
    );
    const { PersonKeyStore, parseMasterKey } = await import('@ihl/privacy');
    const keys = new PersonKeyStore({
      file: join(t.dir, 'person-keys.sqlite'),
      masterKey: parseMasterKey('4'.repeat(64)),
    });
    const person = await t.store.readStream(`person-${pseudonym}`);
    expect(person.map((e) => e.type)).toEqual(['PersonProfileRecorded', 'PersonErased']);
    expect(keys.decryptProfile(pseudonym, (person[0]!.data as { sealed: string }).sealed)).toBeNull();
    keys.close();
    // A later visit is recorded; no profile is collected again.
    await post(
      'partnerA',
      '/activities/service-deliveries',
      service({ occurredOn: '2024-05-30', recipient: { personalCode: code, profile: { sex: 'female' } } }),
    ).expect(201);
    expect((await t.store.readStream(`person-${pseudonym}`)).map((e) => e.type)).toEqual([
      'PersonProfileRecorded',
      'PersonErased',
    ]);
    expect((await t.store.readStream(first.body.streamId)).map((e) => e.type)).toEqual(['ServiceDelivered']);
  });

  describe('batch submission: every record is accepted, or none is written', () => {
    const event = (title: string, occurredOn = '2024-05-20') => ({
      kind: 'promotion-event',
      occurredOn,
      audience: 'family-members',
      title,
      attendees: 12,
    });
    const visit = (overrides: object = {}) => ({
      kind: 'service-delivered',
      ...service({ occurredOn: '2024-05-21' }),
      ...overrides,
    });

    it('records records of several kinds in one request, each in its own stream', async () => {
      const res = await post('partnerA', '/activities/batch', {
        records: [
          event('Caregivers evening'),
          visit(),
          {
            kind: 'training-held',
            occurredOn: '2024-05-22',
            trainingKind: 'competence',
            topic: 'Dementia',
            durationMinutes: 120,
            participants: 5,
          },
        ],
      }).expect(201);
      expect(res.body.records).toHaveLength(3);
      for (const r of res.body.records) {
        const events = await t.store.readStream(r.streamId);
        expect(events.map((e) => e.revision)).toEqual([0]);
        expect(events[0]!.position).toBe(r.position);
      }
    });

    it('one invalid record refuses the whole batch, naming its index', async () => {
      const shape = await unchanged(() =>
        post('partnerA', '/activities/batch', { records: [event('ok'), visit({ durationMinutes: 0 })] }).expect(400),
      );
      expect(shape.body.issues).toEqual([
        expect.objectContaining({ field: 'records[1].durationMinutes', rule: 'min' }),
      ]);
      const rule = await unchanged(() =>
        post('partnerB', '/activities/batch', {
          records: [event('ok', '2023-03-01'), event('too early', '2023-01-20')],
        }).expect(422),
      );
      expect(rule.body.issues).toEqual([
        expect.objectContaining({ field: 'records[1].occurredOn', rule: 'on-or-after-partner-joined' }),
      ]);
      const kind = await unchanged(() =>
        post('partnerA', '/activities/batch', { records: [{ kind: 'gardening', occurredOn: '2024-05-20' }] }).expect(
          400,
        ),
      );
      expect(kind.body.issues).toEqual([expect.objectContaining({ field: 'records[0].kind', rule: 'enum' })]);
      const unknown = await unchanged(() =>
        post('partnerA', '/activities/batch', { records: [{ ...event('x'), colour: 'red' }] }).expect(400),
      );
      expect(unknown.body.issues).toEqual([
        expect.objectContaining({ field: 'records[0].colour', rule: 'unknown-field' }),
      ]);
    });

    it('a batch never writes in another partner’s name or onto another partner’s record', async () => {
      const own = await post('partnerA', '/activities/promotion-events', {
        occurredOn: '2024-05-23',
        audience: 'workers',
        title: 'A only',
        attendees: 4,
      }).expect(201);
      await unchanged(() =>
        post('partnerB', '/activities/batch', { partnerId: 'visaginas-spc', records: [event('x')] }).expect(403),
      );
      await unchanged(() =>
        post('partnerB', '/activities/batch', { records: [{ ...event('x'), partnerId: 'visaginas-spc' }] }).expect(403),
      );
      await unchanged(() =>
        post('partnerB', '/activities/batch', {
          records: [event('fine'), { ...event('A only', '2024-05-23'), activityId: own.body.activityId }],
        }).expect(409),
      );
      const still = await request(t.base)
        .get(url(`/activities/${own.body.activityId}`))
        .set(t.as('partnerA'))
        .expect(200);
      expect(still.body.history).toHaveLength(1);
    });

    it('a retried batch with the same Idempotency-Key answers the same and writes nothing', async () => {
      const body = { records: [event('Retry me', '2024-05-24'), event('And me', '2024-05-24')] };
      const first = await post('partnerA', '/activities/batch', body, {
        'Idempotency-Key': 'batch-2024-05-24-a',
      }).expect(201);
      const again = await unchanged(() =>
        post('partnerA', '/activities/batch', body, { 'Idempotency-Key': 'batch-2024-05-24-a' }).expect(200),
      );
      expect(again.body).toEqual(first.body);
      await unchanged(() =>
        post(
          'partnerA',
          '/activities/batch',
          { records: [event('Changed', '2024-05-24'), event('And me', '2024-05-24')] },
          { 'Idempotency-Key': 'batch-2024-05-24-a' },
        ).expect(409),
      );
    });
  });
});
