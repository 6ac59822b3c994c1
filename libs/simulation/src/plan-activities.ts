import type { ActivityInput } from '@ihl/application';
import { ageOn, pad2, seasonOf, type SimMonth } from './simulation-calendar';
import type { PlannedPartner, PlannedPerson, PlannedRecord } from './simulation-plan';
import type { SeededRandom } from './seeded-random';

/** Recorded visits per person and ordinary month at intensity 1 (a demo's density, not a caseload). */
export const VISITS_PER_MONTH = 2.2;
/** Per partner and ordinary month at weight 1. */
export const PER_PARTNER_MONTH = { consultations: 1.8, psych: 0.9, trainings: 0.3, promotion: 0.22, equipment: 0.45 };

/** A day of the month on or after `from` (a date in this month or earlier). */
export function dayIn(month: SimMonth, from: string, rnd: SeededRandom): string {
  const lowest = from >= month.firstDay ? Number(from.slice(8, 10)) : 1;
  return `${month.id}-${pad2(rnd.int(Math.min(lowest, month.days), month.days))}`;
}

function serviceInput(person: PlannedPerson, day: string, first: boolean, rnd: SeededRandom): ActivityInput {
  const p = person.partner;
  const child = person.group === 'disabled-child';
  const service =
    person.group === 'elderly'
      ? rnd.pick(['nursing', 'care', 'care', 'rehabilitation'] as const)
      : rnd.pick(['nursing', 'care', 'rehabilitation', 'rehabilitation'] as const);
  const profile = { sex: person.sex, birthYear: Number(person.birthDate.slice(0, 4)), disability: person.disability };
  return {
    kind: 'service-delivered',
    occurredOn: day,
    service,
    targetGroup: person.group,
    setting: child && ageOn(person.birthDate, day) < 7 && rnd.chance(0.5) ? 'pre-school' : 'home',
    durationMinutes: 15 * rnd.int(2, 10),
    workerRef: `w-${pad2(rnd.int(1, p.workers))}`,
    ...(rnd.chance(0.35) ? { teamRef: `mobile-${rnd.int(1, 3)}` } : {}),
    recipient: { personalCode: person.personalCode, ...(first ? { profile } : {}) },
  };
}

/** The month's service visits: the first one of a person is on its first day and reaches them. */
export function planServices(persons: readonly PlannedPerson[], month: SimMonth, rnd: SeededRandom): PlannedRecord[] {
  const records: PlannedRecord[] = [];
  for (const person of persons) {
    if (month.index < person.firstMonth || month.index > person.lastMonth) continue;
    const first = month.index === person.firstMonth;
    const visits = rnd.count(VISITS_PER_MONTH * person.intensity * seasonOf(month.month)) + (first ? 1 : 0);
    for (let v = 0; v < visits; v++) {
      const reaches = first && v === 0;
      const day = reaches ? person.firstDay : dayIn(month, first ? person.firstDay : month.firstDay, rnd);
      const input = serviceInput(person, day, reaches, rnd);
      records.push({ activityId: rnd.uuid(), partner: person.partner, input, reaches });
    }
  }
  return records;
}

type Draw = (day: string) => ActivityInput;

function partnerDraws(p: PlannedPartner, month: SimMonth, rnd: SeededRandom): [number, Draw][] {
  const mean = (m: number) => m * p.weight * p.pace * seasonOf(month.month);
  const group = () => rnd.chance(0.25);
  return [
    [
      mean(PER_PARTNER_MONTH.consultations),
      (d) => ({
        kind: 'caregiver-consultation',
        occurredOn: d,
        topic: rnd.pick(['preparing-to-care', 'help-with-own-issues'] as const),
        durationMinutes: 15 * rnd.int(2, 6),
        familyMembers: rnd.int(1, 4),
        workerRef: `w-${pad2(rnd.int(1, p.workers))}`,
      }),
    ],
    [
      mean(PER_PARTNER_MONTH.psych),
      (d) => {
        const many = group();
        return {
          kind: 'psychological-support',
          occurredOn: d,
          recipientKind: rnd.pick([
            'disabled-person',
            'elderly-person',
            'family-caregiver',
            'family-caregiver',
            'worker',
          ] as const),
          format: many ? 'group' : 'individual',
          durationMinutes: many ? 90 : 15 * rnd.int(3, 5),
          participants: many ? rnd.int(3, 10) : 1,
          workerRef: `psy-${rnd.int(1, 2)}`,
        };
      },
    ],
    [
      mean(PER_PARTNER_MONTH.trainings),
      (d) => ({
        kind: 'training-held',
        occurredOn: d,
        trainingKind: rnd.pick(['competence', 'qualification'] as const),
        topic: rnd.pick([
          'Saugus paciento kėlimas',
          'Demencijos priežiūra',
          'Pirmoji pagalba',
          'Paliatyvioji slauga',
          'Profesinė etika',
        ]),
        durationMinutes: 60 * rnd.int(3, 16),
        participants: rnd.int(4, 24),
      }),
    ],
    [
      mean(PER_PARTNER_MONTH.promotion),
      (d) => ({
        kind: 'promotion-event',
        occurredOn: d,
        audience: rnd.pick(['workers', 'family-members', 'community'] as const),
        title: rnd.pick(['Neformalios pagalbos diena', 'Rūpinkimės kartu', 'Atvirų durų diena centre']),
        attendees: rnd.int(10, 120),
      }),
    ],
  ];
}

/** The partner's consultations, psychological support, trainings and promotion events of the month. */
export function planPartnerActivities(p: PlannedPartner, month: SimMonth, rnd: SeededRandom): PlannedRecord[] {
  const records: PlannedRecord[] = [];
  for (const [mean, draw] of partnerDraws(p, month, rnd)) {
    for (let i = rnd.count(mean); i > 0; i--) {
      records.push({ activityId: rnd.uuid(), partner: p, input: draw(dayIn(month, p.joinedOn, rnd)), reaches: false });
    }
  }
  return records;
}

/** Nursing aids, equipment and devices bought this month, or a vehicle for a mobile team. */
export function procurement(
  p: PlannedPartner,
  month: SimMonth,
  vehicle: boolean,
  budgetCents: number,
  rnd: SeededRandom,
): PlannedRecord {
  const category = vehicle ? 'vehicle' : rnd.pick(['nursing-aid', 'nursing-aid', 'equipment', 'device'] as const);
  const quantity = vehicle ? 1 : rnd.int(1, 30);
  const unitPriceCents = Math.max(100, Math.round(budgetCents / quantity));
  const input: ActivityInput = {
    kind: 'equipment-procured',
    occurredOn: dayIn(month, p.joinedOn, rnd),
    category,
    description: vehicle ? 'Automobilis mobiliajai komandai' : 'Keltuvai, lovos ir vaikštynės',
    quantity,
    unitPriceCents,
    totalCents: unitPriceCents * quantity,
    supplier: rnd.pick(['UAB Medicinos pagalba', 'UAB Slaugos prekės', 'UAB Auto centras']),
    contractRef: `SUT-${month.year}-${String(rnd.int(1, 999)).padStart(3, '0')}`,
  };
  return { activityId: rnd.uuid(), partner: p, input, reaches: false };
}
