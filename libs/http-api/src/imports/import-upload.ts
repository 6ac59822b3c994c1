import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  BadRequestException,
  HttpException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';

/** An upload of up to this many bytes (a 100,000-row CSV is about 10 MB). */
export const IMPORT_MAX_BYTES = 64 * 1024 * 1024;

export interface SavedUpload {
  /** Its name under DATA_DIR/imports: a fresh UUID and the format's extension. */
  readonly name: string;
  readonly path: string;
  readonly format: 'csv' | 'xlsx';
  /** The multipart fields sent beside the file. */
  readonly fields: Record<string, unknown>;
}

/**
 * Streams the multipart field `file` to DATA_DIR/imports (0700; the file 0600: it holds personal
 * codes, so it never goes to Redis), refusing anything but one .csv or .xlsx within the size limit.
 */
export async function saveUpload(req: Request, res: Response, dir: string): Promise<SavedUpload> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let name = '';
  const upload = multer({
    storage: multer.diskStorage({
      destination: dir,
      filename: (_req, file, done) => {
        name = `${randomUUID()}${extname(file.originalname).toLowerCase()}`;
        done(null, name);
      },
    }),
    limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10, fieldSize: 1024 },
    fileFilter: (_req, file, done) => {
      const ext = extname(file.originalname).toLowerCase();
      if (ext === '.csv' || ext === '.xlsx') return done(null, true);
      done(new UnsupportedMediaTypeException(fileProblem('file-type', 'must be a .csv or .xlsx file')));
    },
  }).single('file');
  await new Promise<void>((resolve, reject) =>
    upload(req, res, (err?: unknown) => (err ? reject(uploadError(err)) : resolve())),
  ).catch(async (e: unknown) => {
    if (name) await rm(`${dir}/${name}`, { force: true });
    throw e;
  });
  const file = req.file;
  if (!file) throw new BadRequestException(fileProblem('required', 'a multipart field "file" with the .csv or .xlsx'));
  await chmod(file.path, 0o600);
  const format = extname(file.filename) === '.xlsx' ? 'xlsx' : 'csv';
  return { name: file.filename, path: file.path, format, fields: { ...(req.body as Record<string, unknown>) } };
}

function fileProblem(rule: string, message: string) {
  return { message: `file: ${message}`, issues: [{ field: 'file', rule, message }] };
}

function uploadError(err: unknown): HttpException {
  if (err instanceof HttpException) return err;
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE')
      return new PayloadTooLargeException(fileProblem('max-size', `must be at most ${IMPORT_MAX_BYTES} bytes`));
    const field = err.field ?? 'file';
    return new BadRequestException({
      message: `${field}: ${err.message}`,
      issues: [{ field, rule: err.code.toLowerCase(), message: err.message }],
    });
  }
  return new BadRequestException(fileProblem('multipart', 'must be a multipart/form-data upload'));
}
