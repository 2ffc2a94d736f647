import { channels, type WireResult } from '../common/contract/contract.js';
import { EVENT_CHANNEL, type DesktopBridge } from '../common/wire.js';

/** The parts of Electron's ipcRenderer the bridge uses, so tests can pass a fake. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * What `window.atelier` holds (the DesktopBridge of src/common/wire.ts): calls are
 * limited to the contract's channels, and each `on` adds one listener that its own returned function
 * removes. The page never gets ipcRenderer, an IPC event object, or a way to name another channel.
 */
export function createBridge(ipcRenderer: IpcRendererLike): DesktopBridge {
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

