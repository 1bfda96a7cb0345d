// ECharts, only the parts the admin page draws with: line, bar, pie and funnel charts, their grid, legend and
// tooltip, on a canvas. Imported by the lazily loaded pages only, so the first page never carries it.
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, PieChart, FunnelChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { type EChartsType, init };
