import type { CoordinatorService } from '@ihl/domain';

export interface CoordinatorReadModel {
  /** A partner's live services dated in the range, and the persons whose first service with it is there. */
  coordinatorServices(
    projectCode: string,
    partnerId: string,
    between: { readonly from: string; readonly to: string },
  ): { readonly services: readonly CoordinatorService[]; readonly newPersons: number };
}
