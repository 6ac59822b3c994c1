import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  StreamableFile,
  type PipeTransform,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  AttachEvidenceCommand,
  GetActivityQuery,
  GetExpenditureQuery,
  type EvidenceEntry,
  type RequestContext,
  type WriteResult,
} from '@ihl/application';
import { EVIDENCE_EXTENSION, type EvidenceFile, type EvidenceRecordKind } from '@ihl/domain';
import { API_CONFIG, type ApiSettings } from '../api.settings';
import { Ctx, Roles } from '../auth/auth.guard';
import { NoQueryDto } from '../http/position-query';
import { UuidParam } from '../http/uuid-param.pipe';
import { ValidQuery } from '../http/valid-query.decorator';
import { writeAnswer } from '../http/write-answer';
import { evidencePath, storeEvidence } from './evidence-files';
import { EVIDENCE_MAX_BYTES, readEvidenceUpload } from './evidence-upload';

const KIND_OF: Record<string, EvidenceRecordKind> = { activities: 'activity', expenditures: 'expenditure' };

/** `activities` or `expenditures` in the path: the kind of record; anything else is a 400 naming it. */
const CollectionParam: PipeTransform<string, EvidenceRecordKind> = {
  transform(value: string): EvidenceRecordKind {
    const kind = Object.hasOwn(KIND_OF, value) ? KIND_OF[value] : undefined;
    if (kind) return kind;
    const message = 'must be activities or expenditures';
    throw new BadRequestException({
      message: `collection: ${message}`,
      issues: [{ field: 'collection', rule: 'enum', message }],
    });
  },
};

const ShaParam: PipeTransform<string, string> = {
  transform(value: string): string {
    if (/^[0-9a-f]{64}$/.test(value)) return value;
    const message = 'must be a lower-case hex SHA-256 (64 characters)';
    throw new BadRequestException({
      message: `sha256: ${message}`,
      issues: [{ field: 'sha256', rule: 'sha256', message }],
    });
  },
};

/**
 * Files of evidence (invoices, timesheets, attendance lists, service acts) attached to a record.
 * The bytes are stored by their SHA-256 under DATA_DIR/evidence; the log keeps the hash, size, type
 * and name. A file is read by whoever may read its record, and by nobody else: for another
 * partner's record the answer is the 404 of a record that does not exist.
 */
@ApiTags('evidence')
@ApiBearerAuth()
@Controller('api/v1/projects/:code/evidence')
export class EvidenceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(API_CONFIG) private readonly config: ApiSettings,
  ) {}

  /** Multipart: `file` (a PDF, PNG or JPEG, by content), attached to the record in the path. */
  @Post(':collection/:id')
  @HttpCode(201)
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer')
  @ApiConsumes('multipart/form-data')
  async attach(
    @Param('code') code: string,
    @Param('collection', CollectionParam) kind: EvidenceRecordKind,
    @Param('id', UuidParam) id: string,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    // Refused before the body is read or anything stored: a record this caller cannot see.
    await this.evidenceOf(code, kind, id, ctx);
    const upload = await readEvidenceUpload(req, res, this.config.evidenceMaxBytes ?? EVIDENCE_MAX_BYTES);
    const { sha256 } = await storeEvidence(this.config.dataDir, upload.bytes);
    const file: EvidenceFile = {
      sha256,
      sizeBytes: upload.bytes.length,
      mediaType: upload.mediaType,
      name: upload.name,
    };
    const r = await this.commands.execute<AttachEvidenceCommand, WriteResult>(
      new AttachEvidenceCommand(code, kind, id, file, ctx),
    );
    const href = fileHref(code, kind, id, sha256);
    res.setHeader('Location', href);
    return writeAnswer(res, r, { recordKind: kind, recordId: id, ...file, href });
  }

  /** The file, as an attachment never rendered inline, for whoever may read the record. */
  @Get(':collection/:id/:sha256')
  @Roles('partner-submitter', 'agency-auditor', 'finance-officer', 'admin')
  async file(
    @Param('code') code: string,
    @Param('collection', CollectionParam) kind: EvidenceRecordKind,
    @Param('id', UuidParam) id: string,
    @Param('sha256', ShaParam) sha256: string,
    @ValidQuery(NoQueryDto) _query: NoQueryDto,
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const entry = (await this.evidenceOf(code, kind, id, ctx)).find((e) => e.sha256 === sha256);
    if (!entry) throw new NotFoundException(`no evidence ${sha256} on this ${kind}`);
    const path = evidencePath(this.config.dataDir, sha256);
    const size = await stat(path).then(
      (s) => s.size,
      () => null,
    );
    // The log names it but the disk lacks it: DATA_DIR/evidence was not restored with the log.
    if (size !== entry.sizeBytes)
      throw new NotFoundException(`the file of evidence ${sha256} is missing from the evidence store`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', `"${sha256}"`);
    return new StreamableFile(createReadStream(path), {
      type: entry.mediaType,
      length: size,
      disposition: attachment(entry),
    });
  }

  /** The record's evidence, read as the record is (404 for a record this caller cannot see). */
  private async evidenceOf(code: string, kind: EvidenceRecordKind, id: string, ctx: RequestContext) {
    const view = await this.queries.execute<object, { evidence: readonly EvidenceEntry[] }>(
      kind === 'activity'
        ? new GetActivityQuery({ projectCode: code, activityId: id, actor: ctx.actor })
        : new GetExpenditureQuery({ projectCode: code, expenditureId: id, actor: ctx.actor }),
    );
    return view.evidence;
  }
}

export function fileHref(code: string, kind: EvidenceRecordKind, id: string, sha256: string): string {
  return `/api/v1/projects/${encodeURIComponent(code)}/evidence/${kind === 'activity' ? 'activities' : 'expenditures'}/${id}/${sha256}`;
}

/** `attachment` with an ASCII fallback name and the UTF-8 one (RFC 6266), the type's extension ensured. */
function attachment(entry: EvidenceEntry): string {
  const ext = EVIDENCE_EXTENSION[entry.mediaType];
  const name =
    entry.name.toLowerCase().endsWith(ext) || (ext === '.jpg' && /\.jpe?g$/i.test(entry.name))
      ? entry.name
      : `${entry.name}${ext}`;
  const ascii =
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\%]/g, '') || `evidence${ext}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
