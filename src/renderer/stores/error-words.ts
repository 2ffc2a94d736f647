import { isErrorCode, type ErrorCode } from '../../common/errors.js';

/**
 * The one place where error codes become words. An AtelierError crosses the boundary as
 * `{ code, message }`; its message is already written for people, so the UI shows it as it is and
 * only adds a short title chosen by code. Nothing here matches on message text.
 */

export interface ErrorView {
  code: string;
  /** A short heading, chosen by code. */
  title: string;
  /** The service's own sentence; for an error nobody wrote for people, a plain one. */
  message: string;
  /** A library's or the system's own words (a stack line, an errno): shown only when asked for. */
  details?: string;
}

/**
 * Codes whose message is not written for people: whatever a library or the system said when something
 * unforeseen broke. The person gets a plain sentence; the raw text waits behind "Details".
 */
const RAW: Partial<Record<ErrorCode, string>> = {
  INTERNAL: 'Atelier met a problem it did not expect. Try again; if it happens again, the details help to report it.',
  RENDER_CRASHED: 'The render process stopped. Nothing was lost: your pictures and settings are as they were. Try again, perhaps at a smaller size.',
};

/** One title per code (src/common/errors.ts): the compiler asks for a title when a code is added there. */
const TITLES: Record<ErrorCode, string> = {
  // Shared by the services.
  BAD_INPUT: 'That input was not accepted',
  NOT_FOUND: 'Not found',
  IN_USE: 'Still in use',
  BAD_PATH: 'That file path is not allowed',
  STORE_UNREADABLE: 'A file of Atelier’s data could not be read',
  DISK_FULL: 'The disk is full',
  // Images.
  IMAGE_NOT_FOUND: 'Image not found',
  IMAGE_EMPTY: 'Empty file',
  IMAGE_UNREADABLE: 'Not an image Atelier can read',
  IMAGE_TOO_LARGE: 'Image too large',
  IMAGE_WRITE_FAILED: 'Could not save the image',
  OUTPUT_NOT_WRITABLE: 'Cannot save there',
  FALLBACK_FAILED: 'Could not keep the file anywhere',
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
  RENDER_INTERRUPTED: 'Interrupted when Atelier stopped',
  RENDER_DIVERGED: 'The painting went wrong',
  QUEUE_CLOSED: 'The render queue has stopped',
  BACKEND_UNAVAILABLE: 'Not available on this machine',
  TOO_LARGE: 'Too large',
  RENDER_NOT_STORED: 'Finished, but not stored',
  // Models.
  MODELS_MISSING: 'Model weights are not installed',
  MODELS_CORRUPT: 'Model weights are damaged',
  MODELS_DOWNLOAD_FAILED: 'Model download failed',
  MODELS_READ_ONLY: 'No models folder can be written',
  // Web mode's server and the renderer's web transport.
  BAD_REQUEST: 'That request was not accepted',
  DESKTOP_ONLY: 'Only in the desktop app',
  FORBIDDEN: 'Refused by Atelier',
  UNAUTHORIZED: 'This page is not signed in to Atelier',
  NETWORK: 'Lost the connection to Atelier',
  INTERNAL: 'Something went wrong',
};

/** The title for a code; any string that is not one of ours reads as INTERNAL. */
export function errorTitle(code: string): string {
  return TITLES[isErrorCode(code) ? code : 'INTERNAL'];
}

/** Anything thrown (an AtelierError from the api, a DOMException from a FileReader, …) as words. */
export function describeError(error: unknown): ErrorView {
  const data = error as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof data?.code === 'string' ? data.code : 'INTERNAL';
  const raw = typeof data?.message === 'string' && data.message.trim() !== '' ? data.message : String(error ?? '');
  if (raw.trim() === '' || raw === '[object Object]') return { code, title: errorTitle(code), message: 'No details were given.' };
  const plain = RAW[isErrorCode(code) ? code : 'INTERNAL'];
  return plain ? { code, title: errorTitle(code), message: plain, details: raw.trim() } : { code, title: errorTitle(code), message: sentence(raw) };
}

/** Services write messages in lower case without a full stop ("…was not found"); show them as a sentence. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
