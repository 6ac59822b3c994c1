import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  GetExpenditureRegisterQuery,
  GetVerificationQueueQuery,
  ListRecordsQuery,
  type ExpenditureRegisterView,
  type ListedRecord,
  type ListRecordsParams,
  type RecordCursor,
  type RecordListView,
  type RecordSort,
  type RequestContext,
  type VerificationQueueView,
} from '@ihl/application';
import { formatMoney } from '@ihl/domain';
import { Ctx, Roles } from '../auth/auth.guard';
import { partnerPart } from '../http/figure-partner';
import { asMoney } from '../http/money-view';
import { asOfOf, dialectOf } from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { decodeCursor, encodeCursor } from './list-cursor';
import { PersonSearchDto } from './person-search.dto';
import { sendRecordList, sendRegister } from './record-list-export';
import { evidenceOfListed } from '../evidence/with-evidence';
import {
  ActivityListQueryDto,
  ExpenditureListQueryDto,
  QueueQueryDto,
  RegisterQueryDto,
  type RecordListQueryDto,
} from './record-list.dto';

function bad(field: string, rule: string, message: string, value?: unknown): never {
  const issue = { field, rule, message, ...(value === undefined ? {} : { value }) };
  throw new BadRequestException({ message: `${field}: ${message}`, issues: [issue] });
}

/** A filter the request cannot combine is refused, never ignored. */
function checkCombination(q: { period?: string; from?: string; to?: string }): void {
  if (q.period !== undefined && (q.from !== undefined || q.to !== undefined))
    bad('period', 'period-or-dates', 'give either period or from/to, not both', q.period);
}

/** The `after` (or `before`) of a page, which must come from a page of the same order. */
function cursorOf(
  after: string | undefined,
  sort: RecordSort,
  field: 'after' | 'before' = 'after',
): RecordCursor | null {
  if (after === undefined) return null;
  const decoded = decodeCursor(after);
  if (!decoded || decoded.sort !== sort)
    bad(field, 'cursor-of-sort', `must be a cursor of a page sorted by ${sort} (sort changed between pages?)`);
  return decoded.cursor;
}

/**
 * The same request for the page after (`after`) or before (`before`): its query string with that
 * cursor set and the other one gone (never a personal code: lists take none).
 */
function nextLink(req: Request, cursor: string, way: 'after' | 'before' = 'after'): string {
  const url = new URL(req.originalUrl, 'http://ledger');
  url.searchParams.delete(way === 'after' ? 'before' : 'after');
  url.searchParams.set(way, cursor);
  return `${url.pathname}${url.search}`;
}

/** A record's money as decimal strings under one name each, null while there is no verdict. */
function recordMoney<R extends ListedRecord>(r: R) {
  const { amountCents, eligibleCents, ineligibleCents, ...rest } = r;
  const money = (c: number | null) => (c === null ? null : formatMoney(c));
  return {
    ...rest,
    amount: formatMoney(amountCents),
    eligible: money(eligibleCents),
    ineligible: money(ineligibleCents),
  };
}

/** A page as JSON: money as strings, the links and cursors of the pages after and before it. */
function pageAnswer(req: Request, sort: RecordSort, view: RecordListView) {
  const cursor = view.next ? encodeCursor(sort, view.next) : null;
  const before = view.prev ? encodeCursor(sort, view.prev) : null;
  const { next: _next, prev: _prev, ...rest } = view;
  return {
    ...rest,
    records: rest.records.map(recordMoney),
    next: cursor ? nextLink(req, cursor) : null,
    nextCursor: cursor,
    prev: before ? nextLink(req, before, 'before') : null,
    prevCursor: before,
  };
}

type ListFilters = Pick<ListRecordsParams, 'kind' | 'workerRef' | 'categoryId' | 'documentRef'>;

const ALL_ROLES = ['partner-submitter', 'agency-auditor', 'finance-officer', 'admin'] as const;

/**
 * The lists the figures stand on: activities and expenditures filtered and paged (with csv/xlsx
 * exports of every match), one person's records by the personal code, the records awaiting review,
 * and the expenditure register of a period. Partners see their own. Live, or as they stood at the
 * end of a day or at a position (`asOf`; the person search is live only).
 */
@ApiTags('lists')
@ApiBearerAuth()
@Controller('api/v1/projects/:code')
export class RecordListsController {
  constructor(private readonly queries: QueryBus) {}

  /** The project's activity records, filtered, sorted and paged (`next`), or all of them as csv/xlsx. */
  @Get('activities')
  @Roles(...ALL_ROLES)
  activities(
    @Param('code') code: string,
    @Ctx() ctx: RequestContext,
    @ValidQuery(ActivityListQueryDto) q: ActivityListQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.list('activities', code, ctx, q, { kind: q.kind, workerRef: q.worker }, req, res);
  }

  /** The project's expenditures, filtered, sorted and paged (`next`), or all of them as csv/xlsx. */
  @Get('expenditures')
  @Roles(...ALL_ROLES)
  expenditures(
    @Param('code') code: string,
    @Ctx() ctx: RequestContext,
    @ValidQuery(ExpenditureListQueryDto) q: ExpenditureListQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.list('expenditures', code, ctx, q, { categoryId: q.categoryId, documentRef: q.document }, req, res);
  }

  /**
   * One person's activity records by the personal code, in a body (a query string would land in
   * access logs): pseudonymised on arrival, never answered; a code never seen answers an empty list.
   */
  @Post('activities/search')
  @HttpCode(200)
  @Roles('partner-submitter', 'agency-auditor')
  async search(@Param('code') code: string, @Ctx() ctx: RequestContext, @Body() dto: PersonSearchDto) {
    checkCombination(dto);
    const sort = dto.sort ?? 'recorded';
    const view = await this.queries.execute<ListRecordsQuery, RecordListView>(
      new ListRecordsQuery({
        projectCode: code,
        actor: ctx.actor,
        records: 'activities',
        partnerId: dto.partnerId,
        kind: dto.kind,
        state: dto.state,
        period: dto.period,
        dates: { from: dto.from, to: dto.to },
        personalCode: dto.personalCode,
        sort,
        after: cursorOf(dto.after, sort),
        limit: dto.limit ?? 50,
      }),
    );
    const { next, prev: _prev, ...rest } = view;
    return { ...rest, records: rest.records.map(recordMoney), nextCursor: next ? encodeCursor(sort, next) : null };
  }

  /** Activities and expenditures awaiting review, oldest first, with their age in days; paged. */
  @Get('verification-queue')
  @Roles(...ALL_ROLES)
  async queue(
    @Param('code') code: string,
    @Ctx() ctx: RequestContext,
    @ValidQuery(QueueQueryDto) q: QueueQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.queries.execute<GetVerificationQueueQuery, VerificationQueueView>(
      new GetVerificationQueueQuery({
        projectCode: code,
        actor: ctx.actor,
        atLeastPosition: q.position === undefined ? undefined : Number(q.position),
        asOf: asOfOf(q.asOf),
        partnerId: q.partnerId,
        after: cursorOf(q.after, 'recorded'),
        limit: q.limit === undefined ? 50 : Number(q.limit),
        record: q.record,
      }),
    );
    res.setHeader('X-Ledger-Position', String(view.position));
    const cursor = view.next ? encodeCursor('recorded', view.next) : null;
    const { next: _next, ...rest } = view;
    const records = rest.records.map(recordMoney);
    return { ...rest, records, next: cursor ? nextLink(req, cursor) : null, nextCursor: cursor };
  }

  /**
   * Every expenditure of a period with its document, date, amounts, state and verdict, and the
   * totals. Finance's and the agency's, as the budget is (partners read their own expenditures' list).
   */
  @Get('expenditure-register')
  @Roles('finance-officer', 'agency-auditor', 'admin')
  async register(
    @Param('code') code: string,
    @Ctx() ctx: RequestContext,
    @ValidQuery(RegisterQueryDto) q: RegisterQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    checkCombination(q);
    const dialect = dialectOf(q);
    const view = await this.queries.execute<GetExpenditureRegisterQuery, ExpenditureRegisterView>(
      new GetExpenditureRegisterQuery({
        projectCode: code,
        actor: ctx.actor,
        atLeastPosition: q.position === undefined ? undefined : Number(q.position),
        asOf: asOfOf(q.asOf),
        partnerId: q.partnerId,
        period: q.period,
        dates: { from: q.from, to: q.to },
      }),
    );
    res.setHeader('X-Ledger-Position', String(view.position));
    const ids = view.expenditures.map((e) => e.id);
    const evidence = await evidenceOfListed(this.queries, q.withEvidence, 'expenditure', ids, view.position);
    if (q.format === 'csv' || q.format === 'xlsx') {
      const name = `expenditure-register-${code}${partnerPart(view.partnerId, view.between)}-at-${view.position}`;
      return sendRegister(res, name, view, q.format, dialect, evidence);
    }
    const listed = view.expenditures.map((e) => ({
      ...recordMoney(e),
      ...(evidence ? { evidence: evidence.get(e.id) ?? [] } : {}),
    }));
    return { ...view, expenditures: listed, totals: asMoney(view.totals) };
  }

  private async list(
    records: 'activities' | 'expenditures',
    code: string,
    ctx: RequestContext,
    q: RecordListQueryDto,
    filters: ListFilters,
    req: Request,
    res: Response,
  ) {
    checkCombination(q);
    const dialect = dialectOf(q);
    const sort = q.sort ?? 'recorded';
    const exported = q.format === 'csv' || q.format === 'xlsx' ? q.format : null;
    if (exported && q.after !== undefined)
      bad('after', 'json-only', 'applies to format=json only (an export holds every page)');
    if (exported && q.limit !== undefined)
      bad('limit', 'json-only', 'applies to format=json only (an export holds every page)');
    if (exported && q.before !== undefined)
      bad('before', 'json-only', 'applies to format=json only (an export holds every page)');
    if (q.after !== undefined && q.before !== undefined)
      bad('before', 'after-or-before', 'give either after or before, not both');
    const page = (after: RecordCursor | null, limit: number, backwards = false) =>
      this.queries.execute<ListRecordsQuery, RecordListView>(
        new ListRecordsQuery({
          projectCode: code,
          actor: ctx.actor,
          atLeastPosition: q.position === undefined ? undefined : Number(q.position),
          asOf: asOfOf(q.asOf),
          records,
          partnerId: q.partnerId,
          state: q.state,
          period: q.period,
          dates: { from: q.from, to: q.to },
          ...filters,
          sort,
          after,
          backwards,
          limit,
        }),
      );
    if (!exported) {
      const backwards = q.before !== undefined;
      const limit = q.limit === undefined ? 50 : Number(q.limit);
      const view = await page(
        backwards ? cursorOf(q.before, sort, 'before') : cursorOf(q.after, sort),
        limit,
        backwards,
      );
      res.setHeader('X-Ledger-Position', String(view.position));
      return pageAnswer(req, sort, view);
    }
    // An export holds every match: read a page at a time (each a seek), in the order asked for.
    const all: RecordListView['records'] = [];
    let view = await page(null, 500);
    all.push(...view.records);
    while (view.next) {
      view = await page(view.next, 500);
      all.push(...view.records);
    }
    res.setHeader('X-Ledger-Position', String(view.position));
    const name = `${records}-${code}${partnerPart(view.partnerId, view.between)}-at-${view.position}`;
    return sendRecordList(res, name, all, exported, dialect, view.position);
  }
}
