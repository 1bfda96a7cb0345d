// 概览 dashboard: the figures over a range of China days (and a store), and one figure as a CSV file.
import {
  Dashboard,
  type DashboardFigureKey,
  DashboardPaths,
  PaidCallPaths,
  PaidCallsSummary,
} from '@member-hub/shared';
import { apiDownload, apiRequest, type Download } from '../api';
import { buildQuery } from './query';

export interface DashboardParams {
  /** yyyy-MM-dd, both included. */
  from: string;
  to: string;
  /** null = every store. */
  storeId: string | null;
}

function queryOf({ from, to, storeId }: DashboardParams): string {
  return buildQuery({ from, to, storeId });
}

export function dashboardPath(params: DashboardParams): string {
  return `${DashboardPaths.dashboard}${queryOf(params)}`;
}

export function dashboardExportPath(figure: DashboardFigureKey, params: DashboardParams): string {
  return `${DashboardPaths.export(figure)}${queryOf(params)}`;
}

export function getDashboard(token: string, params: DashboardParams): Promise<Dashboard> {
  return apiRequest(dashboardPath(params), { token, schema: Dashboard });
}

/** The server's CSV of one figure (UTF-8 with BOM, Chinese headers). */
export function exportDashboardFigure(
  token: string,
  figure: DashboardFigureKey,
  params: DashboardParams,
): Promise<Download> {
  return apiDownload(dashboardExportPath(figure, params), token);
}

/** Paid WeChat calls (手机号验证): today, this month and the last 30 days, with their estimated cost. */
export function getPaidCalls(token: string): Promise<PaidCallsSummary> {
  return apiRequest(PaidCallPaths.summary, { token, schema: PaidCallsSummary });
}
