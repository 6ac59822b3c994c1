import { parseAsOf, type AsOf, type FigureQueryParams, type RequestContext } from '@ihl/application';
import { isIsoDate } from '@ihl/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { BadRequestException, applyDecorators } from '@nestjs/common';
import { IsOptional, ValidateBy } from 'class-validator';
import { NoPersonalCode } from './dto-rules';
import { CSV_DIALECTS, type CsvDialect, type ExportFormat } from './csv-export';

/**
 * A rule on one query parameter, named as the answer names it. A value is a single string here:
 * repeated and unknown parameters are refused before (valid-query.decorator.ts).
 */
export const QueryRule = (name: string, test: (value: string) => boolean, message: string) =>
  ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => typeof value === 'string' && test(value),
      defaultMessage: () => message,
    },
  });

/** An optional parameter with its one rule and its OpenAPI description. */
const Optional = (rule: PropertyDecorator, doc: Parameters<typeof ApiPropertyOptional>[0] = {}) =>
  applyDecorators(ApiPropertyOptional({ type: String, ...doc }), IsOptional(), rule);

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `?position=`: the global position a write returned; the query waits for the read model to reach it. */
export const IsPositionParameter = () =>
  Optional(
    QueryRule('integer', (v) => /^\d{1,15}$/.test(v), 'must be a whole number (the position a write returned)'),
    { description: 'answer only once the read model includes this position' },
  );

/** `?asOf=`: a date YYYY-MM-DD (end of that day, Vilnius) or a global position. */
export const IsAsOfParameter = (what = 'the figures') =>
  Optional(
    QueryRule('date-or-position', (v) => parseAsOf(v) !== null, 'must be a date YYYY-MM-DD or a position'),
    { description: `${what} as the ledger stood at the end of a day (YYYY-MM-DD, Vilnius) or at a position` },
  );

export const IsFormatParameter = (formats: readonly string[], description?: string) =>
  Optional(
    QueryRule(
      'enum',
      (v) => formats.includes(v),
      formats.length === 1 ? `must be ${formats[0]}` : `must be ${formats.join(' or ')}`,
    ),
    { enum: formats, description: [`one of ${formats.join(', ')}`, description].filter(Boolean).join('; ') },
  );

/** `?dialect=`: how a CSV is written (see CsvDialect); with `format=csv` only. */
export const IsDialectParameter = (when = 'format=csv only: ') =>
  Optional(
    QueryRule('enum', (v) => CSV_DIALECTS.includes(v as CsvDialect), `must be ${CSV_DIALECTS.join(' or ')}`),
    {
      enum: CSV_DIALECTS,
      description: `${when}standard (\`,\`, \`.\`) or excel (\`;\`, decimal comma, BOM, CRLF)`,
    },
  );

/** A partner or category id: a slug, never something shaped like a personal code (422 then, as in a body). */
export const IsSlugParameter = (description: string) =>
  applyDecorators(
    Optional(
      QueryRule('slug', (v) => SLUG.test(v), 'must be lower-case letters, digits and dashes'),
      {
        description,
      },
    ),
    NoPersonalCode(),
  );

/** `?from=`, `?to=`: a calendar day YYYY-MM-DD (whether it lies in the project period is the query's to say). */
export const IsDateParameter = (description: string) =>
  Optional(
    QueryRule('date', (v) => isIsoDate(v), 'must be a date YYYY-MM-DD'),
    { description },
  );

/** A query string with no parameters at all: anything in it is refused. */
export class NoQueryDto {}

/** The parameters every figure endpoint takes: `position`, `asOf`, `format`. */
export class FigureQueryDto {
  @IsPositionParameter() position?: string;
  @IsAsOfParameter() asOf?: string;
  @IsFormatParameter(['json', 'csv']) format?: string;
  @IsDialectParameter() dialect?: string;
}

/** A figure that can be narrowed to one partner (a partner may name only itself). */
export class PartnerFigureQueryDto extends FigureQueryDto {
  @IsSlugParameter("that partner's figures (a partner's token: its own id only)") partnerId?: string;
}

/** A figure that can also be narrowed to the records dated in a range (both days included). */
export class DatedFigureQueryDto extends PartnerFigureQueryDto {
  @IsDateParameter('records dated on or after this day (the project start if left out)') from?: string;
  @IsDateParameter('records dated on or before this day (the project end if left out)') to?: string;
}

/** A single record's read: `asOf`, `format` (csv: its history). */
export class RecordQueryDto {
  @IsAsOfParameter('the record') asOf?: string;
  @IsFormatParameter(['json', 'csv'], 'csv: the history, an event a line') format?: string;
  @IsDialectParameter() dialect?: string;
}

export interface FigureParams {
  readonly atLeastPosition: number | undefined;
  readonly asOf: AsOf | undefined;
  readonly format: ExportFormat;
  readonly dialect: CsvDialect;
}

/** The validated `position`, `asOf` and `format` as the queries take them. */
export function figureParams(q: { position?: string; asOf?: string; format?: string; dialect?: string }): FigureParams {
  return {
    atLeastPosition: q.position === undefined ? undefined : Number(q.position),
    asOf: asOfOf(q.asOf),
    format: q.format === 'csv' ? 'csv' : 'json',
    dialect: dialectOf(q),
  };
}

/** A validated `dialect` (see IsDialectParameter); refused when the answer is not CSV, as it would be ignored. */
export function dialectOf(q: { format?: string; dialect?: string }): CsvDialect {
  if (q.dialect === undefined) return 'standard';
  if (q.format !== 'csv') {
    const message = 'applies to format=csv only';
    throw new BadRequestException({
      message: `dialect: ${message}`,
      issues: [{ field: 'dialect', rule: 'format-csv-only', message, value: q.dialect }],
    });
  }
  return q.dialect === 'excel' ? 'excel' : 'standard';
}

/** What every figure query of a route takes: its project, the caller, and `position` and `asOf` as validated. */
export function figureQueryOf(code: string, ctx: RequestContext, figure: FigureParams): FigureQueryParams {
  return { projectCode: code, actor: ctx.actor, atLeastPosition: figure.atLeastPosition, asOf: figure.asOf };
}

/** A validated `asOf` (see IsAsOfParameter) as the queries take it. */
export function asOfOf(text: string | undefined): AsOf | undefined {
  return text === undefined ? undefined : (parseAsOf(text) ?? undefined);
}
