import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import type { ActivityVolumesView, BudgetView, ProgressView } from '@ihl/application';
import { lt, num } from './pdf-format';

/** A chart as an SVG string, drawn by ECharts on the server (no browser), the library the web app uses. */
export interface ChartSvg {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

export const CHART_WIDTH = 500;
export const CHART_HEIGHT = 260;
const FONT = 'DejaVu Sans';
const COLORS = ['#1f5f99', '#e08a1e', '#3c9a5f', '#b03a48'];

/** Renders one option to SVG; no animation, so the drawing is the final state, the same every time. */
function render(option: EChartsOption, width = CHART_WIDTH, height = CHART_HEIGHT): ChartSvg {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: COLORS, textStyle: { fontFamily: FONT, fontSize: 11 }, ...option });
    return { svg: chart.renderToSVGString(), width, height };
  } finally {
    chart.dispose();
  }
}

const axisNumbers = { axisLabel: { formatter: (v: number) => num(v) } };

/** Persons reached, cumulative per month, against the straight line to the target. */
export function personsChart(p: ProgressView): ChartSvg {
  const months = p.curve.map((c) => c.month);
  return render({
    title: { text: 'Pasiekti asmenys (kaupiamai) ir trajektorija', left: 'center', textStyle: { fontSize: 12 } },
    legend: { bottom: 0, itemGap: 24 },
    grid: { left: 60, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: months, axisLabel: { rotate: 45, fontSize: 9 } },
    yAxis: { type: 'value', ...axisNumbers },
    series: [
      {
        name: 'Pasiekta',
        type: 'line',
        data: p.curve.map((c) => c.cumulative),
        symbol: 'none',
        lineStyle: { width: 2 },
      },
      {
        name: 'Trajektorija',
        type: 'line',
        data: p.curve.map((c) => c.trajectory),
        symbol: 'none',
        lineStyle: { type: 'dashed', width: 1.5 },
      },
    ],
  });
}

/** Allocated, declared and eligible per budget category (the partner's own lines for a partner). */
export function budgetChart(b: BudgetView): ChartSvg {
  const categories = budgetByCategory(b);
  const euros = (key: 'allocatedCents' | 'declaredCents' | 'eligibleCents') =>
    categories.map((c) => Math.round(Number(c[key]) / 100));
  return render({
    title: { text: 'Biudžetas pagal kategorijas, EUR', left: 'center', textStyle: { fontSize: 12 } },
    legend: { bottom: 0, itemGap: 24 },
    grid: { left: 80, right: 20, top: 40, bottom: 70 },
    xAxis: {
      type: 'category',
      data: categories.map((c) => lt(c.categoryId)),
      axisLabel: { interval: 0, rotate: 20, fontSize: 9 },
    },
    yAxis: { type: 'value', ...axisNumbers },
    series: [
      { name: 'Skirta', type: 'bar', data: euros('allocatedCents') },
      { name: 'Deklaruota', type: 'bar', data: euros('declaredCents') },
      { name: 'Tinkama', type: 'bar', data: euros('eligibleCents') },
    ],
  });
}

/** Activities by kind: how many of each the ledger counts. */
export function volumesChart(v: ActivityVolumesView): ChartSvg {
  const kinds = volumeCounts(v);
  return render({
    title: { text: 'Veiklos pagal rūšį, vnt.', left: 'center', textStyle: { fontSize: 12 } },
    grid: { left: 170, right: 40, top: 40, bottom: 30 },
    // Counts: whole ticks only.
    xAxis: { type: 'value', minInterval: 1, ...axisNumbers },
    yAxis: { type: 'category', data: kinds.map(([k]) => k), inverse: true },
    series: [
      {
        type: 'bar',
        data: kinds.map(([, n]) => n), // ECharts outlines labels in white under the fill (paint-order), which svg-to-pdfkit does not
        // know: it would paint the outline over the text.
        label: { show: true, position: 'right', textBorderWidth: 0, textBorderColor: 'transparent' },
      },
    ],
  });
}

/** The lines summed per category, in the order the budget lists them. */
export function budgetByCategory(b: BudgetView) {
  const by = new Map<
    string,
    { categoryId: string; allocatedCents: bigint; declaredCents: bigint; eligibleCents: bigint }
  >();
  for (const l of b.lines) {
    const c = by.get(l.categoryId) ?? {
      categoryId: l.categoryId,
      allocatedCents: 0n,
      declaredCents: 0n,
      eligibleCents: 0n,
    };
    c.allocatedCents += BigInt(l.allocatedCents);
    c.declaredCents += BigInt(l.declaredCents);
    c.eligibleCents += BigInt(l.eligibleCents);
    by.set(l.categoryId, c);
  }
  return [...by.values()];
}

/** Each kind of activity and its count (services summed over service and setting). */
export function volumeCounts(v: ActivityVolumesView): [string, number][] {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  return [
    ['Paslaugos', sum(v.services.map((s) => s.count))],
    ['Konsultacijos', v.consultations.count],
    ['Psichologinė pagalba', sum(v.psychologicalSupport.map((p) => p.sessions))],
    ['Mokymai', v.trainings.count],
    ['Įranga', sum(v.equipment.map((e) => e.quantity))],
    ['Transporto priemonės', v.vehicles.quantity],
    ['Renginiai', sum(v.events.map((e) => e.count))],
  ];
}
