import type { DatasetDetail } from '../../../../preload/contract';
import { HistogramBars } from '../../components/histogram-bars';
import { formatCount, formatDecimal } from '../../format/format';
import styles from './dataset-page.module.css';
import { TickedText } from './ticked-text';
import { TokenStatsPanel } from './token-stats-panel';

/** What is in a dataset: counts, roles, turns, lengths, the most common problems, and token lengths. */
export function StatsPanel({
  dataset,
  onShowProblem,
}: {
  dataset: DatasetDetail;
  /** Show the rows that have this problem. */
  onShowProblem: (message: string) => void;
}) {
  const { stats } = dataset;
  const roles = Object.entries(stats.roles).sort((a, b) => b[1] - a[1]);
  return (
    <div className={styles.statsGrid} data-testid="dataset-stats">
      <section className={styles.card} aria-label="Rows">
        <h3 className={styles.cardTitle}>Rows</h3>
        <dl className={styles.kv}>
          <dt>Rows</dt>
          <dd data-testid="stats-rows">{formatCount(stats.rows)}</dd>
          <dt>Valid</dt>
          <dd data-testid="stats-valid">{formatCount(stats.valid)}</dd>
          <dt>Invalid</dt>
          <dd data-testid="stats-invalid" className={stats.invalid > 0 ? styles.bad : undefined}>
            {formatCount(stats.invalid)}
          </dd>
          <dt>Deleted</dt>
          <dd>{formatCount(stats.deleted)}</dd>
          <dt>Train / val</dt>
          <dd data-testid="stats-split">
            {formatCount(stats.split.train)} / {formatCount(stats.split.val)}
            {stats.split.unsplit > 0 && (
              <span className={styles.faint}> · {formatCount(stats.split.unsplit)} unsplit</span>
            )}
          </dd>
        </dl>
      </section>

      <section className={styles.card} aria-label="Roles and turns">
        <h3 className={styles.cardTitle}>Roles and turns</h3>
        <p className={styles.faint}>Rows that have a message of each role</p>
        <dl className={styles.kv} data-testid="stats-roles">
          {roles.length === 0 && <dd className={styles.faint}>No messages (text rows).</dd>}
          {roles.map(([role, count]) => (
            <RoleBar key={role} role={role} count={count} max={roles[0]?.[1] ?? 1} />
          ))}
        </dl>
        <p className={styles.faint}>
          Turns per row: {formatDecimal(stats.turns.min)} min · {formatDecimal(stats.turns.mean)} mean ·{' '}
          {formatDecimal(stats.turns.max)} max
        </p>
      </section>

      <section className={styles.card} aria-label="Length in characters">
        <h3 className={styles.cardTitle}>Length in characters</h3>
        <HistogramBars
          edges={stats.chars.histogram.edges}
          counts={stats.chars.histogram.counts}
          unit="chars"
          label="Row length in characters"
          testId="stats-chars-histogram"
        />
        <p className={styles.faint}>
          {formatCount(stats.chars.min)} min · {formatCount(Math.round(stats.chars.mean))} mean ·{' '}
          {formatCount(stats.chars.max)} max
        </p>
      </section>

      <section className={styles.card} aria-label="Top problems">
        <h3 className={styles.cardTitle}>Top problems</h3>
        {stats.problems.length === 0 ? (
          <p className={styles.faint}>No problems: every row is valid.</p>
        ) : (
          <ul className={styles.problemList} data-testid="stats-problems">
            {stats.problems.map((p) => (
              <li key={p.message}>
                <button type="button" className={styles.linkButton} onClick={() => onShowProblem(p.message)}>
                  <TickedText text={p.message} />
                </button>
                <span className={styles.count}>{formatCount(p.count)}</span>
              </li>
            ))}
          </ul>
        )}
        {stats.duplicates > 0 && (
          <p className={styles.faint} data-testid="stats-duplicates">
            {formatCount(stats.duplicates)} rows repeat another row exactly and would be trained on as often
            as they appear: remove them with “Remove duplicates” (exact).
          </p>
        )}
      </section>

      <TokenStatsPanel dataset={dataset} />
    </div>
  );
}

function RoleBar({ role, count, max }: { role: string; count: number; max: number }) {
  return (
    <>
      <dt>{role}</dt>
      <dd className={styles.barCell}>
        <span className={styles.inlineBar} style={{ width: `${(count / Math.max(1, max)) * 100}%` }} />
        <span>{formatCount(count)}</span>
      </dd>
    </>
  );
}
