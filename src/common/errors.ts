/**
 * Every code an error can carry across a boundary, grouped by who sends it. A new code is one edit here:
 * the compiler then refuses any other string as a code and asks the UI for the code's title.
 */
export const ERROR_CODES = [
  // Shared by the services.
  'BAD_INPUT', 'NOT_FOUND', 'IN_USE', 'BAD_PATH', 'STORE_INVALID', 'STORE_UNREADABLE',
  // Images, and saving files.
  'IMAGE_NOT_FOUND', 'IMAGE_EMPTY', 'IMAGE_UNREADABLE', 'IMAGE_TOO_LARGE', 'IMAGE_WRITE_FAILED', 'OUTPUT_NOT_WRITABLE', 'FALLBACK_FAILED',
  // Presets.
  'BAD_PRESET', 'NAME_TAKEN', 'READ_ONLY',
  // Export.
  'NO_ORIGINAL_SIZE', 'NO_SETTINGS', 'BAD_SETTINGS',
  // The engine and the queue.
  'TOO_LARGE', 'RENDER_DIVERGED', 'RENDER_CRASHED', 'RENDER_NOT_STORED', 'QUEUE_CLOSED', 'BACKEND_UNAVAILABLE',
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

/** Any error as wire data; a code that is not one of ours (a Node errno, a library's) reads as INTERNAL. */
export function errorData(error: unknown): { code: ErrorCode; message: string } {
  const code = error instanceof Error ? (error as unknown as { code?: unknown }).code : undefined;
  if (error instanceof Error && isErrorCode(code)) {
    return { code, message: error.message };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
