import { homedir, tmpdir } from 'node:os';
import { AtelierError, errorData } from '../../../common/errors.js';
import { safeFileName } from './file-name.js';
import { writeNewFile, type NewFile } from './write-new-file.js';

/**
 * A name that says what a rescued file is when someone finds it in a temp folder weeks later:
 * `atelier-unsaved-<what it was meant to be>-<when>`, e.g. `atelier-unsaved-x-2026-12-01T14-55-03`.
 */
export function fallbackBaseName(intended: string, when = new Date()): string {
  const stamp = when.toISOString().slice(0, 19).replace(/:/g, '-');
  return safeFileName(`atelier-unsaved-${intended}-${stamp}`, `atelier-unsaved-${stamp}`);
}

/** The system's temp folder, then the home folder, in case the temp folder is on the disk that failed. */
function defaultFolders(): string[] {
  return [...new Set([tmpdir(), homedir()])];
}

/**
 * Keeps bytes that could not be saved where they were meant to go: writes them as a new file (never
 * replacing one) in the first of `folders` that takes them. Throws AtelierError FALLBACK_FAILED naming
 * every folder tried when none does.
 */
export async function saveFallback(base: string, extension: string, bytes: Uint8Array, folders: readonly string[] = defaultFolders()): Promise<NewFile> {
  const failures: string[] = [];
  for (const folder of folders) {
    try {
      return await writeNewFile(folder, base, extension, bytes);
    } catch (error) {
      failures.push(errorData(error).message);
    }
  }
  throw new AtelierError('FALLBACK_FAILED', `no fallback folder took the file either (${failures.join('; ')})`);
}
