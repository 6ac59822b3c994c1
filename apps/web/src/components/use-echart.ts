import { useEffect, useRef } from 'preact/hooks';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import pageReads from '../page-reads.json';

let loading: Promise<typeof import('./echarts-setup')> | undefined;
/**
 * ECharts, in a script chunk of its own (code splitting): fetched the first time a page with a
 * chart asks (a page may ask as it opens, before its data, so both load at once), then kept.
 */
export function loadCharts(): Promise<typeof import('./echarts-setup')> {
  // A chunk that failed to come (the network) is asked for again by the next chart.
  loading ??= import('./echarts-setup').catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/** Without its chunk a chart is not drawn; the table beside it still gives its figures. */
const reportChartFailure = (e: unknown) => console.warn('chart not drawn:', e);

/** The paths that open with a chart: the api serves them HTML that preloads ECharts (web-app.middleware.ts). */
const CHART_PAGE = new RegExp(pageReads.chartPages);

/**
 * On a page that opens with a chart, ECharts is fetched (the api's page has already preloaded it)
 * and run while the page still waits for its session and figures, rather than after them.
 */
export function loadChartsEarlyOn(path: string): void {
  if (CHART_PAGE.test(path)) void loadCharts().catch(reportChartFailure);
}

/**
 * A chart on a canvas (no inline styles or HTML, which the strict CSP would refuse), drawn from the
 * option `build` returns whenever `deps` change, redrawn to the window's size, disposed with the
 * element. `data-rendered` tells the browser tests and the bench that it is drawn. `onSettled` is
 * called once it is drawn, or once it cannot be (its chunk did not come): a page may hold back work
 * of its own until then, so that it does not compete with the chart.
 */
export function useEChart(build: () => EChartsCoreOption, deps: readonly unknown[], onSettled?: () => void) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: EChartsType | undefined;
    let gone = false;
    const onResize = () => chart?.resize();
    void loadCharts().then(
      ({ init }) => {
        if (gone || !el.current) return;
        const start = performance.now();
        chart = init(el.current, undefined, { renderer: 'canvas' });
        chart.setOption(build());
        el.current.dataset.rendered = 'true';
        // The first draw's own time, for the bench (bench/web-overview.compare.ts).
        performance.measure('chart-draw', { start });
        addEventListener('resize', onResize);
        onSettled?.();
      },
      (e: unknown) => {
        reportChartFailure(e);
        onSettled?.();
      },
    );
    return () => {
      gone = true;
      removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, deps);
  return el;
}
