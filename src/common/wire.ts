/**
 * Facts that cross a process or network boundary outside the contract's method map, written once:
 * main, the preload, web mode and the renderer import them from here, so a change is one edit.
 */
import type { WireResult } from './contract/contract.js';

/** The IPC channel that carries every pushed event to the desktop page, as (name, payload). */
export const EVENT_CHANNEL = 'event';

/** Library ids: sha256 hex digests (images) or UUIDs (pairs, renders, jobs, presets); never a path. */
export const ID_PATTERN = /^[A-Za-z0-9-]{8,64}$/;

/** The most style images one pair blends. */
export const MAX_STYLES = 8;

/** The privileged scheme that brings library files to the desktop page: `atelier-media://kind/id/variant`. */
export const MEDIA_SCHEME = 'atelier-media';

/** What a media URL can point at: an imported image or a finished render, each in its own variants. */
export const MEDIA_VARIANTS = { image: ['original', 'thumbnail'], render: ['full', 'thumbnail'] } as const;
export type MediaKind = keyof typeof MEDIA_VARIANTS;
export type ImageVariant = (typeof MEDIA_VARIANTS)['image'][number];
export type RenderVariant = (typeof MEDIA_VARIANTS)['render'][number];
export type MediaVariant = ImageVariant | RenderVariant;

/** Web mode's routes: POST `/api/<service>/<method>`, the event stream, and `/media/<kind>/<id>/<variant>`. */
export const WEB_ROUTES = { api: '/api', events: '/api/events', media: '/media' } as const;

/** The route of one contract call in web mode. */
export function apiRoute(service: string, method: string): string {
  return `${WEB_ROUTES.api}/${encodeURIComponent(service)}/${encodeURIComponent(method)}`;
}

/** `kind/id/variant`, the path of a library file after the media scheme or route; the id is encoded anyway. */
export function mediaPathFor(kind: MediaKind, id: string, variant: MediaVariant): string {
  return `${kind}/${encodeURIComponent(id)}/${variant}`;
}

/**
 * What the preload exposes as `window.atelier` (src/preload/bridge.ts builds it; the renderer's IPC
 * transport uses it): one call function limited to the contract's channels, and one way to listen to
 * pushed events. Never ipcRenderer itself.
 */
export interface DesktopBridge {
  invoke(channel: string, payload: unknown): Promise<WireResult<unknown>>;
  /** Registers a listener for every event main pushes; returns the function that removes it. */
  on(listener: (name: string, payload: unknown) => void): () => void;
}
