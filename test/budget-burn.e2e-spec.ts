import request from 'supertest';
import { seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

/** Monthly burn and the forecast to the project end, against figures counted by hand. */
describe('budget burn per month and spend forecast over HTTP', () => {
  let t: LedgerTestApp;
  let last = 0;
  let beforeJune = 0;
  const declare = async (who: 'partnerA' | 'partnerB', categoryId: string, amount: string, occurredOn: string) => {
    const res = await request(t.base)
      .post(url('/expenditures'))
      .set(t.as(who))
      .send({ categoryId, amount, occurredOn, documentRef: `INV-${amount}`, description: 'cost' })
      .expect(201);
    last = res.body.position;
    return res.body.expenditureId as string;
  };

  beforeAll(async () => {
    t = await startLedgerTestApp(); // today is 2024-06-15
    await seedProject(t);
    const jan = await declare('partnerA', 'staff', '1000.00', '2024-01-15');
    await request(t.base)
      .post(url(`/expenditures/${jan}/verify`))
      .set(t.as('finance'))
      .send({ eligible: '900.00', ineligible: '100.00', ineligibleReason: 'not-in-approved-budget' })
      .expect(201);
    await declare('partnerA', 'staff', '2000.01', '2024-03-01');
    const moved = await declare('partnerB', 'equipment', '500.00', '2024-05-31');
    await request(t.base)
      .post(url(`/expenditures/${moved}/corrections`))
      .set(t.as('partnerB'))
      .send({
        categoryId: 'equipment',
        amount: '499.99',
        occurredOn: '2024-04-30',
        documentRef: 'INV-500.00',
        description: 'cost',
        reason: 'invoice date and amount',
      })
      .expect(201);
    const dropped = await declare('partnerB', 'equipment', '10.00', '2024-05-02');
    const voided = await request(t.base)
      .post(url(`/expenditures/${dropped}/void`))
      .set(t.as('partnerB'))
      .send({ reason: 'duplicate invoice' })
      .expect(201);
    beforeJune = voided.body.position;
    await declare('partnerA', 'staff', '50.00', '2024-06-10');
  });
  afterAll(() => t.close());

  it('lists the burn by month of the expenditure date; corrections move it, voids remove it', async () => {
    const { spending } = (
      await request(t.base)
        .get(url(`/budget?position=${last}`))
        .set(t.as('finance'))
        .expect(200)
    ).body;
    // December 2022 (project start) to June 2024 (today).
    expect(spending.burn).toHaveLength(19);
    const month = (m: string) => spending.burn.find((p: { month: string }) => p.month === m);
    expect(month('2024-01')).toEqual({
      month: '2024-01',
      declared: '1000.00',
      eligible: '900.00',
      cumulativeDeclared: '1000.00',
    });
    expect(month('2024-03')).toMatchObject({ declared: '2000.01', eligible: '0.00', cumulativeDeclared: '3000.01' });
    expect(month('2024-04')).toMatchObject({ declared: '499.99', cumulativeDeclared: '3500.00' });
    expect(month('2024-05')).toMatchObject({ declared: '0.00', cumulativeDeclared: '3500.00' });
    expect(month('2024-06')).toMatchObject({ declared: '50.00', cumulativeDeclared: '3550.00' });
  });

  it('forecasts the spend at the project end at the pace of the last six complete months', async () => {
    const { spending } = (
      await request(t.base)
        .get(url(`/budget?position=${last}`))
        .set(t.as('finance'))
        .expect(200)
    ).body;
    // December 2023 – May 2024: 1000.00 + 2000.01 + 499.99 = 3500.00 over 6 months = 583.33 a month.
    expect(spending.monthlyPace).toBe('583.33');
    expect(spending.paceMonths).toBe(6);
    // June has 50.00 so far and gets the other 533.33; July 2024 – December 2026 are 30 months more:
    // 3550.00 + 533.33 + 30 × 583.33 = 21583.23, leaving 43940212.00 − 21583.23 unspent.
    expect(spending.forecastAtEnd).toBe('21583.23');
    expect(spending.forecastUnspent).toBe('43918628.77');
    expect(spending.envelopeExhaustedMonth).toBeNull();
  });

  it('as of an earlier position, the burn and the forecast leave out what came later', async () => {
    const { spending } = (
      await request(t.base)
        .get(url(`/budget?asOf=${beforeJune}`))
        .set(t.as('finance'))
        .expect(200)
    ).body;
    expect(spending.burn.at(-1)).toEqual({
      month: '2024-06',
      declared: '0.00',
      eligible: '0.00',
      cumulativeDeclared: '3500.00',
    });
    // June had nothing yet: 3500.00 + 583.33 + 30 × 583.33 = 21583.23.
    expect(spending.forecastAtEnd).toBe('21583.23');
  });
});
