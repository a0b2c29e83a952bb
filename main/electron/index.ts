/**
 * The Electron shell: a thin wrapper around the core. Secure window defaults, one instance,
 * the window's state kept, IPC senders checked, desktop notifications, clean shutdown.
 * The ONLY folder that imports 'electron'.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, screen, session, shell } from 'electron';
import {
  DESKTOP_COMMAND_CHANNEL,
  DESKTOP_PICK_PATH_CHANNEL,
  type PushedEvent,
  parsePushedEvent,
} from '../../preload/contract';
import { type CoreOrStartup, openCoreOrStartup } from '../backups/startup-core';
import { type Core, createCore } from '../core';
import { CoreLock } from '../core-lock';
import { defaultMigrationsDir } from '../paths';
import { type PrimaryEndpoint, startPrimaryEndpoint } from '../server/primary-endpoint';
import { buildAppMenuTemplate } from './app-menu';
import { installNavigationGuards, isPermissionGranted } from './navigation-guards';
import { pickPath } from './pick-path';
import { buildWindowOptions, CONTENT_SECURITY_POLICY, isTrustedRendererUrl } from './window-options';
import { loadWindowState, saveWindowState } from './window-state';

const INVOKE_CHANNEL = 'api:invoke';
const EVENT_CHANNEL = 'api:event';

const here = dirname(fileURLToPath(import.meta.url));

let core: Core | null = null;
/** The real core or the start-up core (until a backup is restored): what quitting closes. */
let running: CoreOrStartup<Core> | null = null;
let mainWindow: BrowserWindow | null = null;
let endpoint: PrimaryEndpoint | null = null;

function rendererUrl(): string {
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  return devUrl ?? `file://${join(here, '../renderer/index.html')}`;
}

/** IPC is answered only for our own page in our own window: never another frame or origin. */
function isTrustedSender(frame: Electron.WebFrameMain | null): boolean {
  if (!frame || !mainWindow || frame !== mainWindow.webContents.mainFrame) return false;
  return isTrustedRendererUrl(frame.url, rendererUrl());
}

function createWindow(dataDir: string): BrowserWindow {
  const state = loadWindowState(
    dataDir,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow(buildWindowOptions(join(here, '../preload/index.cjs'), state));
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  installNavigationGuards(win.webContents, {
    rendererUrl: rendererUrl(),
    openExternal: (url) => shell.openExternal(url),
  });
  win.on('close', () => {
    const bounds = win.getNormalBounds();
    saveWindowState(dataDir, { ...bounds, maximized: win.isMaximized() });
  });
  void win.loadURL(rendererUrl());
  return win;
}

function forwardEvent(event: PushedEvent): void {
  const checked = parsePushedEvent(event);
  if (!checked.ok) {
    console.error(`dropped a pushed event outside the contract (${checked.reason})`);
    return;
  }
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  }
  // The core marks what may pop up (the kind's toggle, desktop notifications on, not quiet hours).
  if (event.name === 'notification' && event.payload.desktop && Notification.isSupported()) {
    const popup = new Notification({ title: event.payload.title, body: event.payload.body ?? '' });
    popup.on('click', () => {
      const win = BrowserWindow.getAllWindows()[0];
      if (!win || win.isDestroyed()) return;
      if (win.isMinimized()) win.restore();
      win.focus();
    });
    popup.show();
  }
}

async function start(): Promise<void> {
  const dataDir = process.env.LORA_STUDIO_HOME ?? app.getPath('userData');
  const openCore = () =>
    createCore({
      dataDir,
      shell: 'electron',
      telemetry: true,
      appVersion: app.getVersion(),
      migrationsDir: app.isPackaged ? join(process.resourcesPath, 'migrations') : defaultMigrationsDir(),
      sqliteNativeBinding: process.env.LORA_STUDIO_SQLITE_BINDING,
    });
  // A damaged database or a failed migration: the window opens on the start-up error screen, which
  // offers the backups to restore (the same module and `startup.restoreBackup` channel as serve).
  let opened: CoreOrStartup<Core>;
  try {
    opened = await openCoreOrStartup({
      dataDir,
      shell: 'electron',
      open: openCore,
      onReopened: async (reopened) => {
        core = reopened;
        endpoint = await startPrimaryEndpoint({ core: reopened, dataDir, shell: 'electron' });
      },
    });
  } catch (error) {
    dialog.showErrorBox('LoRA Studio could not start', (error as Error).message);
    app.exit(1);
    return;
  }
  running = opened;
  core = opened.current();
  if (core !== null && !core.info.isPrimary) {
    // One primary per data folder: a second app would queue jobs nobody runs.
    const holder = CoreLock.holder(dataDir);
    dialog.showErrorBox(
      'LoRA Studio is already running on this data folder',
      `${holder ? `${holder.shell} (pid ${holder.pid})` : 'Another process'} holds ${dataDir}. ` +
        'Use that one, or stop it and start the app again.',
    );
    await core.close();
    app.exit(1);
    return;
  }
  // Terminals (the CLI) reach this app through its command socket.
  if (core !== null) endpoint = await startPrimaryEndpoint({ core, dataDir, shell: 'electron' });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details, rendererUrl()));
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isPermissionGranted(permission, details, rendererUrl()),
  );

  const served = opened.served;
  ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This frame may not call the API.' } };
    }
    return served.api.invoke(String(channel), input);
  });
  ipcMain.handle(DESKTOP_PICK_PATH_CHANNEL, (event, request: unknown) => {
    if (!isTrustedSender(event.senderFrame) || !mainWindow)
      throw new Error('This frame may not open dialogs.');
    const win = mainWindow;
    return pickPath(request, {
      open: (options) => dialog.showOpenDialog(win, options),
      save: (options) => dialog.showSaveDialog(win, options),
    });
  });
  served.events.subscribe(forwardEvent);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildAppMenuTemplate({
        platform: process.platform,
        appName: app.getName(),
        isPackaged: app.isPackaged,
        send: (command) => {
          if (mainWindow && !mainWindow.isDestroyed())
            mainWindow.webContents.send(DESKTOP_COMMAND_CHANNEL, command);
        },
      }),
    ),
  );
  mainWindow = createWindow(dataDir);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.whenReady().then(start, (error) => {
    console.error(error);
    app.exit(1);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow(core.info.dataDir);
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !running) return;
    event.preventDefault();
    quitting = true;
    const closing = running;
    running = null;
    core = null;
    const closingEndpoint = endpoint;
    endpoint = null;
    (closingEndpoint?.close() ?? Promise.resolve()).then(() => closing.close()).finally(() => app.quit());
  });
}
