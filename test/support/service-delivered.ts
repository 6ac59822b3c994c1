import { randomUUID } from 'node:crypto';

/**
 * A stored `ServiceDelivered` event's type and data, with the fields the persons-reached and volumes
 * projections read (90 minutes of nursing at home), for tests that append to a store directly.
 */
export function serviceDelivered(projectCode: string, activityId: string, pseudonym: string) {
  return {
    eventId: randomUUID(),
    type: 'ServiceDelivered',
    data: {
      activityId,
      projectCode,
      partnerId: 'visaginas-spc',
      fields: {
        kind: 'service-delivered',
        occurredOn: '2024-03-01',
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 90,
        recipient: { pseudonym, keyVersion: 1 },
      },
    },
  };
}
