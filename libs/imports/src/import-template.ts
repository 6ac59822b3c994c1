import { Workbook, type DataValidation, type Worksheet } from 'exceljs';
import { IMPORT_COLUMNS, IMPORT_KINDS, PARTNER_ID, RECORD_ID, headerOf, type ImportColumn } from './import-columns';

/** Rows of the template that carry the drop-down lists (Excel checks each cell it applies to). */
const LIST_ROWS = 5000;

const COLUMN_LETTERS = (i: number): string => {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
};

/**
 * The import template: one sheet per record kind (named by the kind, as the import reads it), the
 * headers in Lithuanian and English, drop-down lists for the enumerations, one example row; an
 * instructions sheet first. `categories`: the project's budget categories for the expenditure sheet.
 */
export async function importTemplate(options: { categories?: readonly string[] } = {}): Promise<Buffer> {
  const book = new Workbook();
  book.created = new Date(Date.UTC(2024, 0, 1));
  addInstructions(book);
  for (const kind of IMPORT_KINDS) {
    const columns: ImportColumn[] = [...IMPORT_COLUMNS[kind], RECORD_ID];
    const ws = book.addWorksheet(kind, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ header: headerOf(c), width: Math.max(14, headerOf(c).length + 2) }));
    ws.getRow(1).font = { bold: true };
    ws.addRow(columns.map((c) => c.example));
    columns.forEach((c, i) => {
      const values = c.field === 'categoryId' && options.categories?.length ? options.categories : c.values;
      const letter = COLUMN_LETTERS(i);
      if (c.type === 'money' || c.type === 'personal-code' || c.type === 'date' || c.type === 'time')
        ws.getColumn(i + 1).numFmt = '@';
      if (!values) return;
      // One range per column: the writer stores it as one rule, not one per cell.
      addRangeValidation(ws, `${letter}2:${letter}${LIST_ROWS}`, {
        type: 'list',
        allowBlank: !c.required,
        formulae: [`"${values.join(',')}"`],
        showErrorMessage: true,
        errorTitle: 'Netinkama reikšmė / Invalid value',
        error: `Pasirinkite iš sąrašo / Choose one of: ${values.join(', ')}`,
      });
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

function addInstructions(book: Workbook): void {
  const ws = book.addWorksheet('Paaiškinimai');
  ws.columns = [{ header: 'Kaip pildyti / How to fill in', width: 110 }];
  ws.getRow(1).font = { bold: true };
  ws.addRows([
    ['Kiekvienas lapas – viena įrašų rūšis; lapo pavadinimo nekeiskite. / One sheet per record kind; keep its name.'],
    ['Datos: 2024-03-14 arba 2024.03.14. / Dates: 2024-03-14 or 2024.03.14.'],
    ['Laikas: 08:30 (valandos ir minutės). / Times: 08:30 (hours and minutes).'],
    ['Sumos: dešimtainis kablelis arba taškas, du skaitmenys po jo (1234,57). / Money: decimal comma or point.'],
    ['Pavyzdinę eilutę ištrinkite. / Delete the example row.'],
    [
      `„${RECORD_ID.lt}“ neprivalomas: be jo įrašą atpažįstame iš turinio, tad pakartotinai įkeltas failas nieko nedubliuoja. / ` +
        `"${RECORD_ID.en}" is optional: without it a row is known by its content, so a re-import duplicates nothing.`,
    ],
    [
      `„${PARTNER_ID.lt}“ neprivalomas; jei nurodytas, turi būti jūsų. / "${PARTNER_ID.en}" is optional; if given, your own.`,
    ],
  ]);
}

/** exceljs keeps a rule per range (its typings only show the per-cell setter, one rule per cell). */
function addRangeValidation(ws: Worksheet, range: string, rule: DataValidation): void {
  const rules: unknown = 'dataValidations' in ws ? ws.dataValidations : null;
  if (typeof rules !== 'object' || rules === null || !('add' in rules) || typeof rules.add !== 'function')
    throw new Error('this exceljs keeps no data validations per range');
  rules.add(range, rule);
}
