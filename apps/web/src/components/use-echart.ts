import { useEffect, useRef } from 'preact/hooks';
import { init, type EChartsCoreOption } from 'echarts/core';

/**
 * A chart on a canvas (no inline styles or HTML, which the strict CSP would refuse), drawn from the
 * option `build` returns whenever `deps` change, redrawn to the window's size, disposed with the
 * element. `data-rendered` tells the browser tests and the bench that it is drawn.
 */
export function useEChart(build: () => EChartsCoreOption, deps: readonly unknown[]) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = init(el.current, undefined, { renderer: 'canvas' });
    chart.setOption(build());
    el.current.dataset.rendered = 'true';
    const onResize = () => chart.resize();
    addEventListener('resize', onResize);
    return () => {
      removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, deps);
  return el;
}
