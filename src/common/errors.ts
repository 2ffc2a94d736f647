/**
 * Errors that reach a person: a stable code the UI and CLI can act on, and a message written for them.
 * They cross process boundaries as plain `{ code, message }` data.
 */
export class AtelierError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AtelierError';
  }
}

export function errorData(error: unknown): { code: string; message: string } {
  const code = error instanceof Error ? (error as unknown as { code?: unknown }).code : undefined;
  if (error instanceof Error && typeof code === 'string') {
    return { code, message: error.message };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
