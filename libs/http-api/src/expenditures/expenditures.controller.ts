import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CorrectExpenditureCommand,
  DeclareExpenditureCommand,
  GetExpenditureQuery,
  LinkEquipmentCommand,
  VerifyExpenditureCommand,
  VoidExpenditureCommand,
  type ExpenditureView,
  type RequestContext,
  type WriteResult,
  type LateEntryAnswer,
} from '@ihl/application';
import { formatMoney, type ExpenditureFields } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { moneyToCents } from '../http/dto-rules';
import { ownPartnerId } from '../http/partner-scope';
import { createdAnswer } from '../http/write-answer';
import { defineTableRoutes, recordAction, recordRead, type RecordController } from '../http/record-routes';
import { ReasonDto } from '../activities/activity.dto';
import {
  CorrectExpenditureDto,
  DeclareExpenditureDto,
  LinkEquipmentDto,
  VerifyExpenditureDto,
  type ExpenditureValues,
} from './expenditure.dto';

function fieldsOf(dto: ExpenditureValues): ExpenditureFields {
  return {
    categoryId: dto.categoryId,
    amountCents: moneyToCents(dto.amount),
    occurredOn: dto.occurredOn,
    documentRef: dto.documentRef,
    description: dto.description,
    // Optional verification detail: absent keys keep the fields (and a retry's comparison) as before.
    ...(dto.documentDate !== undefined ? { documentDate: dto.documentDate } : {}),
    ...(dto.supplier !== undefined ? { supplier: supplierOf(dto.supplier) } : {}),
    ...(dto.vatTreatment !== undefined ? { vatTreatment: dto.vatTreatment } : {}),
  };
}

const supplierOf = (s: { name: string; code?: string }) => ({
  name: s.name,
  ...(s.code !== undefined ? { code: s.code } : {}),
});

@ApiTags('expenditures')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/expenditures')
export class ExpendituresController implements RecordController {
  constructor(
    readonly commands: CommandBus,
    readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('partner-submitter')
  async declare(
    @Param('code') code: string,
    @Body() dto: DeclareExpenditureDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const partnerId = ownPartnerId(ctx, dto.partnerId);
    const r = await this.commands.execute<
      DeclareExpenditureCommand,
      WriteResult & LateEntryAnswer & { expenditureId: string }
    >(new DeclareExpenditureCommand(code, partnerId, fieldsOf(dto), ctx, dto.expenditureId));
    const where = { code, collection: 'expenditures', id: r.expenditureId };
    return createdAnswer(res, r, where, {
      expenditureId: r.expenditureId,
      ...(r.lateEntry ? { lateEntry: r.lateEntry } : {}),
    });
  }
}

/** An expenditure as the API shows it: amounts as decimal strings, as they are written. */
function shown(view: ExpenditureView) {
  const { fields, verification, linkedEquipment, ...state } = view.state;
  const { amountCents, ...rest } = fields;
  return {
    ...state,
    fields: { ...rest, amount: formatMoney(amountCents) },
    verification: verification
      ? {
          eligible: formatMoney(verification.eligibleCents),
          ineligible: formatMoney(verification.ineligibleCents),
          ...(verification.ineligibleReason ? { ineligibleReason: verification.ineligibleReason } : {}),
        }
      : null,
    // Equipment paid by it: activity id → its total, as a decimal string.
    ...(linkedEquipment
      ? { linkedEquipment: Object.fromEntries(Object.entries(linkedEquipment).map(([a, c]) => [a, formatMoney(c)])) }
      : {}),
    revision: view.revision,
    history: view.history,
    evidence: view.evidence,
  };
}

/** The actions on a declared expenditure and its read, in the order they always had, after `declare`. */
defineTableRoutes(ExpendituresController.prototype, 'declare', [
  recordAction('expenditureId', {
    name: 'correct',
    path: ':id/corrections',
    roles: ['partner-submitter'],
    dto: CorrectExpenditureDto,
    command: (code, id, dto, ctx) => new CorrectExpenditureCommand(code, id, fieldsOf(dto), dto.reason, ctx),
  }),
  recordAction('expenditureId', {
    name: 'void',
    path: ':id/void',
    roles: ['partner-submitter'],
    dto: ReasonDto,
    command: (code, id, dto, ctx) => new VoidExpenditureCommand(code, id, dto.reason, ctx),
  }),
  recordAction('expenditureId', {
    name: 'verify',
    path: ':id/verify',
    roles: ['finance-officer'],
    dto: VerifyExpenditureDto,
    command: (code, id, dto, ctx) =>
      new VerifyExpenditureCommand(
        code,
        id,
        moneyToCents(dto.eligible),
        moneyToCents(dto.ineligible),
        dto.note,
        ctx,
        dto.ineligibleReason,
      ),
  }),
  recordAction('expenditureId', {
    name: 'linkEquipment',
    path: ':id/equipment',
    roles: ['partner-submitter'],
    dto: LinkEquipmentDto,
    command: (code, id, dto, ctx) => new LinkEquipmentCommand(code, id, dto.activityId, ctx),
  }),
  recordRead<ExpenditureView>({
    noun: 'expenditure',
    query: (code, id, ctx, asOf) =>
      new GetExpenditureQuery({ projectCode: code, expenditureId: id, actor: ctx.actor, asOf }),
    show: shown,
  }),
]);
