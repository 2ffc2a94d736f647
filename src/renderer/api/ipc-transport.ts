import type { Invoke, Subscribe, WireResult } from '../../common/contract/index.js';
import { createEventHub } from './event-hub.js';

/**
 * What the preload exposes as `window.atelier` (src/preload/bridge.ts builds it): one call function
 * limited to the contract's channels, and one way to listen to pushed events. Never ipcRenderer itself.
 */
export interface DesktopBridge {
  invoke(channel: string, payload: unknown): Promise<WireResult<unknown>>;
  /** Registers a listener for every event main pushes; returns the function that removes it. */
  on(listener: (name: string, payload: unknown) => void): () => void;
}

export interface Transport {
  invoke: Invoke;
  subscribe: Subscribe;
}

/** The desktop transport: calls and events go through the preload bridge to main's IPC handlers. */
export function createIpcTransport(bridge: DesktopBridge): Transport {
  return {
    invoke: (channel, payload) => bridge.invoke(channel, payload),
    subscribe: createEventHub((deliver) => bridge.on(deliver)),
  };
}
