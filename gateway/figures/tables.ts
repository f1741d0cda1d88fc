// The KPI fact tables (migration 0830): one row per (grouping, day, key), the days to recompute, the job's state.
import type { Timestamp } from '../store/column-types.js';

export interface KpiDailyTable {
  grouping: string;
  day: string;
  key: string;
  received: number;
  replied: number;
  cycle_days_sum: number;
  cycle_days: number[];
  closed: number;
  resolved: number;
  answered: number;
  satisfied: number;
  due: number;
  overdue: number;
}

export interface KpiDirtyDaysTable {
  day: string;
  marked_at: Timestamp;
}

export interface KpiStateTable {
  id: number;
  deadlines_swept_to: Timestamp;
  refreshed_at: Timestamp | null;
}

export interface FiguresTables {
  kpi_daily: KpiDailyTable;
  kpi_dirty_days: KpiDirtyDaysTable;
  kpi_state: KpiStateTable;
}
