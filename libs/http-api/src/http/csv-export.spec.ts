import { csvText } from './csv-export';

/** RFC 4180 read back: quoted fields, doubled quotes, the separator and line end given. */
function parseCsv(text: string, separator: string, lineEnd: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) field += c;
    else if (c === separator) endField();
    else if (text.startsWith(lineEnd, i)) {
      endField();
      rows.push(row);
      row = [];
      i += lineEnd.length - 1;
    } else field += c;
  }
  return rows;
}

describe('CSV dialects', () => {
  const header = ['row', 'partner', 'month', 'amount', 'hours', 'note'];
  const rows = [
    ['line', 'utena-spc', '2024-05', '-0.99', 1.5, 'a; b, "c"'],
    ['total', '', '', '1067.77', 3, '=HYPERLINK("x")'],
    ['month', 'visaginas-spc', '2024-06', '0.00', 0, '@sum'],
  ];

  it('standard: comma, point decimals, LF, no BOM, values as they are', () => {
    const text = csvText(header, rows, 'standard');
    expect(text.startsWith('row,')).toBe(true);
    expect(text).not.toContain('\r\n');
    expect(text.split('\n')[1]).toBe('line,utena-spc,2024-05,-0.99,1.5,"a; b, ""c"""');
    expect(parseCsv(text, ',', '\n')).toEqual([header, ...rows.map((r) => r.map(String))]);
  });

  it('excel: BOM, semicolon, CRLF, decimal comma in amounts and hours only, formulas made text', () => {
    const text = csvText(header, rows, 'excel');
    expect(text.startsWith('\uFEFFrow;partner;')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text.slice(1), ';', '\r\n')).toEqual([
      header,
      ['line', 'utena-spc', '2024-05', '-0,99', '1,5', 'a; b, "c"'],
      ['total', '', '', '1067,77', '3', `'=HYPERLINK("x")`],
      ['month', 'visaginas-spc', '2024-06', '0,00', '0', "'@sum"],
    ]);
  });
});
