/**
 * The one place where error codes become words. An AtelierError crosses the boundary as
 * `{ code, message }`; its message is already written for people, so the UI shows it as it is and
 * only adds a short title chosen by code. Nothing here matches on message text.
 */

export interface ErrorView {
  code: string;
  /** A short heading, chosen by code. */
  title: string;
  /** The service's own sentence (or, for a non-Atelier error, the best we have). */
  message: string;
}

/** One title per code a service or transport sends (grouped by who sends it); any other code reads as INTERNAL. */
const TITLES: Record<string, string> = {
  // Shared by the services.
  BAD_INPUT: 'That input was not accepted',
  NOT_FOUND: 'Not found',
  IN_USE: 'Still in use',
  BAD_PATH: 'That file path is not allowed',
  STORE_INVALID: 'The library file is damaged',
  STORE_UNREADABLE: 'The library could not be read',
  // Images.
  IMAGE_NOT_FOUND: 'Image not found',
  IMAGE_EMPTY: 'Empty file',
  IMAGE_UNREADABLE: 'Not an image Atelier can read',
  IMAGE_TOO_LARGE: 'Image too large',
  IMAGE_WRITE_FAILED: 'Could not save the image',
  // Presets.
  BAD_PRESET: 'Not a preset Atelier can use',
  NAME_TAKEN: 'That name is taken',
  READ_ONLY: 'Built-in presets cannot be changed',
  // Export.
  NO_ORIGINAL_SIZE: 'No original size to export at',
  NO_SETTINGS: 'No Atelier settings in that image',
  BAD_SETTINGS: 'Those settings cannot be used',
  // Queue.
  RENDER_CRASHED: 'The render stopped unexpectedly',
  QUEUE_CLOSED: 'The render queue has stopped',
  // Backends, and what only the desktop app can do.
  BACKEND_UNAVAILABLE: 'That backend cannot run here',
  DESKTOP_ONLY: 'Only in the desktop app',
  // Models.
  MODELS_MISSING: 'Model weights are not installed',
  MODELS_CORRUPT: 'Model weights are damaged',
  MODELS_DOWNLOAD_FAILED: 'Model download failed',
  // Web mode's server and the renderer's web transport.
  BAD_REQUEST: 'That request was not accepted',
  TOO_LARGE: 'Too large',
  FORBIDDEN: 'Refused by Atelier',
  UNAUTHORIZED: 'This page is not signed in to Atelier',
  NETWORK: 'Lost the connection to Atelier',
  INTERNAL: 'Something went wrong',
};

export function errorTitle(code: string): string {
  return TITLES[code] ?? TITLES.INTERNAL!;
}

/** Anything thrown (an AtelierError from the api, a DOMException from a FileReader, …) as words. */
export function describeError(error: unknown): ErrorView {
  const data = error as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof data?.code === 'string' ? data.code : 'INTERNAL';
  const raw = typeof data?.message === 'string' && data.message.trim() !== '' ? data.message : String(error ?? '');
  const message = raw.trim() === '' || raw === '[object Object]' ? 'No details were given.' : sentence(raw);
  return { code, title: errorTitle(code), message };
}

/** Services write messages in lower case without a full stop ("…was not found"); show them as a sentence. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
