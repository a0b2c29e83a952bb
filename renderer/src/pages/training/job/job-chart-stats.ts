import { create } from 'zustand';
import type { ChartStats } from './job-chart-model';

/** The chart figures of the job whose page is open (written by JobCharts, read by JobLive). */
export const useJobChartStats = create<{
  readonly jobId: string | null;
  readonly stats: ChartStats | null;
}>()(() => ({ jobId: null, stats: null }));
