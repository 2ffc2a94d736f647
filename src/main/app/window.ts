import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow } from 'electron';
import type { TrustedPages } from './ipc.js';

// Both paths are relative to this file's place in the build: dist/main/app/window.js.
const PRELOAD_PATH = fileURLToPath(new URL('../../preload/index.cjs', import.meta.url));
const RENDERER_INDEX = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));

// Matches the renderer's background so the window does not flash white before the first paint.
const BACKGROUND_COLOR = '#121317';

/**
 * The pages allowed to call the studio: the built index.html and, in an unpackaged app only, the dev
 * server, so an environment variable can never point a shipped build at other content.
 */
export function trustedPages(): TrustedPages {
  const devServerUrl = app.isPackaged ? undefined : process.env.VITE_DEV_SERVER_URL;
  return { rendererIndexUrl: pathToFileURL(RENDERER_INDEX).href, ...(devServerUrl ? { devServerUrl } : {}) };
}

/** Opens the studio window and resolves once its page has loaded. */
export async function createMainWindow(): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    title: 'Atelier',
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    backgroundColor: BACKGROUND_COLOR,
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  window.once('ready-to-show', () => window.show());

  const { devServerUrl } = trustedPages();
  if (devServerUrl) {
    await window.loadURL(devServerUrl);
  } else {
    await window.loadFile(RENDERER_INDEX);
  }
  return window;
}
