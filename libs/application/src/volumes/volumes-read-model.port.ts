import type { ActivityVolumes, IsoDate } from '@ihl/domain';

/** Records dated from `from` to `to`, both included (their occurrence or document date). */
export interface DateRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

export interface VolumesReadModel {
  readonly reached: number;
  waitFor(position: number, timeoutMs: number): Promise<void>;
  /** The project's volumes or one partner's; with `between`, of the records dated in it only. */
  activityVolumes(projectCode: string, partnerId?: string, between?: DateRange): ActivityVolumes;
}
