import type { ActivityVolumes } from '@ihl/domain';

export interface VolumesReadModel {
  readonly reached: number;
  waitFor(position: number, timeoutMs: number): Promise<void>;
  activityVolumes(projectCode: string, partnerId?: string): ActivityVolumes;
}
