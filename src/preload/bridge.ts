import { channels, type WireResult } from '../common/contract/contract.js';

/** The parts of Electron's ipcRenderer the bridge uses, so tests can pass a fake. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Must match EVENT_CHANNEL in src/main/app/ipc.ts (the preload bundle cannot import main's code). */
const EVENT_CHANNEL = 'event';

/**
 * What `window.atelier` holds (typed for the renderer as DesktopBridge in src/renderer/api): calls are
 * limited to the contract's channels, and each `on` adds one listener that its own returned function
 * removes. The page never gets ipcRenderer, an IPC event object, or a way to name another channel.
 */
export function createBridge(ipcRenderer: IpcRendererLike) {
  const allowed = new Set<string>(channels());
  return {
    invoke(channel: string, payload: unknown): Promise<WireResult<unknown>> {
      if (typeof channel !== 'string' || !allowed.has(channel)) {
        return Promise.reject(new Error(`"${String(channel)}" is not a channel of the Atelier contract`));
      }
      return ipcRenderer.invoke(channel, payload) as Promise<WireResult<unknown>>;
    },
    on(listener: (name: string, payload: unknown) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('on() needs a listener function');
      const wrapped = (_event: unknown, name: unknown, payload: unknown): void => {
        if (typeof name === 'string') listener(name, payload);
      };
      ipcRenderer.on(EVENT_CHANNEL, wrapped as (event: unknown, ...args: unknown[]) => void);
      let registered = true;
      return () => {
        if (!registered) return;
        registered = false;
        ipcRenderer.removeListener(EVENT_CHANNEL, wrapped as (event: unknown, ...args: unknown[]) => void);
      };
    },
  };
}

export type AtelierBridge = ReturnType<typeof createBridge>;
