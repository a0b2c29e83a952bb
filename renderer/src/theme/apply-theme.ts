import type { Settings } from '../../../preload/contract';

/** The `ui.theme` setting's values. */
export type ThemeSetting = Settings['ui.theme'];

const STORAGE_KEY = 'lora-studio.theme';

/**
 * Applies the theme as `data-theme` on <html> (`system` removes it, so prefers-color-scheme decides)
 * and remembers it locally so the next start paints in the right colours before settings arrive.
 */
export function applyTheme(theme: ThemeSetting, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage may be unavailable (private mode); the setting from the core still applies.
  }
}

/** The theme remembered from the last run, or `system`. */
export function rememberedTheme(): ThemeSetting {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}
