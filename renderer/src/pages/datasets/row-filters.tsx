import { RoleSchema } from '../../../../preload/contract';
import { Button } from '../../components/button';
import { EMPTY_DRAFT, type FilterDraft } from './filter-draft';
import styles from './row-browser.module.css';

/** The draft's keys holding text, and those holding a flag. */
type TextKey = { [K in keyof FilterDraft]: FilterDraft[K] extends string ? K : never }[keyof FilterDraft];
type FlagKey = { [K in keyof FilterDraft]: FilterDraft[K] extends boolean ? K : never }[keyof FilterDraft];

/** One filter control: a select of fixed options, a text box, a min–max pair, or a checkbox. */
type FilterSpec =
  | {
      readonly kind: 'select';
      readonly key: TextKey;
      readonly label: string;
      /** [value, label]; '' is "no filter". */
      readonly options: ReadonlyArray<readonly [string, string]>;
    }
  | { readonly kind: 'text'; readonly key: TextKey; readonly label: string; readonly placeholder?: string }
  | {
      readonly kind: 'range';
      readonly label: string;
      /** What the bounds count, for their accessible names ("Minimum characters"). */
      readonly noun: string;
      readonly min: TextKey;
      readonly max: TextKey;
    }
  | { readonly kind: 'check'; readonly key: FlagKey; readonly label: string };

/** `data-testid` of a draft key: `filter-min-chars` for `minChars`. */
function testId(key: keyof FilterDraft): string {
  return `filter-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The row browser's filters, in display order. */
const FILTERS: ReadonlyArray<FilterSpec> = [
  {
    kind: 'select',
    key: 'valid',
    label: 'Validity',
    options: [
      ['', 'all'],
      ['valid', 'valid'],
      ['invalid', 'invalid'],
    ],
  },
  { kind: 'text', key: 'problem', label: 'Problem', placeholder: 'text of a problem' },
  { kind: 'range', label: 'Chars', noun: 'characters', min: 'minChars', max: 'maxChars' },
  {
    kind: 'select',
    key: 'role',
    label: 'Role',
    options: [['', 'any'], ...RoleSchema.options.map((role) => [role, role] as const)],
  },
  { kind: 'range', label: 'Turns', noun: 'turns', min: 'minTurns', max: 'maxTurns' },
  { kind: 'text', key: 'tag', label: 'Tag' },
  {
    kind: 'select',
    key: 'split',
    label: 'Split',
    options: [
      ['', 'any'],
      ['train', 'train'],
      ['val', 'val'],
      ['unsplit', 'unsplit'],
    ],
  },
  { kind: 'check', key: 'duplicate', label: 'Duplicates' },
  { kind: 'check', key: 'deleted', label: 'Deleted rows' },
];

/** The row browser's filters, each one narrowing the list (and the bulk actions' selection). */
export function RowFilters({
  draft,
  onChange,
}: {
  draft: FilterDraft;
  onChange: (draft: FilterDraft) => void;
}) {
  // Each select offers only values its draft key allows (FILTERS above), so the cast holds.
  const set = (key: keyof FilterDraft, value: string | boolean) =>
    onChange({ ...draft, [key]: value } as FilterDraft);
  return (
    <fieldset className={styles.filters} data-testid="row-filters">
      <legend className="visually-hidden">Filters</legend>
      {FILTERS.map((spec) => (
        <FilterControl key={spec.label} spec={spec} draft={draft} set={set} />
      ))}
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

function FilterControl({
  spec,
  draft,
  set,
}: {
  spec: FilterSpec;
  draft: FilterDraft;
  set: (key: keyof FilterDraft, value: string | boolean) => void;
}) {
  switch (spec.kind) {
    case 'select':
      return (
        <label className={styles.filter}>
          <span>{spec.label}</span>
          <select
            className={styles.input}
            value={draft[spec.key]}
            onChange={(event) => set(spec.key, event.target.value)}
            data-testid={testId(spec.key)}
          >
            {spec.options.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      );
    case 'text':
      return (
        <label className={styles.filter}>
          <span>{spec.label}</span>
          <input
            className={styles.input}
            type="text"
            placeholder={spec.placeholder}
            value={draft[spec.key]}
            onChange={(event) => set(spec.key, event.target.value)}
            data-testid={testId(spec.key)}
          />
        </label>
      );
    case 'range':
      return (
        <div className={styles.filter}>
          <span>{spec.label}</span>
          <span className={styles.range}>
            {([spec.min, spec.max] as const).map((key, i) => (
              <RangeInput
                key={key}
                value={draft[key]}
                bound={i === 0 ? 'min' : 'max'}
                noun={spec.noun}
                testId={testId(key)}
                onChange={(value) => set(key, value)}
              />
            ))}
          </span>
        </div>
      );
    case 'check':
      return (
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={draft[spec.key]}
            onChange={(event) => set(spec.key, event.target.checked)}
            data-testid={testId(spec.key)}
          />
          {spec.label}
        </label>
      );
  }
}

function RangeInput({
  value,
  bound,
  noun,
  testId: id,
  onChange,
}: {
  value: string;
  bound: 'min' | 'max';
  noun: string;
  testId: string;
  onChange: (value: string) => void;
}) {
  return (
    <>
      {bound === 'max' && '–'}
      <input
        className={`${styles.input} ${styles.num}`}
        inputMode="numeric"
        placeholder={bound}
        aria-label={`${bound === 'min' ? 'Minimum' : 'Maximum'} ${noun}`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={id}
      />
    </>
  );
}
