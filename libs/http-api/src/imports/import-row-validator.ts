import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ImportKind, ImportRowValidator, ValidatedRow, ValidatorModule } from '@ihl/imports';
import { ACTIVITY_ROUTES } from '../activities/activity-routes';
import { moneyToCents } from '../http/dto-rules';
import { certainlyValid } from '../http/dto-fast-check';
import { flatten } from '../http/validation.pipe';
import { DeclareExpenditureDto } from '../expenditures/expenditure.dto';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/**
 * An imported row goes through the very DTOs of the API: an activity as one record of
 * `POST /activities/batch`, an expenditure as the body of `POST /expenditures`.
 */
export const importRowValidator: ImportRowValidator = {
  async validate(kind: ImportKind, body: Record<string, unknown>): Promise<ValidatedRow> {
    if (kind === 'expenditure') return expenditure(body);
    const route = ACTIVITY_ROUTES.find((r) => r.kind === kind);
    if (!route) return { issues: [{ field: 'kind', rule: 'enum', message: `no activity kind ${kind}` }] };
    const record = await route.batchRecord(body, '');
    if ('issues' in record) return { issues: record.issues };
    return { activity: record.item, ...(record.partnerId !== undefined ? { partnerId: record.partnerId } : {}) };
  },
};

/** Where the import engine's worker thread loads this same validator (this module, built or from source). */
export const importRowValidatorModule: ValidatorModule = { module: __filename, name: 'importRowValidator' };

async function expenditure(body: Record<string, unknown>): Promise<ValidatedRow> {
  const dto = plainToInstance(DeclareExpenditureDto, body);
  const errors = certainlyValid(dto) ? [] : await validate(dto, OPTIONS);
  if (errors.length > 0) return { issues: flatten(errors) };
  return {
    expenditure: {
      categoryId: dto.categoryId,
      amountCents: moneyToCents(dto.amount),
      occurredOn: dto.occurredOn,
      documentRef: dto.documentRef,
      description: dto.description,
    },
    ...(dto.expenditureId !== undefined ? { expenditureId: dto.expenditureId } : {}),
    ...(dto.partnerId !== undefined ? { partnerId: dto.partnerId } : {}),
  };
}
