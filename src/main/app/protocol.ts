import { MEDIA_SCHEME } from '../../common/wire.js';
import { parseMediaRequest, type MediaKind, type MediaVariant } from '../media.js';

/** Library files reach the desktop page through this scheme, never as file:// URLs. */
export { MEDIA_SCHEME } from '../../common/wire.js';

export interface MediaResolver {
  mediaPath(kind: MediaKind, id: string, variant: MediaVariant): Promise<string>;
}

/**
 * Maps `atelier-media://<kind>/<id>/<variant>` to the file's absolute path, or null for anything that
 * is not exactly that shape (another scheme, extra segments, odd characters, an unknown id). Kept free
 * of Electron so it is tested on its own; main.ts wires it to `protocol.handle`.
 */
export async function mediaRequestToPath(url: string, studio: MediaResolver): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.username || parsed.password || parsed.port) return null;
  const segments = parsed.pathname.split('/');
  if (segments.length !== 3 || segments[0] !== '') return null;
  const request = parseMediaRequest(parsed.hostname, segments[1]!, segments[2]!);
  if (!request) return null;
  try {
    return await studio.mediaPath(request.kind, request.id, request.variant);
  } catch {
    return null;
  }
}
