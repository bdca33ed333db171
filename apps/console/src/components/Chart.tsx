import * as echarts from 'echarts';
import { useEffect, useRef } from 'react';

/** An ECharts chart bound to an option object; resizes with its container; tooltips show the numbers on hover. */
export function Chart({
  option,
  height = 300,
  label,
}: {
  option: echarts.EChartsOption;
  height?: number;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
