import type { Invoke, Subscribe } from '../../common/contract/index.js';
import type { DesktopBridge } from '../../common/wire.js';
import { createEventHub } from './event-hub.js';

export type { DesktopBridge } from '../../common/wire.js';

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
