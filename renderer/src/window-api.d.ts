import type { ApiBridge, DesktopBridge } from '../../preload/contract';

declare global {
  interface Window {
    /** The bridge the Electron preload exposes (see preload/index.ts); absent in a browser (serve mode). */
    readonly api?: ApiBridge;
    /** Native dialogs, dropped files' paths and menu commands: only in the Electron shell. */
    readonly desktop?: DesktopBridge;
  }
}
