import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, shell } from 'electron';
import { contentTypeFor } from '../media.js';
import { backendFromEnvironment } from '../services/backends/index.js';
import { checkoutResources, packagedResources } from '../services/resources/index.js';
import { createStudio, type Studio } from '../studio.js';
import { registerIpc, sendEvent } from './ipc.js';
import { buildMenu } from './menu.js';
import { openPhotos } from './open-photos.js';
import { MEDIA_SCHEME, mediaRequestToPath } from './protocol.js';
import { applySecurityPolicy } from './security.js';
import { utilityHelper, utilityRenderProcess } from './utility-render.js';
import { createMainWindow, trustedPages } from './window.js';

/** Must equal electron-builder.yml's appId: Windows matches notifications to the installer's shortcut by it. */
const APP_USER_MODEL_ID = 'app.atelier.studio';

function openMainWindow(): void {
  createMainWindow().catch((error: unknown) => {
    // Without its page the window is useless (e.g. the renderer was never built): say why, then leave.
    dialog.showErrorBox('Atelier could not open its window', String(error));
    app.quit();
  });
}

function focusMainWindow(): void {
  const [window] = BrowserWindow.getAllWindows();
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

function notify({ title, body }: { title: string; body: string }): void {
  if (Notification.isSupported()) new Notification({ title, body }).show();
}

/** The native folder dialog, over the focused window; null when dismissed. */
async function chooseFolder(title: string): Promise<string | null> {
  const options: Electron.OpenDialogOptions = { title, properties: ['openDirectory', 'createDirectory'] };
  const window = BrowserWindow.getFocusedWindow();
  const { canceled, filePaths } = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return canceled ? null : filePaths[0] ?? null;
}

async function chooseModelsFolder(): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Install model weights from a folder',
    buttonLabel: 'Install from this folder',
    message: 'Choose a folder that holds vgg19/ (and fast-style/), laid out like the shared models folder.',
    properties: ['openDirectory'],
  };
  const parent = BrowserWindow.getFocusedWindow();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** Builds the studio and opens its doors to the page: IPC, the media scheme, events and the menu. */
async function startStudio(): Promise<Studio> {
  const dataDir = app.getPath('userData');
  const defaultBackend = backendFromEnvironment();
  const studio = await createStudio({
    dataDir,
    // Manifests, weights and samples ship as extra resources; unpackaged, they are the checkout's.
    resources: app.isPackaged ? packagedResources(process.resourcesPath) : checkoutResources(),
    // An installed app's resources folder is often read-only: weights installed later go here.
    userModelsDir: join(dataDir, 'models'),
    launchRender: utilityRenderProcess,
    startHelper: utilityHelper,
    chooseModelsFolder,
    notify,
    mode: 'desktop',
    shell: { chooseFolder, showItemInFolder: (path) => shell.showItemInFolder(path) },
    version: app.getVersion(),
    ...(defaultBackend && { defaultBackend }),
  });
  const pages = trustedPages();

  protocol.handle(MEDIA_SCHEME, async (request) => {
    const path = await mediaRequestToPath(request.url, studio);
    if (!path) return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(path), { headers: { 'Content-Type': contentTypeFor(path), 'X-Content-Type-Options': 'nosniff' } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  registerIpc(ipcMain, studio.dispatch, pages);
  studio.onEvent((name, payload) => sendEvent(BrowserWindow.getAllWindows().map((w) => w.webContents), pages, name, payload));
  Menu.setApplicationMenu(
    buildMenu((command) => {
      if (command === 'open-photos') void openPhotos(BrowserWindow.getFocusedWindow() ?? undefined, studio.dispatch);
      else studio.emit('app:command', { command });
    }),
  );
  return studio;
}

// Must happen before `ready`: a standard, secure scheme behaves like https for <img> and fetch.
protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// A second instance would compete for the same library folder and the GPU; hand its launch to the first.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  // Not a top-level await: Electron holds `ready` back until the entry module has finished evaluating,
  // and awaiting it there hangs as soon as any import keeps a handle open (electron/electron#40719).
  void app.whenReady().then(async () => {
    applySecurityPolicy();
    let studio: Studio;
    try {
      studio = await startStudio();
    } catch (error) {
      dialog.showErrorBox('Atelier could not open its library', String(error));
      app.exit(1);
      return;
    }
    // A running render lives in a process of its own: stop it before the app goes.
    let disposed = false;
    app.on('will-quit', (event) => {
      if (disposed) return;
      event.preventDefault();
      void studio.dispose().finally(() => {
        disposed = true;
        app.quit();
      });
    });
    openMainWindow();
    // macOS keeps the app running without windows; clicking the dock icon opens one again.
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
    });
  });
}
