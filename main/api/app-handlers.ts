import type { AppInfo } from '../../preload/contract';
import type { Handlers } from './api-router';

/** `app.info`: what this core is (version, data folder, shell, whether it is the primary). */
export function createAppHandlers(deps: { readonly info: AppInfo }): Pick<Handlers, 'app.info'> {
  return { 'app.info': () => deps.info };
}
