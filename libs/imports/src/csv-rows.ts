import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { ImportKind } from './import-columns';
import { readHeader, rowOf, type HeaderMap, type SourceRow } from './source-row';

export type CsvEncoding = 'utf-8-bom' | 'utf-8' | 'windows-1257';

/** What one pass over the bytes tells: the file's SHA-256, its encoding and about how many rows it has. */
export interface CsvSurvey {
  readonly sha256: string;
  readonly encoding: CsvEncoding;
  /** Lines after the header (a quoted line break counts too: progress only). */
  readonly rows: number;
  readonly delimiter: ';' | ',' | '\t';
}

/**
 * Reads the file once, in chunks: a BOM means UTF-8; bytes that are valid UTF-8 are UTF-8; anything
 * else is taken for Windows-1257 (Baltic), what Lithuanian Excel saves "CSV" as.
 */
export async function surveyCsv(file: string): Promise<CsvSurvey> {
  const hash = createHash('sha256');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let valid = true;
  let first: Buffer | null = null;
  let lines = 0;
  let lastByte = 0x0a;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    first ??= chunk;
    if (valid) {
      try {
        utf8.decode(chunk, { stream: true });
      } catch {
        valid = false;
      }
    }
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!;
  }
  if (valid) {
    try {
      utf8.decode();
    } catch {
      valid = false;
    }
  }
  if (lastByte !== 0x0a) lines++;
  const head = first ?? Buffer.alloc(0);
  const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const encoding: CsvEncoding = bom ? 'utf-8-bom' : valid ? 'utf-8' : 'windows-1257';
  return { sha256: hash.digest('hex'), encoding, rows: Math.max(0, lines - 1), delimiter: delimiterOf(head) };
}

/** The separator of the header line: the one of `;`, `,` and tab it holds most of, outside quotes. */
export function delimiterOf(head: Buffer): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const byte of head) {
    if (byte === 0x0a && !quoted) break;
    if (byte === 0x22) quoted = !quoted;
    else if (!quoted && byte === 0x3b) counts[';']++;
    else if (!quoted && byte === 0x2c) counts[',']++;
    else if (!quoted && byte === 0x09) counts['\t']++;
  }
  const best = (Object.keys(counts) as (keyof typeof counts)[]).reduce((a, b) => (counts[b] > counts[a] ? b : a));
  return counts[best] > 0 ? best : ';';
}

function decoded(file: string, encoding: CsvEncoding): NodeJS.ReadableStream {
  const bytes = createReadStream(file);
  // csv-parse drops a UTF-8 BOM itself (bom: true); Windows-1257 is decoded as it streams.
  return encoding === 'windows-1257' ? bytes.pipe(iconv.decodeStream('win1257')) : bytes;
}

/**
 * The rows of a CSV file, streamed: never more than the parser's buffer and one row in memory. The
 * kind of a row is the one named for the whole file, else its `kind` column.
 */
export async function* csvRows(
  file: string,
  survey: CsvSurvey,
  kind: ImportKind | null,
  onHeader: (h: HeaderMap) => void = () => undefined,
): AsyncGenerator<SourceRow> {
  const parser = decoded(file, survey.encoding).pipe(
    parse({ delimiter: survey.delimiter, bom: true, relax_column_count: true, relax_quotes: true, info: true }),
  );
  let header: HeaderMap | null = null;
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (header === null) {
      header = readHeader(kind, record.record);
      onHeader(header);
      continue;
    }
    const row = rowOf(header, record.record, { row: record.info.lines, sheet: 'csv', kind });
    if (row) yield row;
  }
}
