// The desktop entry module, loaded with a stand-in for the `electron` module (the binary is not
// installed here). Electron holds `ready` back until the entry module has finished evaluating, so an
// entry that awaits `ready` at its top level never finishes: electron/electron#40719.
import { describe, expect, it, vi } from 'vitest';

const calls: string[] = [];

vi.mock('electron', () => {
  const app = {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    on: (event: string) => void calls.push(`app.on ${event}`),
    // As Electron does while the entry module is still evaluating: not ready yet.
    whenReady: () => {
      calls.push('app.whenReady');
      return new Promise<void>(() => undefined);
    },
    setAppUserModelId: (id: string) => void calls.push(`setAppUserModelId ${id}`),
  };
  return {
    app,
    protocol: { registerSchemesAsPrivileged: () => void calls.push('registerSchemesAsPrivileged') },
    BrowserWindow: {},
    dialog: {},
    ipcMain: {},
    Menu: {},
    Notification: {},
    session: {},
    utilityProcess: {},
  };
});

describe('the desktop entry module (src/main/app/main.ts)', () => {
  it('finishes evaluating before Electron is ready, having asked for ready', async () => {
    await import('../../src/main/app/main.js');
    expect(calls).toContain('registerSchemesAsPrivileged');
    expect(calls).toContain('app.whenReady');
    // Only Windows matches notifications to the installer's shortcut by this id.
    expect(calls.some((call) => call.startsWith('setAppUserModelId'))).toBe(process.platform === 'win32');
  });
});
