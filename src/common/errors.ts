/**
 * Every code an error can carry across a boundary, grouped by who sends it. A new code is one edit here:
 * the compiler then refuses any other string as a code and asks the UI for the code's title.
 */
export const ERROR_CODES = [
  // Shared by the services.
  'BAD_INPUT', 'NOT_FOUND', 'IN_USE', 'BAD_PATH', 'STORE_UNREADABLE', 'DISK_FULL',
  // Images, and saving files.
  'IMAGE_NOT_FOUND', 'IMAGE_EMPTY', 'IMAGE_UNREADABLE', 'IMAGE_TOO_LARGE', 'IMAGE_WRITE_FAILED', 'OUTPUT_NOT_WRITABLE', 'FALLBACK_FAILED',
  // Presets.
  'BAD_PRESET', 'NAME_TAKEN', 'READ_ONLY',
  // Export.
  'NO_ORIGINAL_SIZE', 'NO_SETTINGS', 'BAD_SETTINGS',
  // The engine and the queue.
  'TOO_LARGE', 'RENDER_DIVERGED', 'RENDER_CRASHED', 'RENDER_INTERRUPTED', 'RENDER_NOT_STORED', 'QUEUE_CLOSED', 'BACKEND_UNAVAILABLE',
  // Models.
  'MODELS_MISSING', 'MODELS_CORRUPT', 'MODELS_DOWNLOAD_FAILED', 'MODELS_READ_ONLY',
  // The shells: IPC, web mode's server, the renderer's web transport.
  'BAD_REQUEST', 'FORBIDDEN', 'UNAUTHORIZED', 'NETWORK', 'DESKTOP_ONLY',
  // Anything that is not an AtelierError.
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}

/**
 * Errors that reach a person: a stable code the UI and CLI can act on, and a message written for them.
 * They cross process boundaries as plain `{ code, message }` data.
 */
export class AtelierError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AtelierError';
  }
}

/** The errno codes that mean a write found no room: the disk is full, or the person's quota on it is. */
const NO_SPACE_ERRNOS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Codes that already tell the person what to do next when the disk is full (a render kept in memory
 * for Retry, every fallback folder tried); every other error caused by a full disk becomes DISK_FULL.
 */
const KEEPS_ITS_CODE: ReadonlySet<ErrorCode> = new Set(['DISK_FULL', 'RENDER_NOT_STORED', 'FALLBACK_FAILED']);

function codeOf(error: unknown): unknown {
  return error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
}

/** True when a full disk caused `error`: it, or any error in its `cause` chain, is ENOSPC or EDQUOT. */
function causedByFullDisk(error: unknown): boolean {
  for (let at = error, depth = 0; at !== null && typeof at === 'object' && depth < 16; at = (at as { cause?: unknown }).cause, depth++) {
    const code = codeOf(at);
    if (typeof code === 'string' && NO_SPACE_ERRNOS.has(code)) return true;
  }
  return false;
}

/** True when `error` should reach the person as DISK_FULL (see KEEPS_ITS_CODE). */
export function readsAsDiskFull(error: unknown): boolean {
  const code = codeOf(error);
  return !(isErrorCode(code) && KEEPS_ITS_CODE.has(code)) && causedByFullDisk(error);
}

/**
 * Any error as wire data; a code that is not one of ours (a Node errno, a library's) reads as INTERNAL,
 * and any error a full disk caused reads as DISK_FULL. The services' dispatcher words DISK_FULL with the
 * free space it measures (services/files/disk-full.ts); this is the wording where nothing can measure.
 */
export function errorData(error: unknown): { code: ErrorCode; message: string } {
  const code = codeOf(error);
  const ours = error instanceof Error && isErrorCode(code);
  if (readsAsDiskFull(error)) {
    return { code: 'DISK_FULL', message: ours ? error.message : 'the disk is full: free some space and try again' };
  }
  if (ours) return { code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
