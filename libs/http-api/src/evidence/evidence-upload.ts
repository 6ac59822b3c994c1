import {
  BadRequestException,
  HttpException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { sanitiseEvidenceName, sniffEvidenceType, EVIDENCE_MEDIA_TYPES, type EvidenceMediaType } from '@ihl/domain';
import { containsPersonalCode } from '@ihl/privacy';
import { NO_PERSONAL_CODE } from '../http/dto-rules';
import { validationException } from '../http/validation.pipe';

/** A file of evidence of up to this many bytes unless LEDGER_EVIDENCE_MAX_BYTES says otherwise (a scanned invoice). */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;

export interface EvidenceUpload {
  readonly bytes: Buffer;
  readonly mediaType: EvidenceMediaType;
  /** The sanitised original name. */
  readonly name: string;
}

/**
 * Reads the multipart field `file` (and nothing else) into memory, within `maxBytes`, and checks it
 * before anything is stored: its type by its first bytes (PDF, PNG or JPEG; the name and the declared
 * type prove nothing), and its name, kept in the log for good, without a personal code.
 */
export async function readEvidenceUpload(req: Request, res: Response, maxBytes: number): Promise<EvidenceUpload> {
  const options = {
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 },
    // Browsers and curl send UTF-8 names; multer would read them as Latin-1 (its types lack the option).
    defParamCharset: 'utf8',
  };
  const upload = multer(options).single('file');
  await new Promise<void>((resolve, reject) =>
    upload(req, res, (err?: unknown) => (err ? reject(uploadError(err, maxBytes)) : resolve())),
  );
  const file = req.file;
  if (!file)
    throw new BadRequestException(fileProblem('required', 'a multipart field "file" with the PDF, PNG or JPEG'));
  const mediaType = sniffEvidenceType(file.buffer);
  if (!mediaType)
    throw new UnsupportedMediaTypeException(
      fileProblem('file-type', `must be ${EVIDENCE_MEDIA_TYPES.join(', ')} by its content (its first bytes)`),
    );
  if (containsPersonalCode(file.originalname))
    throw validationException([
      { field: 'file', rule: NO_PERSONAL_CODE, message: 'its name must not contain a personal code (asmens kodas)' },
    ]);
  return { bytes: file.buffer, mediaType, name: sanitiseEvidenceName(file.originalname) };
}

function fileProblem(rule: string, message: string) {
  return { message: `file: ${message}`, issues: [{ field: 'file', rule, message }] };
}

function uploadError(err: unknown, maxBytes: number): HttpException {
  if (err instanceof HttpException) return err;
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE')
      return new PayloadTooLargeException(fileProblem('max-size', `must be at most ${maxBytes} bytes`));
    const onlyFile = err.code === 'LIMIT_FIELD_COUNT' || err.code === 'LIMIT_PART_COUNT';
    const field = err.field ?? (onlyFile ? '(body)' : 'file');
    const message = onlyFile ? 'takes only the multipart field "file"' : err.message;
    return new BadRequestException({
      message: `${field}: ${message}`,
      issues: [{ field, rule: err.code.toLowerCase(), message }],
    });
  }
  return new BadRequestException(fileProblem('multipart', 'must be a multipart/form-data upload'));
}
