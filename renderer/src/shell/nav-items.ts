import { Boxes, Coins, Database, FlaskConical, Gauge, type LucideIcon, Settings } from 'lucide-react';

/** One sidebar destination; `shortcut` is the digit used with Ctrl (Cmd on macOS). */
export interface NavItem {
  readonly id: 'datasets' | 'training' | 'gpus' | 'models' | 'costs' | 'settings';
  readonly label: string;
  readonly path: string;
  readonly icon: LucideIcon;
  readonly shortcut: string;
}

/** The sidebar, in order; the order also gives the keyboard shortcuts. */
export const NAV_ITEMS: ReadonlyArray<NavItem> = [
  { id: 'datasets', label: 'Datasets', path: '/datasets', icon: Database, shortcut: '1' },
  { id: 'training', label: 'Training', path: '/training', icon: FlaskConical, shortcut: '2' },
  { id: 'models', label: 'Models', path: '/models', icon: Boxes, shortcut: '3' },
  { id: 'costs', label: 'Costs', path: '/costs', icon: Coins, shortcut: '4' },
  { id: 'settings', label: 'Settings', path: '/settings', icon: Settings, shortcut: '5' },
  // Last, so the shortcuts people already know keep their digits.
  { id: 'gpus', label: 'GPUs', path: '/gpus', icon: Gauge, shortcut: '6' },
];

/** True on macOS, where shortcuts use Cmd instead of Ctrl. */
export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

/** "Ctrl+1" or "⌘1", for display. */
export function shortcutLabel(digit: string): string {
  return IS_MAC ? `⌘${digit}` : `Ctrl+${digit}`;
}

/** The `aria-keyshortcuts` value for a digit. */
export function ariaShortcut(digit: string): string {
  return IS_MAC ? `Meta+${digit}` : `Control+${digit}`;
}
