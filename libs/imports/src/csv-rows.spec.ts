import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { csvRows, surveyCsv } from './csv-rows';
import type { SourceRow } from './source-row';

const dir = mkdtempSync(join(tmpdir(), 'ihl-csv-'));
let n = 0;
function file(bytes: Buffer): string {
  const f = join(dir, `f${n++}.csv`);
  writeFileSync(f, bytes);
  return f;
}

async function rows(f: string, kind: 'training-held' | null = null): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of csvRows(f, await surveyCsv(f), kind)) out.push(r);
  return out;
}

const LT_TEXT =
  'Mokymų rūšis;Tema;Data;Trukmė (min.);Dalyvių\ncompetence;Ąžuolų čiužinių ėjimas į šulinį: ąčęėįšųūž ĄČĘĖĮŠŲŪŽ;2024.03.14;90;12\n';

describe('CSV rows', () => {
  it('decodes Windows-1257 bytes with Lithuanian letters, reads `;` and the Lithuanian headers', async () => {
    const f = file(iconv.encode(LT_TEXT, 'win1257'));
    const survey = await surveyCsv(f);
    expect(survey).toMatchObject({ encoding: 'windows-1257', delimiter: ';', rows: 1 });
    const [row] = await rows(f, 'training-held');
    expect(row?.cells.get('topic')).toBe('Ąžuolų čiužinių ėjimas į šulinį: ąčęėįšųūž ĄČĘĖĮŠŲŪŽ');
    expect(row?.cells.get('trainingKind')).toBe('competence');
    expect(row?.cells.get('occurredOn')).toBe('2024.03.14');
    expect(row?.row).toBe(2);
  });

  it('reads UTF-8 with and without a BOM the same', async () => {
    const plain = file(Buffer.from(LT_TEXT, 'utf8'));
    const bom = file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LT_TEXT, 'utf8')]));
    expect((await surveyCsv(plain)).encoding).toBe('utf-8');
    expect((await surveyCsv(bom)).encoding).toBe('utf-8-bom');
    const a = await rows(plain, 'training-held');
    const b = await rows(bom, 'training-held');
    expect([...b[0]!.cells]).toEqual([...a[0]!.cells]);
    expect(a[0]!.cells.get('trainingKind')).toBe('competence');
  });

  it('reads English headers, `,` separators, quoted decimal commas and the kind per row', async () => {
    const text =
      'Kind,Date,Category,Description,Quantity,Unit price,Total,Supplier,Contract ref\n' +
      'equipment-procured,2024-03-14,device,"Keltuvas, elektrinis",2,"10,50","21,00",UAB A,S-1\n' +
      '\n' +
      'no-such-kind,2024-03-14,device,x,1,1,1,a,b\n';
    const out = await rows(file(Buffer.from(text)));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ kind: 'equipment-procured', row: 2 });
    expect(out[0]!.cells.get('description')).toBe('Keltuvas, elektrinis');
    expect(out[0]!.cells.get('unitPrice')).toBe('10,50');
    expect(out[1]).toMatchObject({ kind: null, kindText: 'no-such-kind' });
  });

  it('takes the separator the header holds most of, outside quotes', async () => {
    expect((await surveyCsv(file(Buffer.from('"a;b",c,d\n1,2,3\n')))).delimiter).toBe(',');
    expect((await surveyCsv(file(Buffer.from('a;b;c\n1,5;2;3\n')))).delimiter).toBe(';');
  });
});
