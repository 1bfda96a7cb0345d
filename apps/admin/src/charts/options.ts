// ECharts options from plain numbers, the pure part (no echarts code, only its types): line, bar, pie and funnel
// charts in the admin page's look, with the stored units turned into what the owner reads (fen -> ¥, basis
// points -> %) and a tooltip in the same units.
import type { BarSeriesOption, FunnelSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | FunnelSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

/** What the numbers are: people / times, points, money in fen, rates in basis points. */
export type ValueUnit = 'count' | 'points' | 'fen' | 'bp';

/** The admin page's palette: accent blue first, then colours that stay apart in print. */
export const PALETTE = ['#1f6feb', '#14a37f', '#f5a623', '#d9363e', '#7b61ff', '#0fb5c9', '#86909c', '#e86fb0'];

/** A stored value as the chart draws it: ¥ for fen, % for basis points; '-' is ECharts' "no value here". */
export function chartValue(value: number | null, unit: ValueUnit): number | '-' {
  if (value === null) return '-';
  return unit === 'fen' || unit === 'bp' ? value / 100 : value;
}

/** A drawn value back as text for tooltips and axes: `¥88.50`, `25%`, `1,200`. */
export function valueText(value: unknown, unit: ValueUnit): string {
  const number = typeof value === 'number' ? value : Number(value);
  if (value === '-' || value === null || value === undefined || Number.isNaN(number)) return '—';
  if (unit === 'fen') {
    return `¥${number.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
  if (unit === 'bp') return `${number.toLocaleString('zh-CN', { maximumFractionDigits: 2 })}%`;
  return number.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}

function axisLabel(unit: ValueUnit) {
  return { formatter: (value: number) => (unit === 'fen' ? `¥${value}` : unit === 'bp' ? `${value}%` : `${value}`) };
}

/** `2030-01-05` -> `01-05` under the axis (the whole day stays in the tooltip). */
export function dayLabel(day: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day.slice(5) : day;
}

const GRID: GridComponentOption = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

export interface SeriesInput {
  name: string;
  /** One value per category (day, template, class), null where there is none. */
  values: readonly (number | null)[];
  /** Bars with the same stack are drawn on top of each other. */
  stack?: string;
}

export interface AxisChartInput {
  /** The x axis: days (yyyy-MM-dd) or names. */
  categories: readonly string[];
  series: readonly SeriesInput[];
  unit: ValueUnit;
  /** Shorten yyyy-MM-dd categories to MM-dd under the axis. */
  days?: boolean;
}

function axisBase({ categories, series, unit, days = false }: AxisChartInput, boundaryGap: boolean): ChartOption {
  return {
    color: PALETTE,
    grid: GRID,
    legend: series.length > 1 ? { top: 0, data: series.map((item) => item.name) } : { show: false },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => valueText(value, unit),
    },
    xAxis: {
      type: 'category',
      boundaryGap,
      data: [...categories],
      axisLabel: days
        ? { formatter: (value: string) => dayLabel(value) }
        : { interval: 0, overflow: 'truncate', width: 80 },
    },
    yAxis: { type: 'value', minInterval: unit === 'fen' || unit === 'bp' ? 0 : 1, axisLabel: axisLabel(unit) },
  };
}

export function lineOption(input: AxisChartInput): ChartOption {
  return {
    ...axisBase(input, false),
    series: input.series.map(
      (item): LineSeriesOption => ({
        type: 'line',
        name: item.name,
        data: item.values.map((value) => chartValue(value, input.unit)),
        smooth: true,
        showSymbol: input.categories.length <= 31,
        connectNulls: false,
      }),
    ),
  };
}

export function barOption(input: AxisChartInput): ChartOption {
  return {
    ...axisBase(input, true),
    series: input.series.map(
      (item): BarSeriesOption => ({
        type: 'bar',
        name: item.name,
        data: item.values.map((value) => chartValue(value, input.unit)),
        barMaxWidth: 28,
        ...(item.stack ? { stack: item.stack } : {}),
      }),
    ),
  };
}

export interface NamedValue {
  name: string;
  value: number;
}

export function pieOption({ name, items, unit }: { name: string; items: readonly NamedValue[]; unit: ValueUnit }) {
  const option: ChartOption = {
    color: PALETTE,
    legend: { bottom: 0, type: 'scroll' },
    tooltip: {
      trigger: 'item',
      formatter: (params) => {
        const item = Array.isArray(params) ? params[0] : params;
        if (!item) return '';
        return `${item.name}：${valueText(item.value, unit)}（${item.percent ?? 0}%）`;
      },
    },
    series: [
      {
        type: 'pie',
        name,
        radius: ['40%', '68%'],
        center: ['50%', '45%'],
        avoidLabelOverlap: true,
        label: { formatter: '{b} {d}%' },
        data: items.map((item) => ({ name: item.name, value: chartValue(item.value, unit) })),
      },
    ],
  };
  return option;
}

/** Stages from the widest (first) down; each stage's share of the first goes in its label. */
export function funnelOption({ name, stages, unit }: { name: string; stages: readonly NamedValue[]; unit: ValueUnit }) {
  const first = stages[0]?.value ?? 0;
  const option: ChartOption = {
    color: PALETTE,
    tooltip: { trigger: 'item', valueFormatter: (value) => valueText(value, unit) },
    series: [
      {
        type: 'funnel',
        name,
        left: '10%',
        width: '80%',
        top: 8,
        bottom: 8,
        sort: 'none',
        minSize: '8%',
        gap: 2,
        label: { show: true, position: 'inside', formatter: '{b}\n{c}' },
        data: stages.map((stage, at) => ({
          name: at === 0 || first === 0 ? stage.name : `${stage.name}（${shareText(stage.value, first)}）`,
          value: chartValue(stage.value, unit),
        })),
      },
    ],
  };
  return option;
}

/** `part` of `whole` as a percentage with at most one decimal: 20 of 100 -> `20%`. */
export function shareText(part: number, whole: number): string {
  if (whole === 0) return '—';
  return `${Math.round((part / whole) * 1000) / 10}%`;
}
