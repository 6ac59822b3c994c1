import { randomUUID } from 'node:crypto';
import { activityStreamId } from '@ihl/domain';
import { SqliteEventStore } from '@ihl/event-store';
import { deterministicId, keyedRecordId, legacyDeterministicId } from './deterministic-id';

const SCOPE = 'activity:P-1:a';

describe('keyedRecordId', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
  });
  afterEach(() => store.close());

  const request = (derivedFrom: string, idempotencyKey = derivedFrom) => ({
    scope: SCOPE,
    derivedFrom,
    idempotencyKey,
    streamOf: activityStreamId,
  });
  const write = (id: string, idempotencyKey?: string) =>
    store.append(
      activityStreamId(id),
      [
        {
          eventId: randomUUID(),
          type: 'ServiceDelivered',
          data: { activityId: id },
          metadata: idempotencyKey ? { idempotencyKey } : {},
        },
      ],
      'no_stream',
    );

  it('gives the version-8 id to a key the ledger has not seen', async () => {
    await expect(keyedRecordId(store, request('key-00001'))).resolves.toBe(deterministicId(SCOPE, 'key-00001'));
  });

  it('gives the version-5 id to a retry of a record written under it before the change', async () => {
    const legacy = legacyDeterministicId(SCOPE, 'key-00002');
    await write(legacy, 'key-00002');
    await expect(keyedRecordId(store, request('key-00002'))).resolves.toBe(legacy);
    // A batch: record i is derived from "<key>#i", its events carry the batch's key.
    const third = legacyDeterministicId(SCOPE, 'batch-0001#2');
    await write(third, 'batch-0001');
    await expect(keyedRecordId(store, request('batch-0001#2', 'batch-0001'))).resolves.toBe(third);
    await expect(keyedRecordId(store, request('batch-0001#0', 'batch-0001'))).resolves.toBe(
      deterministicId(SCOPE, 'batch-0001#0'),
    );
  });

  it('does not adopt a record under the version-5 id that another key (or none) wrote', async () => {
    await write(legacyDeterministicId(SCOPE, 'key-00003'), 'someone-else');
    await write(legacyDeterministicId(SCOPE, 'key-00004'));
    await expect(keyedRecordId(store, request('key-00003'))).resolves.toBe(deterministicId(SCOPE, 'key-00003'));
    await expect(keyedRecordId(store, request('key-00004'))).resolves.toBe(deterministicId(SCOPE, 'key-00004'));
  });
});
