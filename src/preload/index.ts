import { contextBridge, ipcRenderer } from 'electron';

// Mirrors the AtelierApi declared for the renderer in src/renderer/env.d.ts; both give way to the typed
// contract in src/common when it lands. Only named methods cross the bridge, never ipcRenderer itself.
interface AtelierApi {
  getVersion(): Promise<string>;
}

const api: AtelierApi = {
  getVersion: () => ipcRenderer.invoke('app:getVersion'),
};

contextBridge.exposeInMainWorld('atelier', api);
