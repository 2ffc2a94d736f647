import type { IpcMainLike, InvokeEventLike, EventTarget } from '../../src/main/app/ipc.js';
import type { IpcRendererLike } from '../../src/preload/bridge.js';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** ipcMain as far as registerIpc uses it: records the handlers. */
export function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  return { ipcMain, handlers };
}

/**
 * A renderer wired to a fake ipcMain like Electron does it: invoke runs the handler registered for the
 * channel with an event naming the sending frame's URL; payloads and results are structured-cloned
 * both ways; `webContents.send` reaches the listeners registered with `on`.
 */
export function fakeRenderer(handlers: Map<string, Handler>, pageUrl: string) {
  const listeners = new Map<string, Set<RendererListener>>();
  const ipcRenderer: IpcRendererLike = {
    async invoke(channel, ...args) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered for '${channel}'`);
      return structuredClone(await handler({ senderFrame: { url: pageUrl } }, ...structuredClone(args)));
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
  const webContents: EventTarget = {
    send(channel, ...args) {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener({ sender: 'ipc-event-object' }, ...structuredClone(args));
    },
    getURL: () => pageUrl,
    isDestroyed: () => false,
  };
  const listenerCount = (channel: string): number => listeners.get(channel)?.size ?? 0;
  return { ipcRenderer, webContents, listenerCount };
}
