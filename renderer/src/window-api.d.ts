import type { ApiBridge } from '../../preload/contract';

declare global {
  interface Window {
    /** The bridge the Electron preload exposes (see preload/index.ts); absent in a browser (serve mode). */
    readonly api?: ApiBridge;
  }
}
