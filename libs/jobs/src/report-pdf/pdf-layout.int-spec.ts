// The layout helpers on their own: a long table runs onto new pages with its header repeated, the
// page numbers count every page, and the text comes back with its Lithuanian letters (poppler).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heading, newPdf, numberPages, pdfBytes, table } from './pdf-layout';

describe('PDF layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ihl-layout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('breaks a long table across pages, repeating its header, and numbers every page', async () => {
    const doc = newPdf({ title: 't', subject: 's', createdAt: new Date('2024-06-15T10:00:00Z') });
    heading(doc, 'Ilga lentelė: ąčęėįšųūž');
    const rows = Array.from({ length: 150 }, (_, i) => [
      `Eilutė ${i + 1}`,
      'Žemaitijos ūkis, kurio pavadinimas ilgas '.repeat(3),
    ]);
    table(
      doc,
      [
        { title: 'Nr.', width: 0.3 },
        { title: 'Aprašymas', width: 0.7 },
      ],
      rows,
    );
    const count = doc.bufferedPageRange().count;
    numberPages(doc, 'bandymas');
    const file = join(dir, 'table.pdf');
    writeFileSync(file, await pdfBytes(doc));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(count).toBeGreaterThan(3);
    expect(text.match(/Aprašymas/g)).toHaveLength(count);
    expect(text).toContain('Ilga lentelė: ąčęėįšųūž');
    expect(text).toContain('Eilutė 150');
    expect(text).toContain(`Puslapis ${count} iš ${count}`);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`Pages:\\s+${count}\\n`));
  });
});
