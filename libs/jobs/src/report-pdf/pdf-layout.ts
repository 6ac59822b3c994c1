import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { ChartSvg } from './pdf-charts';
import { FONT_FILES, fontsDir } from './pdf-fonts';

export type Pdf = PDFKit.PDFDocument;

const MARGIN = 50;
export const REGULAR = 'DejaVu';
export const BOLD = 'DejaVu-Bold';

/**
 * An A4 document with the bundled fonts, its dates and file ID fixed by the caller (the ledger
 * point, not the clock), so the same position gives the same bytes. Pages are kept for numbering.
 */
export function newPdf(info: { title: string; subject: string; createdAt: Date; Keywords?: string }): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: info.title,
      Subject: info.subject,
      Author: 'Integral Help Ledger',
      Producer: 'Integral Help Ledger (PDFKit)',
      Creator: 'Integral Help Ledger',
      CreationDate: info.createdAt,
      ModDate: info.createdAt,
      ...(info.Keywords ? { Keywords: info.Keywords } : {}),
    },
  });
  const dir = fontsDir();
  doc.registerFont(REGULAR, join(dir, FONT_FILES.regular));
  doc.registerFont(BOLD, join(dir, FONT_FILES.bold));
  return doc.font(REGULAR).fontSize(10);
}

/** The document's bytes once ended. */
export function pdfBytes(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

const contentWidth = (doc: Pdf) => doc.page.width - 2 * MARGIN;
const bottom = (doc: Pdf) => doc.page.height - MARGIN;

/** A new page unless `height` still fits below the cursor. */
export function ensureRoom(doc: Pdf, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

export function heading(doc: Pdf, text: string, size = 15): void {
  ensureRoom(doc, size * 3);
  doc
    .moveDown(0.6)
    .font(BOLD)
    .fontSize(size)
    .text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.font(REGULAR).fontSize(10).moveDown(0.4);
}

export function paragraph(doc: Pdf, text: string, options: { size?: number; bold?: boolean } = {}): void {
  doc.font(options.bold ? BOLD : REGULAR).fontSize(options.size ?? 10);
  doc.text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.font(REGULAR).fontSize(10);
}

export interface Column {
  readonly title: string;
  /** Share of the content width. */
  readonly width: number;
  readonly align?: 'left' | 'right';
}

const PAD = 3;

/** A table with a bold header row repeated on every page it runs onto; cells wrap within their column. */
export function table(doc: Pdf, columns: readonly Column[], rows: readonly (readonly string[])[]): void {
  const widths = columns.map((c) => c.width * contentWidth(doc));
  const drawRow = (cells: readonly string[], bold: boolean) => {
    doc.font(bold ? BOLD : REGULAR).fontSize(8.5);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * PAD }))) + 2 * PAD;
    if (doc.y + height > bottom(doc)) {
      doc.addPage();
      if (!bold)
        drawRow(
          columns.map((c) => c.title),
          true,
        );
    }
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(cell, x + PAD, top + PAD, { width: widths[i]! - 2 * PAD, align: columns[i]!.align ?? 'left' });
      x += widths[i]!;
    });
    doc
      .moveTo(MARGIN, top + height)
      .lineTo(MARGIN + contentWidth(doc), top + height)
      .lineWidth(bold ? 0.8 : 0.3)
      .strokeColor('#888888')
      .stroke();
    doc.x = MARGIN;
    doc.y = top + height;
  };
  drawRow(
    columns.map((c) => c.title),
    true,
  );
  for (const r of rows) drawRow(r, false);
  doc.font(REGULAR).fontSize(10).moveDown(0.5);
}

/** A chart drawn as vector paths, centred; its labels in the bundled font. */
export function chart(doc: Pdf, c: ChartSvg): void {
  ensureRoom(doc, c.height + 10);
  const x = MARGIN + (contentWidth(doc) - c.width) / 2;
  SVGtoPDF(doc, c.svg, x, doc.y, {
    width: c.width,
    height: c.height,
    assumePt: true,
    fontCallback: (_family, bold) => (bold ? BOLD : REGULAR),
  });
  doc.x = MARGIN;
  doc.y += c.height + 10;
  doc.font(REGULAR).fontSize(10);
}

/** "Puslapis n iš N" at the foot of every page, once all pages exist. */
export function numberPages(doc: Pdf, footer: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Written in the bottom margin: without lifting it, pdfkit would start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(REGULAR)
      .fontSize(8)
      .fillColor('#555555')
      .text(`${footer} · Puslapis ${i + 1} iš ${range.count}`, MARGIN, doc.page.height - MARGIN + 15, {
        width: contentWidth(doc),
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
    doc.fillColor('black');
  }
}
