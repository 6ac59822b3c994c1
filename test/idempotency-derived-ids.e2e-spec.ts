import { createHash, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { activityStreamId, expenditureStreamId } from '@ihl/domain';
import type { EventMetadata } from '@ihl/event-store';
import { CODE, seedProject, startLedgerTestApp, url, type LedgerTestApp } from './support/ledger-test-app';
import { PERSONS, SERVICE_PATH, idempotencyKeyOf, serviceBody } from './support/personal-data-scenario';

/** The id form written before version-8 ids: SHA-256 bits labelled version 5 (kept here on purpose). */
function oldFormId(scope: string, key: string): string {
  const h = createHash('sha256').update(`${scope}\u0000${key}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const VERSION_OF = (uuid: string) => uuid[14];
const ACTIVITY_SCOPE = `activity:${CODE}:visaginas-spc`;
const EXPENDITURE_SCOPE = `expenditure:${CODE}:visaginas-spc`;

describe('ids derived from an Idempotency-Key: version-8 UUIDs, and retries still find records stored under the old form', () => {
  it('retries against a ledger written before the change (test/fixtures/legacy-ledger) answer the original records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihl-legacy-ids-'));
    cpSync(join(__dirname, 'fixtures/legacy-ledger'), dir, { recursive: true });
    const t = await startLedgerTestApp(undefined, {}, { dir });
    try {
      const head = await t.store.headPosition();
      for (const [i, p] of PERSONS.entries()) {
        const stored = oldFormId(ACTIVITY_SCOPE, idempotencyKeyOf(i));
        expect(await t.store.readStream(activityStreamId(stored))).toHaveLength(1);
        const res = await request(t.base)
          .post(SERVICE_PATH(CODE))
          .set(t.as('partnerA'))
          .set('Idempotency-Key', idempotencyKeyOf(i))
          .send(serviceBody(p.code, p.profile))
          .expect(200);
        expect(res.body).toMatchObject({ activityId: stored, streamId: activityStreamId(stored), revision: 0 });
      }
      expect(await t.store.headPosition()).toBe(head);
    } finally {
      await t.close();
    }
  });

  describe('on a ledger written now', () => {
    let t: LedgerTestApp;
    beforeAll(async () => {
      t = await startLedgerTestApp();
      await seedProject(t);
    });
    afterAll(() => t.close());

    const post = (path: string, key: string, body: object) =>
      request(t.base).post(url(path)).set(t.as('partnerA')).set('Idempotency-Key', key).send(body);
    const event = (title: string) => ({ occurredOn: '2024-05-20', audience: 'family-members', title, attendees: 12 });
    const promotion = (title: string) => ({ kind: 'promotion-event', ...event(title) });
    const cost = {
      categoryId: 'staff',
      amount: '10.00',
      occurredOn: '2024-05-19',
      documentRef: 'P-1',
      description: 'Pay',
    };

    /** Copies a record written now to the id an earlier version derived from `key`, as that version stored it. */
    async function storeUnderOldId(streamId: string, oldId: string, key: string, streamOf: (id: string) => string) {
      const events = await t.store.readStream(streamId);
      const idField = streamId.startsWith('activity-') ? 'activityId' : 'expenditureId';
      await t.store.append(
        streamOf(oldId),
        events.map((e) => {
          const eventId = randomUUID();
          return {
            eventId,
            type: e.type,
            data: { ...(e.data as object), [idField]: oldId },
            metadata: { ...e.metadata, eventId, idempotencyKey: key } as EventMetadata,
          };
        }),
        'no_stream',
      );
    }

    it('derives RFC 9562 version-8 ids (SHA-256 based), variant 10, for records, batch records and expenditures', async () => {
      const one = await post('/activities/promotion-events', 'new-key-0001', event('One')).expect(201);
      const batch = await post('/activities/batch', 'new-key-0002', {
        records: [promotion('Two'), promotion('Three')],
      }).expect(201);
      const spent = await post('/expenditures', 'new-key-0003', cost).expect(201);
      const ids = [one.body.activityId, ...batch.body.records.map((r: { activityId: string }) => r.activityId)];
      ids.push(spent.body.expenditureId);
      for (const id of ids) {
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(VERSION_OF(id)).toBe('8');
      }
      // A retry derives the same ids again.
      await post('/activities/promotion-events', 'new-key-0001', event('One')).expect(200, one.body);
      await post('/expenditures', 'new-key-0003', cost).expect(200, spent.body);
    });

    it('a batch retried with a key whose records are stored under the old ids answers them and writes nothing', async () => {
      const body = { records: [promotion('Old one'), promotion('Old two')] };
      const seed = await post('/activities/batch', 'seed-batch-0001', body).expect(201);
      const oldIds = [0, 1].map((i) => oldFormId(ACTIVITY_SCOPE, `old-batch-0001#${i}`));
      for (const [i, r] of (seed.body.records as { streamId: string }[]).entries())
        await storeUnderOldId(r.streamId, oldIds[i]!, 'old-batch-0001', activityStreamId);
      const head = await t.store.headPosition();
      const retry = await post('/activities/batch', 'old-batch-0001', body).expect(200);
      expect(retry.body.records.map((r: { activityId: string }) => r.activityId)).toEqual(oldIds);
      expect(await t.store.headPosition()).toBe(head);
    });

    it('an expenditure retried with a key whose record is stored under the old id answers it; another body is 409', async () => {
      const seed = await post('/expenditures', 'seed-cost-0001', cost).expect(201);
      const oldId = oldFormId(EXPENDITURE_SCOPE, 'old-cost-0001');
      await storeUnderOldId(seed.body.streamId, oldId, 'old-cost-0001', expenditureStreamId);
      const head = await t.store.headPosition();
      const retry = await post('/expenditures', 'old-cost-0001', cost).expect(200);
      expect(retry.body).toMatchObject({ expenditureId: oldId, streamId: expenditureStreamId(oldId), revision: 0 });
      await post('/expenditures', 'old-cost-0001', { ...cost, amount: '11.00' }).expect(409);
      expect(await t.store.headPosition()).toBe(head);
    });
  });
});
