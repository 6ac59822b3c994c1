import { projectionHarness } from './projection-harness';
import fc from 'fast-check';
import type { JsonValue } from '@ihl/event-store';
import { activityVolumes, activityVolumesProjection } from './activity-volumes.projection';

const KINDS = {
  'service-delivered': 'ServiceDelivered',
  'training-held': 'TrainingHeld',
  'equipment-procured': 'EquipmentProcured',
  'promotion-event': 'InformalHelpEventHeld',
} as const;
type Kind = keyof typeof KINDS;

const fieldsOf = (kind: Kind, n: number, pick: number, occurredOn = '2024-04-01'): Record<string, JsonValue> => {
  switch (kind) {
    case 'service-delivered':
      return {
        kind,
        occurredOn,
        service: ['care', 'nursing'][pick % 2]!,
        setting: ['home', 'day-centre'][pick % 2]!,
        durationMinutes: n,
        recipient: { pseudonym: `p${pick % 3}` },
        ...(pick % 2 ? { workerRef: `w${pick % 2}` } : {}),
      };
    case 'training-held':
      return { kind, occurredOn, participants: pick + 1, durationMinutes: n };
    case 'equipment-procured':
      return {
        kind,
        occurredOn,
        category: ['bed', 'vehicle'][pick % 2]!,
        quantity: pick + 1,
        totalCents: n * 100,
      };
    case 'promotion-event':
      return { kind, occurredOn, audience: ['family', 'community'][pick % 2]!, attendees: n };
  }
};

/** What the volumes must be: recounted naively from the live records. */
function recount(
  records: Map<string, { partnerId: string; fields: Record<string, JsonValue>; voided: boolean }>,
  keep: (r: { partnerId: string; fields: Record<string, JsonValue> }) => boolean = () => true,
) {
  const live = [...records.values()].filter((r) => !r.voided && keep(r));
  const of = (kind: Kind) => live.filter((r) => r.fields.kind === kind).map((r) => r.fields as Record<string, never>);
  const services = new Map<string, { count: number; minutes: number }>();
  for (const f of of('service-delivered')) {
    const k = `${f.service}\u0000${f.setting}`;
    const s = services.get(k) ?? { count: 0, minutes: 0 };
    services.set(k, { count: s.count + 1, minutes: s.minutes + (f.durationMinutes as number) });
  }
  const trainings = of('training-held');
  const caseload = new Map<string, Set<string>>();
  const caseServices = new Map<string, number>();
  for (const r of live.filter((x) => x.fields.kind === 'service-delivered' && x.fields.workerRef)) {
    const k = `${r.partnerId}\u0000${r.fields.workerRef as string}`;
    caseload.set(k, (caseload.get(k) ?? new Set()).add((r.fields.recipient as { pseudonym: string }).pseudonym));
    caseServices.set(k, (caseServices.get(k) ?? 0) + 1);
  }
  return {
    services: [...services.entries()].sort().map(([k, v]) => [...k.split('\u0000'), v.count, v.minutes]),
    trainings: [trainings.length, trainings.reduce((a, f) => a + (f.participants as number), 0)],
    equipmentCost: of('equipment-procured').reduce((a, f) => a + (f.totalCents as number), 0),
    attendees: of('promotion-event').reduce((a, f) => a + (f.attendees as number), 0),
    caseload: [...caseload.entries()].sort().map(([k, v]) => [...k.split('\u0000'), caseServices.get(k), v.size]),
  };
}

describe('activity volumes running sums', () => {
  it('equal a recount of the live records after any records, corrections and voids', () => {
    const op = fc.record({
      what: fc.constantFrom('record', 'correct', 'void'),
      id: fc.nat(6),
      kind: fc.constantFrom(...(Object.keys(KINDS) as Kind[])),
      partner: fc.constantFrom('a', 'b'),
      n: fc.integer({ min: 1, max: 500 }),
      pick: fc.nat(5),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        const { db, apply: applyTo } = projectionHarness([activityVolumesProjection]);
        const records = new Map<string, { partnerId: string; fields: Record<string, JsonValue>; voided: boolean }>();
        const apply = (type: string, data: Record<string, JsonValue>) =>
          applyTo(`activity-${String(data.activityId)}`, type, data);
        for (const o of ops) {
          const activityId = `r${o.id}`;
          const known = records.get(activityId);
          if (o.what === 'record' && !known) {
            const fields = fieldsOf(o.kind, o.n, o.pick);
            apply(KINDS[o.kind], { activityId, projectCode: 'P', partnerId: o.partner, fields });
            records.set(activityId, { partnerId: o.partner, fields, voided: false });
          } else if (o.what === 'correct' && known && !known.voided) {
            const fields = fieldsOf(known.fields.kind as Kind, o.n, o.pick);
            apply('ActivityCorrected', { activityId, fields });
            known.fields = fields;
          } else if (o.what === 'void' && known && !known.voided) {
            apply('ActivityVoided', { activityId });
            known.voided = true;
          }
        }
        const v = activityVolumes(db, 'P');
        const expected = recount(records);
        expect(v.services.map((s) => [s.service, s.setting, s.count, Math.round(s.hours * 60)])).toEqual(
          expected.services,
        );
        expect([v.trainings.count, v.trainings.participants]).toEqual(expected.trainings);
        expect(v.equipment.reduce((a, e) => a + e.costCents, 0)).toBe(expected.equipmentCost);
        expect(v.events.reduce((a, e) => a + e.attendees, 0)).toBe(expected.attendees);
        expect(v.caseload.map((c) => [c.partnerId, c.workerRef, c.services, c.persons])).toEqual(expected.caseload);
        db.close();
      }),
      { numRuns: 300 },
    );
  });

  it('between two dates: a recount of the live records dated in the range (their current date), per partner too', () => {
    const DAYS = ['2024-03-31', '2024-04-01', '2024-04-15', '2024-04-30', '2024-05-01'];
    const op = fc.record({
      what: fc.constantFrom('record', 'correct', 'void'),
      id: fc.nat(6),
      kind: fc.constantFrom(...(Object.keys(KINDS) as Kind[])),
      partner: fc.constantFrom('a', 'b'),
      n: fc.integer({ min: 1, max: 500 }),
      pick: fc.nat(5),
      day: fc.nat(DAYS.length - 1),
    });
    const range = fc
      .tuple(fc.nat(DAYS.length - 1), fc.nat(DAYS.length - 1))
      .map(([a, b]) => ({ from: DAYS[Math.min(a, b)]!, to: DAYS[Math.max(a, b)]! }));
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 50 }),
        range,
        fc.constantFrom(undefined, 'a', 'b'),
        (ops, between, partner) => {
          const { db, apply: applyTo } = projectionHarness([activityVolumesProjection]);
          const records = new Map<string, { partnerId: string; fields: Record<string, JsonValue>; voided: boolean }>();
          const apply = (type: string, data: Record<string, JsonValue>) =>
            applyTo(`activity-${String(data.activityId)}`, type, data);
          for (const o of ops) {
            const activityId = `r${o.id}`;
            const known = records.get(activityId);
            // A correction may move a record into the range or out of it.
            if (o.what === 'record' && !known) {
              const fields = fieldsOf(o.kind, o.n, o.pick, DAYS[o.day]);
              apply(KINDS[o.kind], { activityId, projectCode: 'P', partnerId: o.partner, fields });
              records.set(activityId, { partnerId: o.partner, fields, voided: false });
            } else if (o.what === 'correct' && known && !known.voided) {
              const fields = fieldsOf(known.fields.kind as Kind, o.n, o.pick, DAYS[o.day]);
              apply('ActivityCorrected', { activityId, fields });
              known.fields = fields;
            } else if (o.what === 'void' && known && !known.voided) {
              apply('ActivityVoided', { activityId });
              known.voided = true;
            }
          }
          const v = activityVolumes(db, 'P', partner, between);
          const expected = recount(
            records,
            (r) =>
              (partner === undefined || r.partnerId === partner) &&
              (r.fields.occurredOn as string) >= between.from &&
              (r.fields.occurredOn as string) <= between.to,
          );
          expect(v.services.map((s) => [s.service, s.setting, s.count, Math.round(s.hours * 60)])).toEqual(
            expected.services,
          );
          expect([v.trainings.count, v.trainings.participants]).toEqual(expected.trainings);
          expect(v.equipment.reduce((a, e) => a + e.costCents, 0)).toBe(expected.equipmentCost);
          expect(v.events.reduce((a, e) => a + e.attendees, 0)).toBe(expected.attendees);
          expect(v.caseload.map((c) => [c.partnerId, c.workerRef, c.services, c.persons])).toEqual(expected.caseload);
          // The whole period: exactly what the running sums answer.
          expect(activityVolumes(db, 'P', partner, { from: DAYS[0]!, to: DAYS[DAYS.length - 1]! })).toEqual(
            activityVolumes(db, 'P', partner),
          );
          db.close();
        },
      ),
      { numRuns: 300 },
    );
  });
});
