import { fileURLToPath } from 'node:url';
import { app, BrowserWindow } from 'electron';

// Both paths are relative to this file's place in the build: dist/main/app/window.js.
const PRELOAD_PATH = fileURLToPath(new URL('../../preload/index.cjs', import.meta.url));
const RENDERER_INDEX = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));

// Matches the renderer's background so the window does not flash white before the first paint.
const BACKGROUND_COLOR = '#121317';

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

  // Only an unpackaged app honours the dev server URL, so an environment variable can never point a
  // shipped build at other content.
  const devServerUrl = app.isPackaged ? undefined : process.env.VITE_DEV_SERVER_URL;
  if (devServerUrl) {
    await window.loadURL(devServerUrl);
  } else {
    await window.loadFile(RENDERER_INDEX);
  }
  return window;
}
