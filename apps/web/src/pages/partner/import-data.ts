import { csvRecords } from './csv-rows';
import { getText, projectBase, read, upload } from './partner-api';

/** `GET …/imports/:id`: the job's state, rows done, then the summary and the error files. */
export interface ImportStatus {
  readonly id: string;
  readonly state: string;
  readonly progress: { readonly done: number; readonly total: number } | number | null;
  readonly summary: {
    readonly rows: number;
    readonly imported: number;
    readonly alreadyPresent: number;
    readonly rejected: number;
    readonly dryRun: boolean;
  } | null;
  readonly errors: { readonly csv: string; readonly xlsx: string } | null;
  readonly failedReason?: string | null;
}

export const FINISHED = ['completed', 'failed'];

/** Multipart: the file, dryRun true|false, and a CSV's kind when chosen. */
export async function startImport(code: string, file: File, dryRun: boolean, kind: string): Promise<string> {
  const form = new FormData();
  form.append('dryRun', String(dryRun));
  if (kind) form.append('kind', kind);
  form.append('file', file, file.name);
  const started = await upload<{ location: string }>(`${projectBase(code)}/imports`, form);
  return started.location;
}

export const readImport = (location: string) => read<ImportStatus>(location);

/** The refused rows, from the API's own CSV error file (values with personal codes already masked there). */
export async function loadRowErrors(csvUrl: string): Promise<Record<string, string>[]> {
  return csvRecords(await getText(csvUrl));
}

export const templateUrl = (code: string) => `${projectBase(code)}/imports/template.xlsx`;
