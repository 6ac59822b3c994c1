import { BadRequestException, Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';
import {
  GetGoodPracticeQuery,
  SetPlannedPlacesCommand,
  type GoodPracticeView,
  type RequestContext,
} from '@ihl/application';
import { Ctx, Roles } from '../auth/auth.guard';
import {
  IsAsOfParameter,
  IsDialectParameter,
  IsFormatParameter,
  IsPositionParameter,
  QueryRule,
  dialectOf,
  figureParams,
  figureQueryOf,
} from '../http/position-query';
import { ValidQuery } from '../http/valid-query.decorator';
import { commandAnswer } from '../http/write-answer';
import { sendGoodPractice } from './good-practice-export';

/** Days before its end a certificate counts as expiring here; the checks' default. */
const DEFAULT_EXPIRING_WITHIN_DAYS = 60;

export class GoodPracticeQueryDto {
  @IsPositionParameter() position?: string;
  @IsAsOfParameter('the indicators') asOf?: string;
  @IsFormatParameter(['json', 'csv', 'xlsx'], 'csv and xlsx: the table, a partner a row') format?: string;
  @IsDialectParameter() dialect?: string;
  @ApiPropertyOptional({ type: String, description: `0 to 365; ${DEFAULT_EXPIRING_WITHIN_DAYS} unless given` })
  @IsOptional()
  @QueryRule(
    'integer-range',
    (v) => /^\d{1,3}$/.test(v) && Number(v) <= 365,
    'must be a whole number of days from 0 to 365',
  )
  expiringWithinDays?: string;
}

/** A partner id in the path: a slug (never echoed back otherwise: it could be anything, a personal code too). */
function partnerIdOf(partnerId: string): string {
  if (/^[a-z0-9][a-z0-9-]{0,62}$/.test(partnerId)) return partnerId;
  throw new BadRequestException({
    message: 'partnerId: must be lower-case letters, digits and dashes',
    issues: [{ field: 'partnerId', rule: 'slug', message: 'must be lower-case letters, digits and dashes' }],
  });
}

export class PlannedPlacesDto {
  @ApiProperty({ minimum: 0, maximum: 100_000, example: 40 }) @IsInt() @Min(0) @Max(100_000) places!: number;
}

/**
 * Good-practice indicators per partner (docs/quality.md), comparable across partners, and the
 * planned places their capacity use is measured against.
 */
@ApiTags('quality')
@ApiBearerAuth()
@Controller('api/v1/projects/:code')
export class GoodPracticeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('good-practice')
  @Roles('agency-auditor', 'partner-submitter', 'admin')
  async table(
    @Param('code') code: string,
    @ValidQuery(GoodPracticeQueryDto) q: GoodPracticeQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GoodPracticeView | undefined> {
    const view = await this.queries.execute<GetGoodPracticeQuery, GoodPracticeView>(
      new GetGoodPracticeQuery({
        ...figureQueryOf(code, ctx, figureParams(q)),
        expiringWithinDays:
          q.expiringWithinDays === undefined ? DEFAULT_EXPIRING_WITHIN_DAYS : Number(q.expiringWithinDays),
      }),
    );
    if (q.format === 'csv' || q.format === 'xlsx') {
      await sendGoodPractice(res, view, q.format, dialectOf(q));
      return undefined;
    }
    return view;
  }

  @Put('planned-places/:partnerId')
  @Roles('admin')
  setPlannedPlaces(
    @Param('code') code: string,
    @Param('partnerId') partnerId: string,
    @Body() dto: PlannedPlacesDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = new SetPlannedPlacesCommand(code, partnerIdOf(partnerId), dto.places, ctx);
    return commandAnswer(this.commands, res, command, { partnerId, places: dto.places });
  }
}
