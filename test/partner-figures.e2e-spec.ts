import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

/**
 * A partner's figures come from its own records only: the persons it served itself, at its own
 * first service, with what it sent of their profile. Nothing another partner recorded moves them, so
 * a partner cannot probe another partner's profiles or clients through its own /progress.
 */
describe("a partner's figures: its own records only", () => {
  let t: LedgerTestApp;
  // Three women born 1961-01-01 (same birth date, so the same age band whoever they are).
  const [shared, fresh, other] = ['4610101123', '4610101234', '4610101345'].map(lithuanianCode) as [
    string,
    string,
    string,
  ];
  let last = 0;

  const serve = async (who: 'partnerA' | 'partnerB', personalCode: string, occurredOn: string, profile?: object) => {
    const res = await request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as(who))
      .send({
        occurredOn,
        service: 'care',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 30,
        recipient: { personalCode, ...(profile ? { profile } : {}) },
      })
      .expect(201);
    last = Math.max(last, res.body.position);
    return res.body.activityId as string;
  };
  const voidRecord = async (who: 'partnerA' | 'partnerB', activityId: string) => {
    const res = await request(t.base)
      .post(url(`/activities/${activityId}/void`))
      .set(t.as(who))
      .send({ reason: 'probe' })
      .expect(201);
    last = Math.max(last, res.body.position);
  };
  const get = async (path: string, who: keyof LedgerTestApp['tokens']) =>
    (
      await request(t.base)
        .get(url(`${path}${path.includes('?') ? '&' : '?'}position=${last}`))
        .set(t.as(who))
        .expect(200)
    ).body;
  // What a partner reads, without the ledger position (it moves with every write, anyone's).
  const progressOf = async (who: 'partnerA' | 'partnerB') => {
    const { position: _position, ...figures } = await get('/progress', who);
    return figures;
  };
  const esfOf = async (who: 'partnerA' | 'partnerB') => {
    const { position: _position, recordedAt: _recordedAt, ...table } = await get('/exports/esf-indicators', who);
    return table;
  };

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    // B serves and profiles a person A has never seen.
    await serve('partnerB', shared, '2024-03-10', { sex: 'male', birthYear: 1961, disability: true });
  });
  afterAll(() => t.close());

  it("a service A backdates for a person only B profiled shows none of B's profile to A; the agency counts the person once", async () => {
    const nobody = await progressOf('partnerA');
    expect(nobody.personsReached).toBe(0);
    const backdated = await serve('partnerA', shared, '2024-02-01');
    const mine = await progressOf('partnerA');
    // A served the person: A counts them, at its own service, but knows nothing of B's profile.
    expect(mine.personsReached).toBe(1);
    expect(mine.byPartner).toEqual({ 'visaginas-spc': 1 });
    expect(mine.newByMonth).toEqual({ '2024-02': 1 });
    expect(mine.bySex).toEqual({ female: 0, male: 0, 'non-binary': 0, unknown: 1 });
    expect(mine.byDisability).toEqual({ yes: 0, no: 0, unknown: 1 });
    // The age band comes from the birth date in the code A typed itself (63 on 2024-02-01).
    expect(mine.byAgeBand).toMatchObject({ '55-plus': 1, unknown: 0 });
    const esf = await get('/exports/esf-indicators', 'partnerA');
    const row = (code: string | null, breakdown: string | null, name?: string) =>
      esf.rows.find(
        (r: { code: string | null; breakdown: string | null; name: string }) =>
          r.code === code && r.breakdown === breakdown && (name === undefined || r.name === name),
      ).value;
    expect([row('EECO01', null), row('EECO01', 'men'), row('EECO12', null)]).toEqual([1, 0, 0]);
    // The project: the person once, for the partner of the first service, with the profile B sent.
    const project = await get('/progress', 'auditor');
    expect(project.personsReached).toBe(1);
    expect(project.byPartner).toEqual({ 'visaginas-spc': 1 });
    expect(project.bySex.male).toBe(1);
    expect(project.byDisability.yes).toBe(1);

    await voidRecord('partnerA', backdated);
    expect(await progressOf('partnerA')).toEqual(nobody);
    const after = await get('/progress', 'auditor');
    expect([after.personsReached, after.byPartner, after.bySex.male]).toEqual([1, { 'utena-spc': 1 }, 1]);
  });

  it('whether B served a code does not show: A serving a person B served moves its figures as serving a new one does', async () => {
    const served = await serve('partnerA', shared, '2024-05-02'); // B served them earlier
    const afterShared = await progressOf('partnerA');
    const esfShared = await esfOf('partnerA');
    await voidRecord('partnerA', served);
    await serve('partnerA', fresh, '2024-05-02'); // nobody served them
    expect(await progressOf('partnerA')).toEqual(afterShared);
    expect(await esfOf('partnerA')).toEqual(esfShared);
    expect(afterShared.personsReached).toBe(1);
    // B's own figures never moved either.
    expect((await progressOf('partnerB')).personsReached).toBe(1);
  });

  it('the read model keeps no birth date in clear', async () => {
    await serve('partnerB', other, '2024-05-03', { sex: 'female', birthYear: 1961, disability: false });
    await get('/progress', 'auditor');
    for (const file of ['read-models.sqlite', 'read-models.sqlite-wal'].map((f) => join(t.dir, f))) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file).toString('latin1');
      // Named, not dumped: a failure prints the file name, not the file.
      expect({ file, found: ['1961-01-01', '19610101'].filter((text) => bytes.includes(text)) }).toEqual({
        file,
        found: [],
      });
    }
    // The file was found and is the read models'.
    expect(readFileSync(join(t.dir, 'read-models.sqlite')).toString('latin1').includes('reach_persons')).toBe(true);
  });
});
