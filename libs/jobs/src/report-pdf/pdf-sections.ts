import { progressBreakdowns, type ProjectView } from '@ihl/application';
import type { ReportViews } from '../report-views';
import { budgetByCategory, budgetChart, personsChart, volumeCounts, volumesChart } from './pdf-charts';
import { eur, lt, num, percent, vilniusMinute } from './pdf-format';
import { chart, heading, paragraph, table, type Pdf } from './pdf-layout';

/** Who the pack is for: the agency (whole project) or one partner, by name. */
export function scopeText(project: ProjectView, partnerId: string | null): string {
  if (!partnerId) return 'Visa agentūra (visi partneriai)';
  const name = project.partners.find((p) => p.id === partnerId)?.name;
  return `Partneris: ${name ? `${name} (${partnerId})` : partnerId}`;
}

/** The sentence naming the ledger point the pack was built at, as the cover and every footer say. */
export const positionText = (v: ReportViews) =>
  `Duomenys pagal žurnalo poziciją ${v.position}, įrašytą ${vilniusMinute(v.esf.recordedAt)}`;

export function cover(
  doc: Pdf,
  v: ReportViews,
  project: ProjectView,
  period: { from: string; to: string },
  checkpointLines: readonly string[] = [],
): void {
  const d = project.definition;
  doc.moveDown(6);
  paragraph(doc, 'Ataskaitų paketas', { size: 26, bold: true });
  doc.moveDown(0.5);
  paragraph(doc, `Projektas Nr. ${d.code}`, { size: 14, bold: true });
  paragraph(doc, `„${d.title}“`, { size: 14 });
  doc.moveDown(1.5);
  for (const line of [
    scopeText(project, v.progress.partnerId),
    `Laikotarpis: ${period.from} – ${period.to}`,
    positionText(v),
    `Įgyvendintojas: ${d.implementingBody}`,
  ])
    paragraph(doc, line, { size: 12 });
  doc.moveDown(2);
  paragraph(doc, 'Turinys', { size: 12, bold: true });
  for (const item of ['1. Pasiekti asmenys', '2. Veiklos apimtys', '3. Biudžetas', '4. ESF+ rodikliai'])
    paragraph(doc, item, { size: 11 });
  // The signed checkpoint the pack was built on, small, at the foot of the cover.
  if (checkpointLines.length > 0) doc.moveDown(2);
  for (const line of checkpointLines) paragraph(doc, line, { size: 7 });
}

const BREAKDOWN_TITLES: Readonly<Record<string, string>> = {
  partner: 'Partneris',
  target_group: 'Tikslinė grupė',
  service: 'Paslauga',
  setting: 'Paslaugų vieta',
  sex: 'Lytis',
  age_band: 'Amžiaus grupė',
  disability: 'Negalia',
};

export function personsSection(doc: Pdf, v: ReportViews): void {
  doc.addPage();
  heading(doc, '1. Pasiekti asmenys');
  const p = v.progress;
  const target = p.targets[0];
  paragraph(
    doc,
    target
      ? `Pasiekta asmenų: ${num(p.personsReached)} iš ${num(target.value)} (${percent(target.share)}), tikslas iki ${target.deadline}.`
      : `Pasiekta asmenų: ${num(p.personsReached)}.`,
    { size: 12, bold: true },
  );
  if (p.partnersBehind.length > 0) paragraph(doc, `Atsiliekantys partneriai: ${p.partnersBehind.join(', ')}`);
  doc.moveDown(0.5);
  chart(doc, personsChart(p));
  const rows: string[][] = [];
  for (const [dimension, values] of progressBreakdowns(p)) {
    const title = BREAKDOWN_TITLES[dimension];
    if (!title) continue;
    for (const [key, n] of Object.entries(values)) rows.push([title, lt(key), num(n), share(n, p.personsReached)]);
  }
  table(
    doc,
    [
      { title: 'Pjūvis', width: 0.25 },
      { title: 'Reikšmė', width: 0.45 },
      { title: 'Asmenys', width: 0.15, align: 'right' },
      { title: 'Dalis', width: 0.15, align: 'right' },
    ],
    rows,
  );
}

const share = (n: number, of: number) => (of > 0 ? percent(n / of) : '–');

export function volumesSection(doc: Pdf, v: ReportViews): void {
  doc.addPage();
  heading(doc, '2. Veiklos apimtys');
  const vol = v.volumes;
  chart(doc, volumesChart(vol));
  const hours = (h: number) => num(h, 1);
  const rows: string[][] = volumeCounts(vol).map(([kind, n]) => [kind, num(n)]);
  table(
    doc,
    [
      { title: 'Veiklos rūšis', width: 0.7 },
      { title: 'Kiekis', width: 0.3, align: 'right' },
    ],
    rows,
  );
  const services = vol.services.map((s) => [lt(s.service), lt(s.setting), num(s.count), hours(s.hours)]);
  if (services.length > 0) {
    paragraph(doc, 'Paslaugos pagal rūšį ir vietą', { bold: true });
    table(
      doc,
      [
        { title: 'Paslauga', width: 0.3 },
        { title: 'Vieta', width: 0.3 },
        { title: 'Kiekis', width: 0.2, align: 'right' },
        { title: 'Valandos', width: 0.2, align: 'right' },
      ],
      services,
    );
  }
  paragraph(doc, `Įrangos ir transporto priemonių vertė: ${eur(equipmentCents(vol))}`);
}

const equipmentCents = (vol: ReportViews['volumes']) =>
  vol.equipment.reduce((sum, e) => sum + BigInt(e.costCents), BigInt(vol.vehicles.costCents));

export function budgetSection(doc: Pdf, v: ReportViews): void {
  doc.addPage();
  heading(doc, '3. Biudžetas');
  const t = v.budget.total;
  const figures: [string, string][] = [
    ['Projekto biudžetas (visas)', eur(v.budget.envelopeCents)],
    ['Skirta', eur(t.allocatedCents)],
    ['Deklaruota', eur(t.declaredCents)],
    ['Tinkama finansuoti', eur(t.eligibleCents)],
    ['Netinkama finansuoti', eur(t.ineligibleCents)],
    ['Laukia patikrinimo', eur(t.pendingCents)],
    ['Likutis', eur(t.remainingCents)],
  ];
  table(
    doc,
    [
      { title: 'Rodiklis', width: 0.6 },
      { title: 'Suma', width: 0.4, align: 'right' },
    ],
    figures,
  );
  chart(doc, budgetChart(v.budget));
  const rows = budgetByCategory(v.budget).map((c) => [
    lt(c.categoryId),
    eur(c.allocatedCents),
    eur(c.declaredCents),
    eur(c.eligibleCents),
  ]);
  table(
    doc,
    [
      { title: 'Kategorija', width: 0.31 },
      { title: 'Skirta', width: 0.23, align: 'right' },
      { title: 'Deklaruota', width: 0.23, align: 'right' },
      { title: 'Tinkama', width: 0.23, align: 'right' },
    ],
    rows,
  );
}

export function esfSection(doc: Pdf, v: ReportViews): void {
  doc.addPage();
  heading(doc, '4. ESF+ rodikliai');
  paragraph(doc, `Dalyviai nuo projekto pradžios iki žurnalo pozicijos ${v.position}.`);
  doc.moveDown(0.3);
  const rows = v.esf.rows.map((r) => [
    r.code ?? '',
    r.breakdown ? `${r.name} – ${r.breakdown}` : r.name,
    num(r.value),
    r.target === null ? '–' : num(r.target),
  ]);
  table(
    doc,
    [
      { title: 'Kodas', width: 0.14 },
      { title: 'Rodiklis', width: 0.56 },
      { title: 'Reikšmė', width: 0.15, align: 'right' },
      { title: 'Tikslas', width: 0.15, align: 'right' },
    ],
    rows,
  );
  esfPeriods(doc, v);
  for (const note of v.esf.notes) paragraph(doc, note, { size: 8 });
}

/** Participants who entered in each reporting period (the table's first row, per period). */
function esfPeriods(doc: Pdf, v: ReportViews): void {
  const periods = v.esf.periods.filter((p) => p.rows.length > 0);
  if (periods.length === 0) return;
  paragraph(doc, 'Naujai įtraukti dalyviai pagal ataskaitinį laikotarpį', { bold: true });
  table(
    doc,
    [
      { title: 'Laikotarpis', width: 0.25 },
      { title: 'Pradžia', width: 0.25 },
      { title: 'Pabaiga', width: 0.25 },
      { title: 'Dalyviai', width: 0.25, align: 'right' },
    ],
    periods.map((p) => [p.id, p.start, p.end, num(p.rows[0]!.value)]),
  );
}
