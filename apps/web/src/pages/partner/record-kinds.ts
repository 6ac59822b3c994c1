/**
 * The forms the partner fills in, one per record kind, shaped after the API's DTOs
 * (libs/http-api/src/activities/activity.dto.ts, expenditures/expenditure.dto.ts): each field's
 * name is its path in the request body, so a 400's `issues[].field` names the control it belongs to.
 */
export type FieldType =
  'date' | 'time' | 'select' | 'int' | 'text' | 'textarea' | 'money' | 'personal-code' | 'category';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly options?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly optional?: boolean;
}

export type FormKind =
  | 'service-delivered'
  | 'caregiver-consultation'
  | 'psychological-support'
  | 'training-held'
  | 'equipment-procured'
  | 'vehicle'
  | 'promotion-event'
  | 'expenditure';

export interface KindSpec {
  readonly kind: FormKind;
  /** POST path under the project, and the path a correction goes to (`…/:id/corrections`). */
  readonly path: string;
  readonly fields: readonly FieldSpec[];
  /** Values the kind always sends (a vehicle is equipment of the vehicle category). */
  readonly fixed?: Readonly<Record<string, string>>;
}

const date: FieldSpec = { name: 'occurredOn', type: 'date' };
const worker: FieldSpec = { name: 'workerRef', type: 'text', optional: true };
const minutes = (max: number): FieldSpec => ({ name: 'durationMinutes', type: 'int', min: 1, max });
const equipment = (categories: readonly string[]): FieldSpec[] => [
  date,
  ...(categories.length > 1 ? [{ name: 'category', type: 'select' as const, options: categories }] : []),
  { name: 'description', type: 'text' },
  { name: 'quantity', type: 'int', min: 1, max: 100000 },
  { name: 'unitPrice', type: 'money' },
  { name: 'total', type: 'money' },
  { name: 'supplier', type: 'text' },
  { name: 'contractRef', type: 'text' },
];

export const KINDS: readonly KindSpec[] = [
  {
    kind: 'service-delivered',
    path: 'activities/service-deliveries',
    fields: [
      date,
      { name: 'service', type: 'select', options: ['nursing', 'rehabilitation', 'care'] },
      { name: 'targetGroup', type: 'select', options: ['disabled-child', 'disabled-adult', 'elderly'] },
      { name: 'setting', type: 'select', options: ['home', 'pre-school'] },
      // With both times given the API takes their span for left-out minutes, and checks given ones.
      { ...minutes(1440), optional: true },
      { name: 'startTime', type: 'time', optional: true },
      { name: 'endTime', type: 'time', optional: true },
      { name: 'recipient.personalCode', type: 'personal-code' },
      { name: 'recipient.profile.sex', type: 'select', options: ['female', 'male', 'non-binary'], optional: true },
      worker,
      { name: 'teamRef', type: 'text', optional: true },
    ],
  },
  {
    kind: 'caregiver-consultation',
    path: 'activities/caregiver-consultations',
    fields: [
      date,
      { name: 'topic', type: 'select', options: ['preparing-to-care', 'help-with-own-issues'] },
      minutes(1440),
      { name: 'familyMembers', type: 'int', min: 1, max: 100 },
      worker,
    ],
  },
  {
    kind: 'psychological-support',
    path: 'activities/psychological-support',
    fields: [
      date,
      {
        name: 'recipientKind',
        type: 'select',
        options: ['disabled-person', 'elderly-person', 'family-caregiver', 'worker'],
      },
      { name: 'format', type: 'select', options: ['individual', 'group'] },
      minutes(1440),
      { name: 'participants', type: 'int', min: 1, max: 500 },
      worker,
    ],
  },
  {
    kind: 'training-held',
    path: 'activities/trainings',
    fields: [
      date,
      { name: 'trainingKind', type: 'select', options: ['competence', 'qualification'] },
      { name: 'topic', type: 'text' },
      minutes(14400),
      { name: 'participants', type: 'int', min: 1, max: 10000 },
    ],
  },
  {
    kind: 'equipment-procured',
    path: 'activities/equipment-procurements',
    fields: equipment(['nursing-aid', 'equipment', 'device']),
  },
  {
    kind: 'vehicle',
    path: 'activities/equipment-procurements',
    fields: equipment(['vehicle']),
    fixed: { category: 'vehicle' },
  },
  {
    kind: 'promotion-event',
    path: 'activities/promotion-events',
    fields: [
      date,
      { name: 'audience', type: 'select', options: ['workers', 'family-members', 'community'] },
      { name: 'title', type: 'text' },
      { name: 'attendees', type: 'int', min: 1, max: 100000 },
    ],
  },
  {
    kind: 'expenditure',
    path: 'expenditures',
    fields: [
      { name: 'categoryId', type: 'category' },
      { name: 'amount', type: 'money' },
      date,
      { name: 'documentRef', type: 'text' },
      { name: 'description', type: 'textarea' },
    ],
  },
];

export const kindSpec = (kind: FormKind): KindSpec => KINDS.find((k) => k.kind === kind)!;
