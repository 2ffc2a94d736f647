import { app, BrowserWindow, dialog } from 'electron';
import { registerIpcHandlers } from './ipc.js';
import { applySecurityPolicy } from './security.js';
import { createMainWindow } from './window.js';

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

// A second instance would compete for the same library folder and the GPU; hand its launch to the first.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  registerIpcHandlers();

  await app.whenReady();
  applySecurityPolicy();
  openMainWindow();
  // macOS keeps the app running without windows; clicking the dock icon opens one again.
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
}
