import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { useEChart } from './use-echart';
import type { ChartSeries } from '../chart-series';
import { useI18n } from '../i18n';
import { formatMonth, formatNumber } from '../i18n/format';

// ECharts itself comes in its own chunk (echarts-setup.ts): only types are imported here.
type Option = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/**
 * The cumulative persons per month against the planned straight line and the forecast. Drawn on a
 * canvas (no inline styles or HTML tooltips, which the strict CSP would refuse); the tooltip is
 * drawn as rich text. Screen readers get the summary in aria-label and the table below.
 */
export function ProgressChart(props: { series: ChartSeries; summary: string; onSettled?: () => void }) {
  const { t, locale } = useI18n();
  const el = useEChart(
    (): Option => {
      const { months, cumulative, trajectory, forecast } = props.series;
      const option: Option = {
        animation: false,
        grid: { left: 56, right: 24, top: 40, bottom: 32 },
        legend: { top: 0, textStyle: { color: '#1b1f24' } },
        tooltip: { trigger: 'axis', renderMode: 'richText' },
        xAxis: {
          type: 'category',
          data: months.map((m) => formatMonth(locale, m)),
          axisLabel: { color: '#4a5360' },
        },
        yAxis: {
          type: 'value',
          axisLabel: { color: '#4a5360', formatter: (v: number) => formatNumber(locale, v) },
        },
        series: [
          {
            name: t.overview.chartCumulative,
            type: 'line',
            data: [...cumulative],
            color: '#0b4f8a',
            lineStyle: { width: 3 },
            showSymbol: false,
          },
          {
            name: t.overview.chartTrajectory,
            type: 'line',
            data: [...trajectory],
            color: '#6b7480',
            lineStyle: { type: 'dashed' },
            showSymbol: false,
          },
          {
            name: t.overview.chartForecast,
            type: 'line',
            data: [...forecast],
            color: '#b35c00',
            lineStyle: { type: 'dotted', width: 2 },
            showSymbol: false,
          },
        ],
      };
      return option;
    },
    [props.series, locale, t],
    props.onSettled,
  );
  return <div ref={el} class="chart" role="img" aria-label={props.summary} />;
}

/** The chart's figures as a table, for screen readers and anyone who prefers numbers. */
export function ProgressTable(props: {
  curve: readonly { month: string; newPersons: number; cumulative: number; trajectory: number }[];
}) {
  const { t, locale } = useI18n();
  return (
    <details>
      <summary>{t.overview.chartTable}</summary>
      <table>
        <caption class="visually-hidden">{t.overview.chartTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{t.overview.month}</th>
            <th scope="col" class="num">
              {t.overview.newInMonth}
            </th>
            <th scope="col" class="num">
              {t.overview.chartCumulative}
            </th>
            <th scope="col" class="num">
              {t.overview.chartTrajectory}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.curve.map((p) => (
            <tr key={p.month}>
              <th scope="row">{formatMonth(locale, p.month)}</th>
              <td class="num">{formatNumber(locale, p.newPersons)}</td>
              <td class="num">{formatNumber(locale, p.cumulative)}</td>
              <td class="num">{formatNumber(locale, p.trajectory)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
