import type { Cents } from '../shared/money';
import type { IsoDate } from '../shared/iso-date';
import type { TargetGroup } from '../project/project-definition';

export const SERVICES = ['nursing', 'rehabilitation', 'care'] as const;
export type Service = (typeof SERVICES)[number];
export const SETTINGS = ['home', 'pre-school'] as const;
export type Setting = (typeof SETTINGS)[number];
export const CONSULTATION_TOPICS = ['preparing-to-care', 'help-with-own-issues'] as const;
export const PSYCH_RECIPIENTS = ['disabled-person', 'elderly-person', 'family-caregiver', 'worker'] as const;
export type PsychRecipient = (typeof PSYCH_RECIPIENTS)[number];
export const SUPPORT_FORMATS = ['individual', 'group'] as const;
export const TRAINING_KINDS = ['competence', 'qualification'] as const;
export const EQUIPMENT_CATEGORIES = ['nursing-aid', 'equipment', 'device', 'vehicle'] as const;
export type EquipmentCategory = (typeof EQUIPMENT_CATEGORIES)[number];
export const AUDIENCES = ['workers', 'family-members', 'community'] as const;

/** A service recipient as the ledger keeps them: a pseudonym, never a personal code. */
export interface RecipientRef {
  readonly pseudonym: string;
  readonly keyVersion: number;
}

export interface ServiceDeliveredFields {
  readonly kind: 'service-delivered';
  readonly occurredOn: IsoDate;
  readonly service: Service;
  readonly targetGroup: TargetGroup;
  readonly setting: Setting;
  readonly durationMinutes: number;
  readonly recipient: RecipientRef;
  /** Pseudonymous staff or team reference, for caseload figures; never a name. */
  readonly workerRef?: string;
  readonly teamRef?: string;
  /** When the service began and ended that day (HH:MM, Vilnius); the minutes are then end - start. */
  readonly startTime?: string;
  readonly endTime?: string;
}

export interface CaregiverConsultationFields {
  readonly kind: 'caregiver-consultation';
  readonly occurredOn: IsoDate;
  readonly topic: (typeof CONSULTATION_TOPICS)[number];
  readonly durationMinutes: number;
  readonly familyMembers: number;
  readonly workerRef?: string;
}

export interface PsychologicalSupportFields {
  readonly kind: 'psychological-support';
  readonly occurredOn: IsoDate;
  readonly recipientKind: PsychRecipient;
  readonly format: (typeof SUPPORT_FORMATS)[number];
  readonly durationMinutes: number;
  readonly participants: number;
  readonly workerRef?: string;
}

export interface TrainingHeldFields {
  readonly kind: 'training-held';
  readonly occurredOn: IsoDate;
  readonly trainingKind: (typeof TRAINING_KINDS)[number];
  readonly topic: string;
  readonly durationMinutes: number;
  readonly participants: number;
}

export interface EquipmentProcuredFields {
  readonly kind: 'equipment-procured';
  readonly occurredOn: IsoDate;
  readonly category: EquipmentCategory;
  readonly description: string;
  readonly quantity: number;
  readonly unitPriceCents: Cents;
  readonly totalCents: Cents;
  readonly supplier: string;
  readonly contractRef: string;
}

export interface PromotionEventFields {
  readonly kind: 'promotion-event';
  readonly occurredOn: IsoDate;
  readonly audience: (typeof AUDIENCES)[number];
  readonly title: string;
  readonly attendees: number;
}

export type ActivityFields =
  | ServiceDeliveredFields
  | CaregiverConsultationFields
  | PsychologicalSupportFields
  | TrainingHeldFields
  | EquipmentProcuredFields
  | PromotionEventFields;

export type ActivityKind = ActivityFields['kind'];

/** Stored event type per kind: names are permanent (never renamed). */
export const RECORDED_EVENT_TYPE = {
  'service-delivered': 'ServiceDelivered',
  'caregiver-consultation': 'CaregiverConsultationHeld',
  'psychological-support': 'PsychologicalSupportProvided',
  'training-held': 'TrainingHeld',
  'equipment-procured': 'EquipmentProcured',
  'promotion-event': 'InformalHelpEventHeld',
} as const satisfies Record<ActivityKind, string>;

export const ACTIVITY_KINDS = Object.keys(RECORDED_EVENT_TYPE) as ActivityKind[];
