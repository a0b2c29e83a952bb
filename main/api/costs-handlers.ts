import type { CostService } from '../costs/cost-service';
import { buildCostsReport, costsCsv } from '../costs/costs-report';
import type { Handlers } from './api-router';

type CostChannels = Extract<keyof Handlers, `costs.${string}`>;

/** Energy, cost and budget channels. */
export function createCostsHandlers(deps: {
  readonly costs: CostService;
  readonly now: () => number;
}): Pick<Handlers, CostChannels> {
  const { costs, now } = deps;
  return {
    'costs.report': ({ since }) => buildCostsReport(costs.list(since), costs.budget(), now()),
    'costs.csv': ({ since }) => ({
      csv: costsCsv(costs.list(since)),
      filename: `lora-studio-costs-${new Date(now()).toISOString().slice(0, 10)}.csv`,
    }),
    'costs.job': ({ jobId }) => costs.forJob(jobId),
    'costs.budget': () => costs.budget(),
    'costs.estimate': ({ durationS, gpuIndices }) => costs.estimate(durationS, gpuIndices ?? []),
  };
}
