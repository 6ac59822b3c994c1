import { useEffect, useRef } from 'preact/hooks';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';

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

/**
 * A chart on a canvas (no inline styles or HTML, which the strict CSP would refuse), drawn from the
 * option `build` returns whenever `deps` change, redrawn to the window's size, disposed with the
 * element. `data-rendered` tells the browser tests and the bench that it is drawn.
 */
export function useEChart(build: () => EChartsCoreOption, deps: readonly unknown[]) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: EChartsType | undefined;
    let gone = false;
    const onResize = () => chart?.resize();
    void loadCharts().then(({ init }) => {
      if (gone || !el.current) return;
      chart = init(el.current, undefined, { renderer: 'canvas' });
      chart.setOption(build());
      el.current.dataset.rendered = 'true';
      addEventListener('resize', onResize);
    }, reportChartFailure);
    return () => {
      gone = true;
      removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, deps);
  return el;
}
