/**
 * The application menu as a pure template: the usual roles per platform, plus the app's own items,
 * which send a desktop command to the renderer (it runs them as its keyboard shortcuts do).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopCommand } from '../../preload/contract';

/** What the menu depends on: the platform, the app's name, dev items, and how a command reaches the page. */
export interface AppMenuOptions {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  readonly isPackaged: boolean;
  readonly send: (command: DesktopCommand) => void;
}

/** The application menu's template for `Menu.buildFromTemplate`. */
export function buildAppMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const { platform, appName, isPackaged, send } = options;
  const isMac = platform === 'darwin';
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  // Dev items only in a dev build: a packaged app never reloads itself or opens DevTools from the menu.
  const devItems: MenuItemConstructorOptions[] = isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  return [
    ...appMenu,
    {
      label: 'File',
      submenu: [
        { label: 'New job…', accelerator: 'CmdOrCtrl+N', click: () => send('new-job') },
        { label: 'Import dataset…', accelerator: 'CmdOrCtrl+I', click: () => send('import-dataset') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        ...devItems,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Window',
      submenu: isMac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Keyboard shortcuts', click: () => send('shortcuts') },
        { label: `About ${appName}`, click: () => send('about') },
      ],
    },
  ];
}
