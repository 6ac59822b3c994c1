import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { InspectionCursor } from '@ihl/application';
import { INSPECTION_STATUSES, type InspectionStatusFilter } from '@ihl/domain';
import { isIsoDate } from '@ihl/domain';
import { IsAsOfParameter, IsPositionParameter, IsSlugParameter, QueryRule } from '../http/position-query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `after` of the inspections list: opaque to clients (base64url of `startedOn:inspectionId`). */
export function encodeInspectionCursor(c: InspectionCursor): string {
  return Buffer.from(`${c.startedOn}:${c.inspectionId}`).toString('base64url');
}

export function decodeInspectionCursor(text: string): InspectionCursor | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(text)) return null;
  const [startedOn, inspectionId, ...rest] = Buffer.from(text, 'base64url').toString().split(':');
  if (rest.length > 0 || !isIsoDate(startedOn) || !inspectionId || !UUID.test(inspectionId)) return null;
  return { startedOn, inspectionId };
}

export class InspectionListQueryDto {
  @IsSlugParameter("that partner's inspections (a partner's token: its own only)") partnerId?: string;
  @ApiPropertyOptional({ enum: INSPECTION_STATUSES, description: 'all (unless given), open, overdue or closed' })
  @IsOptional()
  @QueryRule(
    'enum',
    (v) => INSPECTION_STATUSES.includes(v as InspectionStatusFilter),
    `must be one of ${INSPECTION_STATUSES.join(', ')}`,
  )
  status?: InspectionStatusFilter;
  @ApiPropertyOptional({ type: String, description: 'the `next` of the previous page' })
  @IsOptional()
  @QueryRule('cursor', (v) => decodeInspectionCursor(v) !== null, 'must be the next cursor of a previous page')
  after?: string;
  @ApiPropertyOptional({ type: String, description: '1 to 200, 50 unless given' })
  @IsOptional()
  @QueryRule(
    'integer-range',
    (v) => /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 200,
    'must be a whole number from 1 to 200',
  )
  limit?: string;
  @IsPositionParameter() position?: string;
  @IsAsOfParameter('the inspections') asOf?: string;
}
