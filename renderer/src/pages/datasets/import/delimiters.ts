/** Delimiters a CSV/TSV import may use (the contract's `csv.delimiter`). */
export const DELIMITERS = [
  { value: ',', label: 'comma ,' },
  { value: ';', label: 'semicolon ;' },
  { value: '\t', label: 'tab' },
  { value: '|', label: 'pipe |' },
] as const;

/** One of `DELIMITERS`. */
export type Delimiter = (typeof DELIMITERS)[number]['value'];
