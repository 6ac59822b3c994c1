import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { useEChart } from '../use-echart';
import { useI18n } from '../../i18n';
import { formatMoney, formatMonth, formatNumber } from '../../i18n/format';
import type { BurnSeries } from '../../pages/finance/burn-series';
import type { BurnMonth } from '../../pages/finance/finance-data';

// ECharts itself comes in its own chunk (echarts-setup.ts): only types are imported here.
type Option = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/**
 * Declared per month (bars, left axis) and in total with the forecast to the project end (lines,
 * right axis). As the overview's chart: a canvas, rich-text tooltip, the summary in aria-label.
 */
export function BurnChart(props: { series: BurnSeries; summary: string }) {
  const { t, locale } = useI18n();
  const el = useEChart((): Option => {
    const { months, monthly, cumulative, forecast } = props.series;
    const axisLabel = { color: '#4a5360', formatter: (v: number) => formatNumber(locale, v) };
    const option: Option = {
      animation: false,
      grid: { left: 80, right: 90, top: 40, bottom: 32 },
      legend: { top: 0, textStyle: { color: '#1b1f24' } },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', data: months.map((m) => formatMonth(locale, m)), axisLabel: { color: '#4a5360' } },
      yAxis: [
        { type: 'value', name: '€', axisLabel },
        { type: 'value', name: '€', axisLabel, splitLine: { show: false } },
      ],
      series: [
        { name: t.finance.burnMonthly, type: 'bar', data: [...monthly], color: '#6b7480', yAxisIndex: 0 },
        {
          name: t.finance.burnCumulative,
          type: 'line',
          data: [...cumulative],
          color: '#0b4f8a',
          lineStyle: { width: 3 },
          showSymbol: false,
          yAxisIndex: 1,
        },
        {
          name: t.finance.burnForecast,
          type: 'line',
          data: [...forecast],
          color: '#b35c00',
          lineStyle: { type: 'dotted', width: 2 },
          showSymbol: false,
          yAxisIndex: 1,
        },
      ],
    };
    return option;
  }, [props.series, locale, t]);
  return <div ref={el} class="chart" role="img" aria-label={props.summary} />;
}

/** The months with expenditure, exact to the cent, for screen readers and anyone who prefers numbers. */
export function BurnTable(props: { burn: readonly BurnMonth[] }) {
  const { t, locale } = useI18n();
  const first = props.burn.findIndex((b) => b.declared !== '0.00');
  const months = first < 0 ? [] : props.burn.slice(first);
  return (
    <details>
      <summary>{t.finance.chartTable}</summary>
      <table data-table="burn">
        <caption class="visually-hidden">{t.finance.burnTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{t.finance.month}</th>
            <th scope="col" class="num">
              {t.finance.burnMonthly}
            </th>
            <th scope="col" class="num">
              {t.finance.eligible}
            </th>
            <th scope="col" class="num">
              {t.finance.burnCumulative}
            </th>
          </tr>
        </thead>
        <tbody>
          {months.map((b) => (
            <tr key={b.month}>
              <th scope="row">{formatMonth(locale, b.month)}</th>
              <td class="num">{formatMoney(locale, b.declared)}</td>
              <td class="num">{formatMoney(locale, b.eligible)}</td>
              <td class="num">{formatMoney(locale, b.cumulativeDeclared)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
