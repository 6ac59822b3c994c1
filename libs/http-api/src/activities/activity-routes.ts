import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { serviceTimeMinutes, type ActivityKind, type ValidationIssue } from '@ihl/domain';
import type { ActivityInput, BatchItem } from '@ihl/application';
import { moneyToCents } from '../http/dto-rules';
import { certainlyValid } from '../http/dto-fast-check';
import { flatten } from '../http/validation.pipe';
import {
  CorrectCaregiverConsultationDto,
  CorrectEquipmentProcuredDto,
  CorrectPromotionEventDto,
  CorrectPsychologicalSupportDto,
  CorrectServiceDeliveredDto,
  CorrectTrainingHeldDto,
  SubmitCaregiverConsultationDto,
  SubmitEquipmentProcuredDto,
  SubmitPromotionEventDto,
  SubmitPsychologicalSupportDto,
  SubmitServiceDeliveredDto,
  SubmitTrainingHeldDto,
} from './activity.dto';

/** The ids a submission may carry beside its values. */
export interface SubmitIds {
  readonly activityId?: string;
  readonly partnerId?: string;
}
/** What a correction carries beside its values. */
export interface CorrectionReason {
  readonly reason: string;
}

/** A validated submission: the typed input, and the ids the partner chose (if any). */
export interface Submission extends SubmitIds {
  readonly input: ActivityInput;
}
export interface Correction extends CorrectionReason {
  readonly input: ActivityInput;
}

/** One batch record: refused with issues, or accepted with the partner id it named (checked by the caller). */
export type BatchRecord =
  { readonly issues: readonly ValidationIssue[] } | { readonly item: BatchItem; readonly partnerId?: string };

/**
 * One activity kind as the API serves it: `POST <path>` submits, `POST <path>/:id/corrections`
 * corrects, and `kind` names it in a batch. `name` keeps the handler names (and so the OpenAPI
 * operation ids) `submit<name>` / `correct<name>`.
 */
export interface ActivityRoute {
  readonly path: string;
  readonly name: string;
  readonly kind: ActivityKind;
  readonly submitDto: Type<SubmitIds>;
  readonly correctDto: Type<CorrectionReason>;
  /** From a submit DTO the validation pipe has checked. */
  submission(dto: object): Submission;
  /** From a correct DTO the validation pipe has checked. */
  correction(dto: object): Correction;
  /** Validates one raw batch record (without its `kind`) as the submit DTO would be, at `records[i]`. */
  batchRecord(values: object, at: string): Promise<BatchRecord>;
}

/** A plain copy without the given keys: nested DTO instances become plain objects, undefined fields go. */
function without<T extends object, K extends keyof T>(dto: T, ...keys: K[]): Omit<T, K> {
  const copy = JSON.parse(JSON.stringify(dto));
  for (const k of keys) delete copy[k];
  return copy;
}

function activityRoute<K extends ActivityKind, S extends SubmitIds, C extends CorrectionReason>(spec: {
  path: string;
  name: string;
  kind: K;
  submit: Type<S>;
  correct: Type<C>;
  toInput: (values: Omit<S, keyof SubmitIds> | Omit<C, keyof CorrectionReason>) => Extract<ActivityInput, { kind: K }>;
}): ActivityRoute {
  // The pipe hands each generated handler an instance of the DTO class it was declared with.
  const isSubmit = (dto: object): dto is S => dto instanceof spec.submit;
  const isCorrect = (dto: object): dto is C => dto instanceof spec.correct;
  const submission = (dto: S): Submission => ({
    input: spec.toInput(without(dto, 'activityId', 'partnerId')),
    ...(dto.activityId !== undefined ? { activityId: dto.activityId } : {}),
    ...(dto.partnerId !== undefined ? { partnerId: dto.partnerId } : {}),
  });
  return {
    path: spec.path,
    name: spec.name,
    kind: spec.kind,
    submitDto: spec.submit,
    correctDto: spec.correct,
    submission: (dto) => {
      if (!isSubmit(dto)) throw new TypeError(`not a ${spec.submit.name}`);
      return submission(dto);
    },
    correction: (dto) => {
      if (!isCorrect(dto)) throw new TypeError(`not a ${spec.correct.name}`);
      return { input: spec.toInput(without(dto, 'reason')), reason: dto.reason };
    },
    batchRecord: async (values, at) => {
      const instance = plainToInstance(spec.submit, values);
      // Most records are valid: class-validator is asked (and names the issues) only when in doubt.
      const errors = certainlyValid(instance)
        ? []
        : await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
      if (errors.length > 0) return { issues: flatten(errors, at) };
      const { input, activityId, partnerId } = submission(instance);
      return {
        item: { input, ...(activityId ? { activityId } : {}) },
        ...(partnerId !== undefined ? { partnerId } : {}),
      };
    },
  };
}

/** Every activity kind the API records: add a kind here (with its DTOs) and it gets all three endpoints. */
export const ACTIVITY_ROUTES: readonly ActivityRoute[] = [
  activityRoute({
    path: 'service-deliveries',
    name: 'Service',
    kind: 'service-delivered',
    submit: SubmitServiceDeliveredDto,
    correct: CorrectServiceDeliveredDto,
    toInput: (values) => ({
      kind: 'service-delivered',
      ...values,
      // Left out with both times given: their span (the domain checks a given one against them).
      durationMinutes: values.durationMinutes ?? serviceTimeMinutes(values.startTime, values.endTime) ?? 0,
    }),
  }),
  activityRoute({
    path: 'caregiver-consultations',
    name: 'Consultation',
    kind: 'caregiver-consultation',
    submit: SubmitCaregiverConsultationDto,
    correct: CorrectCaregiverConsultationDto,
    toInput: (values) => ({ kind: 'caregiver-consultation', ...values }),
  }),
  activityRoute({
    path: 'psychological-support',
    name: 'Psych',
    kind: 'psychological-support',
    submit: SubmitPsychologicalSupportDto,
    correct: CorrectPsychologicalSupportDto,
    toInput: (values) => ({ kind: 'psychological-support', ...values }),
  }),
  activityRoute({
    path: 'trainings',
    name: 'Training',
    kind: 'training-held',
    submit: SubmitTrainingHeldDto,
    correct: CorrectTrainingHeldDto,
    toInput: (values) => ({ kind: 'training-held', ...values }),
  }),
  activityRoute({
    path: 'equipment-procurements',
    name: 'Equipment',
    kind: 'equipment-procured',
    submit: SubmitEquipmentProcuredDto,
    correct: CorrectEquipmentProcuredDto,
    toInput: ({ unitPrice, total, ...values }) => ({
      kind: 'equipment-procured',
      ...values,
      unitPriceCents: moneyToCents(unitPrice),
      totalCents: moneyToCents(total),
    }),
  }),
  activityRoute({
    path: 'promotion-events',
    name: 'Event',
    kind: 'promotion-event',
    submit: SubmitPromotionEventDto,
    correct: CorrectPromotionEventDto,
    toInput: (values) => ({ kind: 'promotion-event', ...values }),
  }),
];
