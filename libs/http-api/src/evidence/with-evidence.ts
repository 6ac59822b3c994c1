import { applyDecorators } from '@nestjs/common';
import type { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { GetRecordsEvidenceQuery, type RecordsEvidence } from '@ihl/application';
import type { EvidenceFile, EvidenceRecordKind } from '@ihl/domain';
import { QueryRule } from '../http/position-query';

/** `?withEvidence=true`: an export names each record's files (hash, name, type, size), never their bytes. */
export const IsWithEvidenceParameter = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      enum: ['true', 'false'],
      description: 'true: name each record’s evidence files (SHA-256 and name), never the files; default false',
    }),
    IsOptional(),
    QueryRule('boolean', (v) => v === 'true' || v === 'false', 'must be true or false'),
  );

/** The evidence of the listed records at the list's position; none unless asked. */
export async function evidenceOfListed(
  queries: QueryBus,
  asked: string | undefined,
  kind: EvidenceRecordKind,
  ids: readonly string[],
  position: number,
): Promise<RecordsEvidence | null> {
  if (asked !== 'true') return null;
  return queries.execute<GetRecordsEvidenceQuery, RecordsEvidence>(new GetRecordsEvidenceQuery(kind, ids, position));
}

/** One cell naming a record's files: `name (sha256)`, separated by `; `. */
export function evidenceCell(files: readonly EvidenceFile[] | undefined): string {
  return (files ?? []).map((f) => `${f.name} (${f.sha256})`).join('; ');
}
