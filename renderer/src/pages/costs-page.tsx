import { Coins } from 'lucide-react';
import { Link } from 'react-router';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';
import { useSettingsStore } from '../state/settings-store';

/** Costs: an honest empty state until cost records land; shows the electricity price in use. */
export function CostsPage() {
  const settings = useSettingsStore((state) => state.settings);
  return (
    <div data-testid="page-costs">
      <PageHeader title="Costs" description="GPU energy and electricity cost per training run." />
      <EmptyState icon={Coins} title="No costs recorded yet" testId="costs-empty">
        <p>
          Each training run records the energy its GPUs drew (Wh) and what it cost at your electricity price
          {settings !== null && (
            <>
              {' '}
              — now{' '}
              <strong data-testid="costs-price">
                {settings['energy.pricePerKwh']} {settings['energy.currency']}/kWh
              </strong>
            </>
          )}
          . <Link to="/settings">Change it in Settings</Link>.
        </p>
        <p>
          From a terminal: <code>lora-studio costs</code>
        </p>
      </EmptyState>
    </div>
  );
}
