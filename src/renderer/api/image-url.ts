import { MEDIA_SCHEME, mediaPathFor, WEB_ROUTES, type MediaKind, type MediaVariant } from '../../common/wire.js';

export type { MediaKind, MediaVariant } from '../../common/wire.js';
export type TransportMode = 'desktop' | 'web';

/**
 * The URL an <img> uses for a library file: `atelier-media://kind/id/variant` in the desktop app,
 * `/media/kind/id/variant` (same origin, session cookie) in web mode. Ids are contract ids (letters,
 * digits, dashes) and are encoded anyway so nothing odd can change the path.
 */
export function mediaUrlFor(mode: TransportMode, kind: MediaKind, id: string, variant: MediaVariant): string {
  const path = mediaPathFor(kind, id, variant);
  return mode === 'desktop' ? `${MEDIA_SCHEME}://${path}` : `${WEB_ROUTES.media}/${path}`;
}
