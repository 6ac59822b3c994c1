import type { CoordinatorService } from '@ihl/domain';
import { codeOf } from './record-index';
import type { Sql } from './statement-cache';

/** A partner's live service records dated in a range, and how many persons had their first service there. */
export interface CoordinatorServices {
  readonly services: CoordinatorService[];
  readonly newPersons: number;
}

const SERVICES_OF_PARTNER = `r.project_code = ${codeOf('@project')} and r.partner_id = ${codeOf('@partner')}
  and r.kind = ${codeOf("'service-delivered'")} and r.voided = 0`;

/**
 * From the shared `records` table: the services of the range with their worker, recipient number,
 * minutes and times; and the persons whose earliest live service with the partner (ever) is in it.
 */
export function coordinatorServices(
  db: Sql,
  projectCode: string,
  partnerId: string,
  between: { readonly from: string; readonly to: string },
): CoordinatorServices {
  const args = { project: projectCode, partner: partnerId, from: between.from, to: between.to };
  const services = db
    .prepare(
      `select w.text as workerRef, r.person_no as person, r.minutes, r.start_minute as startMinute,
              r.end_minute as endMinute
       from records r left join records_codes w on w.code = r.worker_ref
       where ${SERVICES_OF_PARTNER} and r.occurred_on between @from and @to
       order by r.occurred_on, r.seq`,
    )
    .all(args) as CoordinatorService[];
  const first = db
    .prepare(
      `select count(*) as n from (
         select min(r.occurred_on) as first from records r
         where ${SERVICES_OF_PARTNER} and r.person_no is not null group by r.person_no
       ) where first between @from and @to`,
    )
    .get(args) as { n: number };
  return { services, newPersons: first.n };
}
