import type { Cents } from '../shared/money';
import type { PeriodId } from '../period/reporting-period';
import type { Partner, ProjectDefinition } from './project-definition';

export const projectStreamId = (code: string): string => `project-${code}`;

export interface ProjectRegistered {
  readonly type: 'ProjectRegistered';
  readonly data: { readonly definition: ProjectDefinition };
}
export interface PartnerRegistered {
  readonly type: 'PartnerRegistered';
  readonly data: { readonly partner: Partner };
}
/** The allocation of one partner × category, replacing the previous amount. */
export interface AllocationSet {
  readonly type: 'AllocationSet';
  readonly data: {
    readonly partnerId: string;
    readonly categoryId: string;
    readonly amountCents: Cents;
    readonly previousCents: Cents;
  };
}
export interface PeriodLocked {
  readonly type: 'PeriodLocked';
  readonly data: { readonly periodId: PeriodId; readonly note?: string };
}
export interface PeriodReopened {
  readonly type: 'PeriodReopened';
  readonly data: { readonly periodId: PeriodId; readonly reason: string };
}

export type ProjectEvent = ProjectRegistered | PartnerRegistered | AllocationSet | PeriodLocked | PeriodReopened;
