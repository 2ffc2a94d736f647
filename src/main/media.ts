import { extname } from 'node:path';
import { ID_PATTERN, MEDIA_VARIANTS, type ImageVariant, type RenderVariant } from '../common/wire.js';

export type { ImageVariant, MediaKind, MediaVariant, RenderVariant } from '../common/wire.js';

export type MediaRequest =
  | { kind: 'image'; id: string; variant: ImageVariant }
  | { kind: 'render'; id: string; variant: RenderVariant };

/**
 * Checks untrusted kind, id and variant (from a URL) and returns them typed, or null. Both doors use it
 * before asking the library for a path: the desktop `atelier-media:` protocol and web mode's /media/.
 */
export function parseMediaRequest(kind: string, id: string, variant: string): MediaRequest | null {
  if (kind !== 'image' && kind !== 'render') return null;
  if (!(MEDIA_VARIANTS[kind] as readonly string[]).includes(variant) || !ID_PATTERN.test(id)) return null;
  return { kind, id, variant } as MediaRequest;
}

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file the studio serves, by extension; unknown ones are plain bytes. */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
