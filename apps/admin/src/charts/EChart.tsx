// One ECharts chart in a div: made on mount, given each new option whole, resized with its box, disposed on unmount.
// The canvas says nothing to a screen reader, so the box is an image with a sentence about the chart.
import { useEffect, useRef } from 'react';
import { type EChartsType, init } from './echarts';
import type { ChartOption } from './options';

export function EChart({ option, label, className }: { option: ChartOption; label: string; className?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className={className ? `echart ${className}` : 'echart'} role="img" aria-label={label} />;
}
