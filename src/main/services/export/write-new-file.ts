import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSynced } from '../files/write-synced.js';
import { writeFailed } from '../images/errors.js';

/** Where a new file was written. */
export interface NewFile {
  path: string;
  fileName: string;
}

/**
 * Writes `bytes` as a new file in `dir` (created if missing), named `base + extension`, or
 * `base (2) + extension`, `base (3)`… when that is taken: an existing file is never replaced, even
 * by a concurrent export of the same name. The file appears complete or not at all: the bytes go to
 * a hidden temporary file first, flushed, then are hard-linked under the final name, which fails with
 * EEXIST instead of replacing. Throws ImageError IMAGE_WRITE_FAILED, leaving no file behind.
 */
export async function writeNewFile(dir: string, base: string, extension: string, bytes: Uint8Array): Promise<NewFile> {
  const temp = join(dir, `.atelier-export-${randomUUID()}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeSynced(temp, bytes);
    for (let n = 1; ; n++) {
      const fileName = n === 1 ? `${base}${extension}` : `${base} (${n})${extension}`;
      const path = join(dir, fileName);
      if (await claim(temp, path)) return { path, fileName };
    }
  } catch (cause) {
    throw writeFailed(join(dir, `${base}${extension}`), cause);
  } finally {
    // A failed clean-up (the folder is gone) must not hide the outcome.
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

/** Gives `temp`'s bytes the name `path` unless that name exists; false when it does. */
async function claim(temp: string, path: string): Promise<boolean> {
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
  }
  // The temporary file is complete and in the same folder, so a failed link means the file system
  // has no hard links (FAT and exFAT drives, some network shares). An exclusive copy still never
  // replaces a file, though a crash mid-copy can leave a partial one there.
  try {
    await copyFile(temp, path, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if (errno(error) === 'EEXIST') return false;
    // COPYFILE_EXCL means any file now at `path` is our partial copy.
    await rm(path, { force: true }).catch(() => undefined);
    throw error;
  }
}

function errno(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
