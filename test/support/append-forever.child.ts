// Appends without end and prints "ACK <eventId> <position>" only after append() resolved,
// so every line the parent reads is an acknowledged write.
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@ihl/event-store';

const file = process.argv[2];
if (!file) throw new Error('usage: append-forever.child.ts <file>');
const store = new SqliteEventStore({ file });

async function caller(n: number): Promise<never> {
  for (;;) {
    const eventId = randomUUID();
    const r = await store.append(
      `crash-${n}`,
      [{ eventId, type: 'ServiceDelivered', data: { n, pad: 'x'.repeat(200) } }],
      'any',
    );
    process.stdout.write(`ACK ${eventId} ${r.position}\n`);
  }
}

for (let i = 0; i < 8; i++) void caller(i);
