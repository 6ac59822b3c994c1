import type { ServiceDeliveredFields } from './activity-kinds';
import { serviceTimeMinutes, validateActivityFields, type DatingContext } from './activity-validation';

const ctx: DatingContext = {
  projectStart: '2023-01-01',
  projectEnd: '2026-12-31',
  partnerJoinedOn: '2023-01-01',
  reportingPeriod: 'quarterly',
  lockedPeriods: new Set(),
  today: '2024-06-30',
};
const service: ServiceDeliveredFields = {
  kind: 'service-delivered',
  occurredOn: '2024-05-06',
  service: 'care',
  targetGroup: 'elderly',
  setting: 'home',
  durationMinutes: 90,
  recipient: { pseudonym: 'p-1', keyVersion: 1 },
  workerRef: 'W-017',
};
/** Given a service's fields, then the rules it breaks (field:rule). */
const broken = (f: Partial<ServiceDeliveredFields>) =>
  validateActivityFields({ ...service, ...f }, ctx).issues.map((i) => `${i.field}:${i.rule}`);

describe('service times: start and end on the same day; the minutes are their span', () => {
  it('a service without times keeps its minutes as before', () => {
    expect(broken({})).toEqual([]);
  });

  it('times whose span is the minutes are accepted', () => {
    expect(serviceTimeMinutes('08:30', '10:00')).toBe(90);
    expect(broken({ startTime: '08:30', endTime: '10:00' })).toEqual([]);
  });

  it('minutes other than the span are refused, naming durationMinutes', () => {
    expect(broken({ startTime: '08:30', endTime: '09:30' })).toEqual(['durationMinutes:matches-times']);
  });

  it('an end not after the start, a bad time, or one time alone are refused, naming the field', () => {
    expect(broken({ startTime: '10:00', endTime: '10:00' })).toEqual(['endTime:end-after-start']);
    expect(broken({ startTime: '23:30', endTime: '00:30' })).toEqual(['endTime:end-after-start']);
    expect(broken({ startTime: '8:30', endTime: '24:00' })).toEqual(['startTime:time', 'endTime:time']);
    expect(broken({ startTime: '08:30' })).toEqual(['endTime:times-together']);
    expect(serviceTimeMinutes('10:00', '09:00')).toBeNull();
  });
});
