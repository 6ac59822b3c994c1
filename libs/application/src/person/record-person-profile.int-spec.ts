import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type StoredEvent } from '@ihl/event-store';
import type { PersonProfile } from '@ihl/domain';
import { ProjectContext } from '../shared/project-context';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { PersonRegistry } from './person-registry.port';
import { personProfileAppend } from './record-person-profile';

const PSEUDONYM = 'p1_aa';

/** A real store on :memory:; profiles "sealed" as JSON by a stand-in registry. */
function setup() {
  const store = new SqliteEventStore({ file: ':memory:' });
  const erased = new Set<string>();
  const persons: PersonRegistry = {
    identify: () => {
      throw new Error('not used');
    },
    seal: (_, profile) => JSON.stringify(profile),
    open: (pseudonym, sealed) => (erased.has(pseudonym) ? null : (JSON.parse(sealed) as PersonProfile)),
    erase: (pseudonym) => !erased.has(pseudonym) && erased.add(pseudonym) !== undefined,
  };
  const writer = new StreamWriter(
    store,
    { now: () => new Date('2024-06-15T10:00:00Z') },
    { newId: () => randomUUID() },
    new ProjectContext(store),
  );
  const ctx = (partnerId: string): RequestContext => ({
    actor: { subject: `${partnerId}-user`, role: 'partner-submitter', partnerId },
    correlationId: randomUUID(),
  });
  /** As a recorded service does it (with its record, left out here): the position written, or null for nothing. */
  const send = async (partnerId: string, profile: PersonProfile): Promise<number | null> => {
    const append = await personProfileAppend(writer, persons, ctx(partnerId), {
      pseudonym: PSEUDONYM,
      keyVersion: 1,
      profile,
    });
    return append ? (await store.appendMany([append]))[0]!.position : null;
  };
  const events = async () =>
    (await store.readStream(`person-${PSEUDONYM}`)).map((e: StoredEvent) => {
      const d = e.data as { partnerId?: string; sealed: string };
      return { partnerId: d.partnerId, profile: JSON.parse(d.sealed) as PersonProfile };
    });
  /** An event written before profiles were kept per partner: merged across partners, sender in the metadata. */
  const older = (partnerId: string, merged: PersonProfile) =>
    store.append(
      `person-${PSEUDONYM}`,
      [
        {
          eventId: randomUUID(),
          type: 'PersonProfileRecorded',
          data: { pseudonym: PSEUDONYM, keyVersion: 1, sealed: JSON.stringify(merged) },
          metadata: { actor: { subject: `${partnerId}-user`, role: 'partner-submitter', partnerId } },
        },
      ],
      'any',
    );
  return { store, erased, send, events, older };
}

describe("recording a person's profile: one per partner", () => {
  it("merges what a partner sends over what it sent before, never over another partner's", async () => {
    const { store, send, events } = setup();
    await send('b', { sex: 'male', disability: true, birthDate: '1961-01-01' });
    await send('a', { birthDate: '1961-01-01' });
    await send('a', { disability: false });
    await send('b', { birthYear: 1961 });
    expect(await events()).toEqual([
      { partnerId: 'b', profile: { sex: 'male', disability: true, birthDate: '1961-01-01' } },
      { partnerId: 'a', profile: { birthDate: '1961-01-01' } },
      { partnerId: 'a', profile: { birthDate: '1961-01-01', disability: false } },
      { partnerId: 'b', profile: { sex: 'male', disability: true, birthDate: '1961-01-01', birthYear: 1961 } },
    ]);
    await store.close();
  });

  it("writes nothing for a partner's unchanged profile, whatever others sent", async () => {
    const { store, send, events } = setup();
    const mine = (await send('a', { sex: 'female' }))!;
    // B says otherwise later; A sending what it sent before writes nothing (its record's write then
    // answers with the record's own position: nothing of B's).
    expect(await send('b', { sex: 'male' })).toBeGreaterThan(mine);
    expect(await send('a', { sex: 'female' })).toBeNull();
    // A first profile from C is written even when it repeats B's.
    expect(await send('c', { sex: 'male' })).toBeGreaterThan(mine);
    expect((await events()).map((e) => e.partnerId)).toEqual(['a', 'b', 'c']);
    await store.close();
  });

  it('over older events (merged across partners), credits the partner only with what it changed', async () => {
    const { store, send, events, older } = setup();
    await older('b', { sex: 'male', disability: true });
    // A sent a birth year; the event also holds B's sex and disability.
    await older('a', { sex: 'male', disability: true, birthYear: 1961 });
    await send('a', { sex: 'female' });
    // B's latest is an older event too: only what it changed there is its own.
    await send('b', { birthYear: 1960 });
    expect((await events()).slice(2)).toEqual([
      { partnerId: 'a', profile: { birthYear: 1961, sex: 'female' } },
      { partnerId: 'b', profile: { sex: 'male', disability: true, birthYear: 1960 } },
    ]);
    await store.close();
  });

  it('collects nothing of an erased person', async () => {
    const { store, erased, send } = setup();
    await send('a', { sex: 'female' });
    erased.add(PSEUDONYM);
    await store.append(
      `person-${PSEUDONYM}`,
      [{ eventId: randomUUID(), type: 'PersonErased', data: { pseudonym: PSEUDONYM, reason: 'asked' } }],
      'any',
    );
    expect(await send('b', { sex: 'male' })).toBeNull();
    expect((await store.readStream(`person-${PSEUDONYM}`)).map((e) => e.type)).toEqual([
      'PersonProfileRecorded',
      'PersonErased',
    ]);
    await store.close();
  });
});
