import request from 'supertest';
import { lithuanianCode, seedProject, startLedgerTestApp, type LedgerTestApp, url } from './support/ledger-test-app';

const ELDER = lithuanianCode('3400101123');
const CHILD = lithuanianCode('6190512123');
const OTHER = lithuanianCode('4450301123');

describe('activity volumes over HTTP, checked against hand-computed sums', () => {
  let t: LedgerTestApp;
  let last = 0;
  const post = async (who: 'partnerA' | 'partnerB', path: string, body: object) => {
    const res = await request(t.base).post(url(path)).set(t.as(who)).send(body).expect(201);
    last = res.body.position;
    return res.body as { activityId: string };
  };
  const visit = (
    service: string,
    setting: string,
    minutes: number,
    personalCode: string,
    workerRef: string,
    targetGroup = 'elderly',
  ) => ({
    occurredOn: '2024-04-10',
    service,
    targetGroup,
    setting,
    durationMinutes: minutes,
    recipient: { personalCode },
    workerRef,
  });

  beforeAll(async () => {
    t = await startLedgerTestApp();
    await seedProject(t);
    await post('partnerA', '/activities/service-deliveries', visit('nursing', 'home', 90, ELDER, 'nurse-07'));
    await post('partnerA', '/activities/service-deliveries', visit('nursing', 'home', 30, ELDER, 'nurse-07'));
    await post(
      'partnerA',
      '/activities/service-deliveries',
      visit('rehabilitation', 'pre-school', 60, CHILD, 'rehab-02', 'disabled-child'),
    );
    const voided = await post(
      'partnerA',
      '/activities/service-deliveries',
      visit('nursing', 'home', 45, ELDER, 'nurse-07'),
    );
    await post('partnerA', `/activities/${voided.activityId}/void`, { reason: 'entered twice' });
    await post('partnerB', '/activities/service-deliveries', visit('care', 'home', 60, OTHER, 'nurse-07'));
    await post('partnerA', '/activities/caregiver-consultations', {
      occurredOn: '2024-04-11',
      topic: 'preparing-to-care',
      durationMinutes: 60,
      familyMembers: 2,
    });
    await post('partnerA', '/activities/caregiver-consultations', {
      occurredOn: '2024-04-12',
      topic: 'help-with-own-issues',
      durationMinutes: 30,
      familyMembers: 1,
    });
    await post('partnerA', '/activities/psychological-support', {
      occurredOn: '2024-04-12',
      recipientKind: 'family-caregiver',
      format: 'group',
      durationMinutes: 120,
      participants: 6,
    });
    await post('partnerA', '/activities/psychological-support', {
      occurredOn: '2024-04-13',
      recipientKind: 'disabled-person',
      format: 'individual',
      durationMinutes: 50,
      participants: 1,
    });
    await post('partnerA', '/activities/trainings', {
      occurredOn: '2024-04-15',
      trainingKind: 'qualification',
      topic: 'Palliative care',
      durationMinutes: 480,
      participants: 14,
    });
    const training = await post('partnerA', '/activities/trainings', {
      occurredOn: '2024-04-16',
      trainingKind: 'competence',
      topic: 'Lifting',
      durationMinutes: 120,
      participants: 5,
    });
    await post('partnerA', `/activities/trainings/${training.activityId}/corrections`, {
      occurredOn: '2024-04-16',
      trainingKind: 'competence',
      topic: 'Lifting',
      durationMinutes: 150,
      participants: 5,
      reason: 'ran half an hour longer',
    });
    await post('partnerA', '/activities/equipment-procurements', {
      occurredOn: '2024-04-17',
      category: 'vehicle',
      description: 'Mobile team car',
      quantity: 3,
      unitPrice: '10333.33',
      total: '30999.99',
      supplier: 'UAB Auto',
      contractRef: 'VP-17',
    });
    await post('partnerA', '/activities/equipment-procurements', {
      occurredOn: '2024-04-18',
      category: 'nursing-aid',
      description: 'Slings',
      quantity: 10,
      unitPrice: '12.34',
      total: '123.40',
      supplier: 'UAB Aids',
      contractRef: 'VP-18',
    });
    await post('partnerA', '/activities/promotion-events', {
      occurredOn: '2024-04-20',
      audience: 'community',
      title: 'Informal help day',
      attendees: 85,
    });
    await post('partnerA', '/activities/promotion-events', {
      occurredOn: '2024-04-21',
      audience: 'workers',
      title: 'Team day',
      attendees: 9,
    });
  });
  afterAll(() => t.close());

  it('project-wide figures for the agency', async () => {
    const res = await request(t.base)
      .get(url(`/volumes?position=${last}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(res.body).toMatchObject({
      services: [
        { service: 'care', setting: 'home', count: 1, hours: 1 },
        { service: 'nursing', setting: 'home', count: 2, hours: 2 },
        { service: 'rehabilitation', setting: 'pre-school', count: 1, hours: 1 },
      ],
      consultations: { count: 2, familyMembers: 3, hours: 1.5 },
      psychologicalSupport: [
        { recipientKind: 'disabled-person', sessions: 1, participants: 1, hours: 0.83 },
        { recipientKind: 'family-caregiver', sessions: 1, participants: 6, hours: 2 },
      ],
      // 480 + 150 minutes; participant-hours (14 × 480 + 5 × 150) / 60 = 124.5
      trainings: { count: 2, participants: 19, hours: 10.5, participantHours: 124.5 },
      equipment: [
        { category: 'nursing-aid', quantity: 10, cost: '123.40' },
        { category: 'vehicle', quantity: 3, cost: '30999.99' },
      ],
      vehicles: { quantity: 3, cost: '30999.99' },
      events: [
        { audience: 'community', count: 1, attendees: 85 },
        { audience: 'workers', count: 1, attendees: 9 },
      ],
      caseload: [
        { partnerId: 'utena-spc', workerRef: 'nurse-07', services: 1, persons: 1 },
        { partnerId: 'visaginas-spc', workerRef: 'nurse-07', services: 2, persons: 1 },
        { partnerId: 'visaginas-spc', workerRef: 'rehab-02', services: 1, persons: 1 },
      ],
    });
  });

  it('exports volumes as CSV in long form', async () => {
    const res = await request(t.base)
      .get(url(`/volumes?format=csv&position=${last}`))
      .set(t.as('auditor'))
      .expect(200);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('section,item,metric,value');
    expect(lines).toEqual(
      expect.arrayContaining([
        'services,nursing/home,hours,2',
        'trainings,,participantHours,124.5',
        'equipment,vehicle,cost,30999.99',
      ]),
    );
  });

  it('a partner sees its own volumes only', async () => {
    const res = await request(t.base)
      .get(url(`/volumes?position=${last}`))
      .set(t.as('partnerB'))
      .expect(200);
    expect(res.body.services).toEqual([{ service: 'care', setting: 'home', count: 1, hours: 1 }]);
    expect(res.body.caseload).toEqual([{ partnerId: 'utena-spc', workerRef: 'nurse-07', services: 1, persons: 1 }]);
    expect(res.body.trainings).toEqual({ count: 0, participants: 0, hours: 0, participantHours: 0 });
  });
});
