import { create } from 'zustand';
import type { ApiError, Settings } from '../../../preload/contract';

/** The settings as the core last reported them (`null` until the first answer). */
export interface SettingsState {
  readonly settings: Readonly<Settings> | null;
  readonly error: ApiError | null;
}

/** The saved settings; the Settings page edits a draft and writes back through `settings.update`. */
export const useSettingsStore = create<SettingsState>()(() => ({ settings: null, error: null }));
