/** Activity volumes as the agency reads them (costs in cents). */
export interface ActivityVolumes {
  readonly services: readonly { service: string; setting: string; count: number; hours: number }[];
  readonly consultations: { count: number; familyMembers: number; hours: number };
  readonly psychologicalSupport: readonly {
    recipientKind: string;
    sessions: number;
    participants: number;
    hours: number;
  }[];
  readonly trainings: { count: number; participants: number; hours: number; participantHours: number };
  readonly equipment: readonly { category: string; quantity: number; costCents: number }[];
  readonly vehicles: { quantity: number; costCents: number };
  readonly events: readonly { audience: string; count: number; attendees: number }[];
  /** Services and distinct persons per partner and worker reference, where partners recorded one. */
  readonly caseload: readonly { partnerId: string; workerRef: string; services: number; persons: number }[];
}
