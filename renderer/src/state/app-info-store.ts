import { create } from 'zustand';
import type { ApiError, AppInfo } from '../../../preload/contract';

/** `app.info`: the start-up gate. Until it answers the shell is not shown; if it fails, the error screen is. */
export type AppInfoState =
  | { readonly status: 'loading'; readonly info: null; readonly error: null }
  | { readonly status: 'ready'; readonly info: AppInfo; readonly error: null }
  | { readonly status: 'error'; readonly info: null; readonly error: ApiError };

/** Which app, which data folder, which database. */
export const useAppInfoStore = create<AppInfoState>()(() => ({ status: 'loading', info: null, error: null }));
