import './zod-config.js';
import { createApi, type Api, type Subscribe } from '../../common/contract/index.js';
import { mediaUrlFor, type MediaKind, type MediaVariant, type TransportMode } from './image-url.js';
import { createIpcTransport, type DesktopBridge } from './ipc-transport.js';
import { createWebTransport } from './web-transport.js';

/**
 * The renderer's one door to the studio: the same typed API whether the page runs in the desktop
 * window (the preload's `window.atelier` bridge over IPC) or in a browser (HTTP + Server-Sent Events).
 * Stores call `api.*` and `subscribe`; nothing else in the renderer touches a transport.
 * The bridge is read off `globalThis` (the window in a page) so this module also loads in Node, where
 * the store tests run it over the web transport.
 */
const bridge = (globalThis as { atelier?: DesktopBridge }).atelier;

export const mode: TransportMode = bridge ? 'desktop' : 'web';

const transport = bridge ? createIpcTransport(bridge) : createWebTransport();

/** Typed calls from the contract; a failed call throws an AtelierError carrying the wire error's code. */
export const api: Api = createApi(transport.invoke);

/** Listens to one contract event; returns the function that stops listening. */
export const subscribe: Subscribe = transport.subscribe;

/** The URL to show an imported image or a render in an <img>. */
export function mediaUrl(kind: MediaKind, id: string, variant: MediaVariant): string {
  return mediaUrlFor(mode, kind, id, variant);
}

export type { MediaKind, MediaVariant, TransportMode } from './image-url.js';
export type { Api, EventName, EventPayload } from '../../common/contract/index.js';
