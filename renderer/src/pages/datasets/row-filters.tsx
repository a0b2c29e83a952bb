import { type Role, RoleSchema } from '../../../../preload/contract';
import { Button } from '../../components/button';
import { EMPTY_DRAFT, type FilterDraft } from './filter-draft';
import styles from './row-browser.module.css';

/** The row browser's filters, each one narrowing the list (and the bulk actions' selection). */
export function RowFilters({
  draft,
  onChange,
}: {
  draft: FilterDraft;
  onChange: (draft: FilterDraft) => void;
}) {
  const set = <K extends keyof FilterDraft>(key: K, value: FilterDraft[K]) =>
    onChange({ ...draft, [key]: value });
  return (
    <fieldset className={styles.filters} data-testid="row-filters">
      <legend className="visually-hidden">Filters</legend>
      <label className={styles.filter}>
        <span>Validity</span>
        <select
          className={styles.input}
          value={draft.valid}
          onChange={(event) => set('valid', event.target.value as FilterDraft['valid'])}
          data-testid="filter-valid"
        >
          <option value="">all</option>
          <option value="valid">valid</option>
          <option value="invalid">invalid</option>
        </select>
      </label>
      <label className={styles.filter}>
        <span>Problem</span>
        <input
          className={styles.input}
          type="text"
          placeholder="text of a problem"
          value={draft.problem}
          onChange={(event) => set('problem', event.target.value)}
          data-testid="filter-problem"
        />
      </label>
      <div className={styles.filter}>
        <span id="filter-chars">Chars</span>
        <span className={styles.range}>
          <input
            className={`${styles.input} ${styles.num}`}
            inputMode="numeric"
            placeholder="min"
            aria-label="Minimum characters"
            value={draft.minChars}
            onChange={(event) => set('minChars', event.target.value)}
            data-testid="filter-min-chars"
          />
          –
          <input
            className={`${styles.input} ${styles.num}`}
            inputMode="numeric"
            placeholder="max"
            aria-label="Maximum characters"
            value={draft.maxChars}
            onChange={(event) => set('maxChars', event.target.value)}
            data-testid="filter-max-chars"
          />
        </span>
      </div>
      <label className={styles.filter}>
        <span>Role</span>
        <select
          className={styles.input}
          value={draft.role}
          onChange={(event) => set('role', event.target.value as Role | '')}
          data-testid="filter-role"
        >
          <option value="">any</option>
          {RoleSchema.options.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </label>
      <div className={styles.filter}>
        <span>Turns</span>
        <span className={styles.range}>
          <input
            className={`${styles.input} ${styles.num}`}
            inputMode="numeric"
            placeholder="min"
            aria-label="Minimum turns"
            value={draft.minTurns}
            onChange={(event) => set('minTurns', event.target.value)}
            data-testid="filter-min-turns"
          />
          –
          <input
            className={`${styles.input} ${styles.num}`}
            inputMode="numeric"
            placeholder="max"
            aria-label="Maximum turns"
            value={draft.maxTurns}
            onChange={(event) => set('maxTurns', event.target.value)}
            data-testid="filter-max-turns"
          />
        </span>
      </div>
      <label className={styles.filter}>
        <span>Tag</span>
        <input
          className={styles.input}
          type="text"
          value={draft.tag}
          onChange={(event) => set('tag', event.target.value)}
          data-testid="filter-tag"
        />
      </label>
      <label className={styles.filter}>
        <span>Split</span>
        <select
          className={styles.input}
          value={draft.split}
          onChange={(event) => set('split', event.target.value as FilterDraft['split'])}
          data-testid="filter-split"
        >
          <option value="">any</option>
          <option value="train">train</option>
          <option value="val">val</option>
          <option value="unsplit">unsplit</option>
        </select>
      </label>
      <label className={styles.check}>
        <input
          type="checkbox"
          checked={draft.duplicate}
          onChange={(event) => set('duplicate', event.target.checked)}
          data-testid="filter-duplicate"
        />
        Duplicates
      </label>
      <label className={styles.check}>
        <input
          type="checkbox"
          checked={draft.deleted}
          onChange={(event) => set('deleted', event.target.checked)}
          data-testid="filter-deleted"
        />
        Deleted rows
      </label>
      <Button
        variant="ghost"
        onClick={() => onChange({ ...EMPTY_DRAFT, search: draft.search })}
        data-testid="filter-clear"
      >
        Clear filters
      </Button>
    </fieldset>
  );
}
