import { app, ipcMain } from 'electron';

/** The one place that talks to ipcMain; the typed contract from src/common will drive it. */
export function registerIpcHandlers(): void {
  ipcMain.handle('app:getVersion', () => app.getVersion());
}
