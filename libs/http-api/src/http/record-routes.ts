import { Body, Get, HttpCode, Param, Post, Res, type Type } from '@nestjs/common';
import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import type { AsOf, HistoryEntry, RequestContext, Role } from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import { historyCsv, sendCsv } from './csv-export';
import { RecordQueryDto, asOfOf, dialectOf } from './position-query';
import { defineTableRoute, keepAfter, type RouteParam } from './table-route';
import { UuidParam } from './uuid-param.pipe';
import { ValidQuery } from './valid-query.decorator';
import { commandAnswer } from './write-answer';

/** What the handlers generated for a record family use of their controller: its buses. */
export interface RecordController {
  readonly commands: CommandBus;
  readonly queries: QueryBus;
}

/** A handler as defineTableRoute takes it, with its name, route decorators and parameters. */
export interface TableHandler {
  readonly name: string;
  readonly handler: (...args: never[]) => unknown;
  readonly decorators: readonly MethodDecorator[];
  readonly params: readonly RouteParam[];
}

/** One action on an existing record: `POST <path>` by `roles`, a body of `dto`, the command made of it. */
export interface RecordActionSpec<D> {
  readonly name: string;
  readonly path: string;
  readonly roles: readonly Role[];
  readonly dto: Type<D>;
  readonly command: (code: string, id: string, dto: D, ctx: RequestContext) => object;
}

/** The parameters every handler on one record starts with: the project code and the record's id. */
export const RECORD_PARAMS: readonly RouteParam[] = [
  [Param('code'), String],
  [Param('id', UuidParam), String],
];
/** The caller's request context (`@Ctx()`) and the response, passed through (`@Res`). */
export const CONTEXT: RouteParam = [Ctx(), Object];
export const RESPONSE: RouteParam = [Res({ passthrough: true }), Object];

/** A write on one record, answered as every write is, its id under `idKey` (see writeAnswer). */
export function recordAction<D>(idKey: string, spec: RecordActionSpec<D>): TableHandler {
  return {
    name: spec.name,
    handler: function (this: RecordController, code: string, id: string, dto: D, ctx: RequestContext, res: Response) {
      return commandAnswer(this.commands, res, spec.command(code, id, dto, ctx), { [idKey]: id });
    },
    decorators: [Post(spec.path), HttpCode(201), Roles(...spec.roles)],
    params: [...RECORD_PARAMS, [Body(), spec.dto], CONTEXT, RESPONSE],
  };
}

/** What a record's query answers with: at least its revision (the ETag) and its history (the CSV). */
export interface RecordView {
  readonly revision: number;
  readonly history: readonly HistoryEntry[];
}

/**
 * `GET :id` of a record family, for every role: the record as `show` presents it, or with
 * `?format=csv` its history named `<noun>-<id>-r<revision>`; the ETag is its revision.
 */
export function recordRead<V extends RecordView>(spec: {
  readonly noun: string;
  readonly query: (code: string, id: string, ctx: RequestContext, asOf: AsOf | undefined) => object;
  readonly show: (view: V) => unknown;
}): TableHandler {
  return {
    name: 'get',
    handler: async function (
      this: RecordController,
      code: string,
      id: string,
      ctx: RequestContext,
      res: Response,
      query: RecordQueryDto,
    ) {
      const csv = query.format === 'csv';
      const dialect = dialectOf(query);
      const view = await this.queries.execute<object, V>(spec.query(code, id, ctx, asOfOf(query.asOf)));
      res.setHeader('ETag', `"${view.revision}"`);
      if (csv) {
        const name = `${spec.noun}-${id}-r${view.revision}`;
        // Built on the record's last event: the history ends there.
        const position = view.history.at(-1)?.position ?? 0;
        return sendCsv(res, name, ...historyCsv(view.history), dialect, position);
      }
      return spec.show(view);
    },
    decorators: [Get(':id'), Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')],
    params: [...RECORD_PARAMS, CONTEXT, RESPONSE, [ValidQuery(RecordQueryDto), RecordQueryDto]],
  };
}

/**
 * Adds the handlers to a controller, in order, right after its method `anchor`, as if written out
 * there (see defineTableRoute and keepAfter).
 */
export function defineTableRoutes(proto: object, anchor: string, handlers: readonly TableHandler[]): void {
  for (const h of handlers) defineTableRoute(proto, h.name, h.handler, h.decorators, h.params);
  keepAfter(
    proto,
    anchor,
    handlers.map((h) => h.name),
  );
}
