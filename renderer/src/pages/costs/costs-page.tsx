import { Coins, Download } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { CostsReport } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { useChannel } from '../../api/use-channel';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { fractionOf, ProgressBar } from '../../components/progress-bar';
import { formatEnergyWh, formatFraction, formatGpuHours, formatMoney } from '../../format/format';
import { useSettingsStore } from '../../state/settings-store';
import { CostChart } from './cost-chart';
import styles from './costs-page.module.css';

type Bucket = CostsReport['byDay'][number];

function BucketTable({
  title,
  buckets,
  currency,
  testId,
}: {
  title: string;
  buckets: ReadonlyArray<Bucket>;
  currency: string;
  testId: string;
}) {
  return (
    <section className={styles.card} data-testid={testId}>
      <h2 className={styles.cardTitle}>{title}</h2>
      <table className={styles.table}>
        <tbody>
          {buckets.map((b) => (
            <tr key={b.key}>
              <td title={b.key}>{b.label}</td>
              <td className={styles.num}>{formatEnergyWh(b.energyWh)}</td>
              <td className={styles.num}>{formatMoney(b.cost + b.amortisationCost, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Budget({ report }: { report: CostsReport }) {
  const b = report.budget;
  if (b.budget === null) {
    return (
      <p className={styles.help} data-testid="costs-budget">
        No monthly budget set. <Link to="/settings">Set one in Settings</Link> to be told at 80% and 100%.
      </p>
    );
  }
  const over = (b.fraction ?? 0) >= 1;
  return (
    <div className={styles.budget} data-testid="costs-budget" data-fraction={b.fraction ?? undefined}>
      <div className={styles.budgetHead}>
        <span>
          Budget {b.month}:{' '}
          <strong data-testid="costs-budget-spent">{formatMoney(b.spent, b.currency)}</strong> of{' '}
          {formatMoney(b.budget, b.currency)}
        </span>
        <span className={over ? styles.overText : styles.help}>{formatFraction(b.fraction)}</span>
      </div>
      <ProgressBar value={fractionOf(Math.min(b.spent, b.budget), b.budget)} label="Monthly budget used" />
      {b.holdReason !== null && (
        <p className={styles.overText} role="status" data-testid="costs-hold">
          {b.holdReason}
        </p>
      )}
    </div>
  );
}

/** Costs: energy and money per run, per day, dataset and base model, against the monthly budget. */
export function CostsPage() {
  const client = useClient();
  const settings = useSettingsStore((state) => state.settings);
  const { value: report, error } = useChannel('costs.report', {}, ['costs', 'jobs', 'settings']);
  const [exportError, setExportError] = useState<string | null>(null);

  const exportCsv = async () => {
    setExportError(null);
    try {
      const { csv, filename } = await client.call('costs.csv', {});
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      URL.revokeObjectURL(url);
    } catch (caught) {
      setExportError(toApiError(caught).message);
    }
  };

  return (
    <div data-testid="page-costs">
      <PageHeader
        title="Costs"
        description="GPU energy, electricity cost, and what the same GPU-hours would cost rented."
      />
      {error !== null && (
        <p className={styles.error} role="alert">
          Costs could not be read: {error.message}
        </p>
      )}
      {report !== null && <Budget report={report} />}
      {report !== null && report.jobs.length === 0 && (
        <EmptyState icon={Coins} title="No costs recorded yet" testId="costs-empty">
          <p>
            Each training run records the energy its GPUs drew (nvidia-smi's power readings) and what it cost
            at your electricity price
            {settings !== null && (
              <>
                {' '}
                —{' '}
                <strong data-testid="costs-price">
                  {settings['energy.pricePerKwh']} {settings['energy.currency']}/kWh
                </strong>
              </>
            )}
            . <Link to="/settings">Change it in Settings</Link>.
          </p>
          <p>
            From a terminal: <code>lora-studio costs --json</code>
          </p>
        </EmptyState>
      )}
      {report !== null && report.jobs.length > 0 && (
        <>
          <div className={styles.totals} data-testid="costs-totals">
            <div className={styles.stat}>
              <span className={styles.statLabel}>Electricity</span>
              <strong data-testid="costs-total">{formatMoney(report.total.cost, report.currency)}</strong>
            </div>
            <div className={styles.stat}>
              <span className={styles.statLabel}>Energy</span>
              <strong>{formatEnergyWh(report.total.energyWh)}</strong>
            </div>
            <div className={styles.stat}>
              <span className={styles.statLabel}>GPU time</span>
              <strong>{formatGpuHours(report.total.gpuHours)}</strong>
            </div>
            <div className={styles.stat}>
              <span className={styles.statLabel}>Amortisation</span>
              <strong>{formatMoney(report.total.amortisationCost, report.currency)}</strong>
            </div>
            <div className={styles.stat}>
              <span className={styles.statLabel}>Rented equivalent</span>
              <strong>{formatMoney(report.total.cloudCost, report.currency)}</strong>
            </div>
            <Button onClick={() => void exportCsv()} data-testid="costs-export-csv">
              <Download size={13} aria-hidden="true" /> Export CSV
            </Button>
          </div>
          {exportError !== null && (
            <p className={styles.error} role="alert">
              {exportError}
            </p>
          )}
          <section className={styles.card}>
            <h2 className={styles.cardTitle}>Spend per day</h2>
            <CostChart buckets={report.byDay} currency={report.currency} />
          </section>
          <div className={styles.grid3}>
            <BucketTable
              title="Per month"
              buckets={report.byMonth}
              currency={report.currency}
              testId="costs-by-month"
            />
            <BucketTable
              title="Per dataset"
              buckets={report.byDataset}
              currency={report.currency}
              testId="costs-by-dataset"
            />
            <BucketTable
              title="Per base model"
              buckets={report.byBaseModel}
              currency={report.currency}
              testId="costs-by-model"
            />
          </div>
          <section className={styles.card}>
            <h2 className={styles.cardTitle}>Runs</h2>
            <table className={styles.table} data-testid="costs-jobs">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">GPU</th>
                  <th scope="col" className={styles.num}>
                    Energy
                  </th>
                  <th scope="col" className={styles.num}>
                    GPU time
                  </th>
                  <th scope="col" className={styles.num}>
                    Cost
                  </th>
                  <th scope="col" className={styles.num}>
                    Rented
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.jobs.map((j) => (
                  <tr key={j.jobId} data-testid="costs-job-row" data-job-id={j.jobId}>
                    <td>
                      <Link to={`/training/jobs/${j.jobId}`}>{j.jobName}</Link>
                      {!j.final && <span className={styles.live}> · running</span>}
                    </td>
                    <td>{j.gpuName ?? '–'}</td>
                    <td className={styles.num}>{formatEnergyWh(j.energyWh)}</td>
                    <td className={styles.num}>{formatGpuHours(j.gpuHours)}</td>
                    <td className={styles.num}>{formatMoney(j.cost + j.amortisationCost, j.currency)}</td>
                    <td className={styles.num}>{formatMoney(j.cloudCost, j.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
