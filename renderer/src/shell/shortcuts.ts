import { IS_MAC, NAV_ITEMS, shortcutLabel } from './nav-items';

/** One keyboard shortcut as the sheet lists it: the keys, what it does, and where it works. */
export interface Shortcut {
  readonly keys: ReadonlyArray<string>;
  readonly action: string;
  readonly where: 'Anywhere' | 'A dataset' | 'New job form' | 'Settings';
}

const MOD = IS_MAC ? '⌘' : 'Ctrl+';

/** The global single-key shortcuts (handled by `useGlobalShortcuts`), shown in tooltips as "(N)". */
export const GLOBAL_KEYS = { newJob: 'n', importDataset: 'i', sheet: '?' } as const;

/**
 * Every shortcut of the app, for the sheet opened with `?`. The handlers live with what they act on
 * (shell, row browser, forms); this list is what people read, so a new shortcut is added here too.
 */
export const SHORTCUTS: ReadonlyArray<Shortcut> = [
  { keys: [GLOBAL_KEYS.sheet], action: 'Show these shortcuts', where: 'Anywhere' },
  { keys: [GLOBAL_KEYS.newJob.toUpperCase()], action: 'New training job', where: 'Anywhere' },
  { keys: [GLOBAL_KEYS.importDataset.toUpperCase()], action: 'Import a dataset', where: 'Anywhere' },
  ...NAV_ITEMS.map(
    (item): Shortcut => ({
      keys: [shortcutLabel(item.shortcut)],
      action: `Go to ${item.label}`,
      where: 'Anywhere',
    }),
  ),
  { keys: ['/'], action: 'Search the rows', where: 'A dataset' },
  { keys: ['J', 'K'], action: 'Next / previous row', where: 'A dataset' },
  { keys: ['Enter'], action: 'Open the selected row', where: 'A dataset' },
  { keys: ['Esc'], action: 'Close the row or dialog', where: 'Anywhere' },
  { keys: [`${MOD}S`], action: 'Save the row being edited', where: 'A dataset' },
  { keys: [`${MOD}Enter`], action: 'Queue the job', where: 'New job form' },
  { keys: [`${MOD}S`], action: 'Save settings', where: 'Settings' },
];

/** True when a key press came from a field that takes text (single-key shortcuts stay out of its way). */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return target !== null && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}
