/** What a media URL can point at: an imported image or a finished render, in one of its variants. */
export type MediaKind = 'image' | 'render';
export type MediaVariant = 'original' | 'thumbnail' | 'full';
export type TransportMode = 'desktop' | 'web';

/** The privileged scheme main registers for the desktop window (src/main/app/protocol.ts). */
export const DESKTOP_MEDIA_SCHEME = 'atelier-media';

/**
 * The URL an <img> uses for a library file: `atelier-media://kind/id/variant` in the desktop app,
 * `/media/kind/id/variant` (same origin, session cookie) in web mode. Ids are contract ids (letters,
 * digits, dashes) and are encoded anyway so nothing odd can change the path.
 */
export function mediaUrlFor(mode: TransportMode, kind: MediaKind, id: string, variant: MediaVariant): string {
  const path = `${kind}/${encodeURIComponent(id)}/${variant}`;
  return mode === 'desktop' ? `${DESKTOP_MEDIA_SCHEME}://${path}` : `/media/${path}`;
}
