import request from 'supertest';
import { lithuanianCode, seedProject, url, type LedgerTestApp } from './ledger-test-app';

/** A person's first visit of the month: each counts once toward the persons reached. */
const visit = (personalCode: string, occurredOn: string) => ({
  occurredOn,
  service: 'care',
  targetGroup: 'elderly',
  setting: 'home',
  durationMinutes: 45,
  recipient: { personalCode },
});

/**
 * One more care visit by Visaginas, on 14 June 2024 (the pages' "later" record, after the
 * scenario): the person's code gives a person not seen before. Answers the API's 201.
 */
export function postCareVisit(t: LedgerTestApp, personalCode: string): request.Test {
  return request(t.base)
    .post(url('/activities/service-deliveries'))
    .set(t.as('partnerA'))
    .send({
      occurredOn: '2024-06-14',
      service: 'care',
      targetGroup: 'elderly',
      setting: 'home',
      durationMinutes: 30,
      recipient: { personalCode },
    })
    .expect(201);
}

/**
 * Some months of figures for the pages: the reference project and Utena, allocations, persons
 * served by both partners from January to June 2024, expenditures declared and one verified.
 */
export async function seedWebScenario(t: LedgerTestApp): Promise<void> {
  await seedProject(t);
  for (const [partner, category, amount] of [
    ['visaginas-spc', 'staff', '1250000.00'],
    ['visaginas-spc', 'equipment', '84500.50'],
    ['utena-spc', 'staff', '990000.00'],
  ] as const)
    await request(t.base)
      .put(url(`/allocations/${partner}/${category}`))
      .set(t.as('finance'))
      .send({ amount })
      .expect(201);
  const months = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'];
  let serial = 100;
  for (const [i, month] of months.entries()) {
    for (const [who, count] of [
      ['partnerA', 3 + i],
      ['partnerB', 1 + (i % 2)],
    ] as const)
      for (let k = 0; k < count; k++)
        await request(t.base)
          .post(url('/activities/service-deliveries'))
          .set(t.as(who))
          .send(visit(lithuanianCode(`4450301${serial++}`), `${month}-${String(3 + k).padStart(2, '0')}`))
          .expect(201);
  }
  const declared = await request(t.base)
    .post(url('/expenditures'))
    .set(t.as('partnerA'))
    .send({
      categoryId: 'staff',
      amount: '123456.78',
      occurredOn: '2024-05-31',
      documentRef: 'INV-2024-05',
      description: 'May salaries of the mobile team',
    })
    .expect(201);
  await request(t.base)
    .post(url(`/expenditures/${declared.body.expenditureId}/verify`))
    .set(t.as('finance'))
    .send({ eligible: '120000.00', ineligible: '3456.78', ineligibleReason: 'not-in-approved-budget' })
    .expect(201);
  await request(t.base)
    .post(url('/expenditures'))
    .set(t.as('partnerB'))
    .send({
      categoryId: 'staff',
      amount: '45000.00',
      occurredOn: '2024-06-10',
      documentRef: 'INV-U-06',
      description: 'June salaries',
    })
    .expect(201);
}
