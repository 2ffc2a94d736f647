import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RgbImage } from '../../../common/progress.js';
import { writeSynced } from '../files/write-synced.js';
import { encodeImage } from './encode.js';
import { ImageError, quotedName, writeFailed } from './errors.js';
import { formatFromExtension, type WritableFormat } from './formats.js';

export interface WriteImageOptions {
  /** Defaults to the format the file's extension names. */
  format?: WritableFormat;
  quality?: number;
  /** An XMP packet to embed (see xmp.ts). */
  xmp?: string;
}

/**
 * Encodes and saves an image. The file appears complete or not at all, and an existing file is
 * only replaced once the new one is fully on disk. Throws ImageError IMAGE_WRITE_FAILED.
 */
export async function writeImage(path: string, image: RgbImage, options: WriteImageOptions = {}): Promise<void> {
  const format = options.format ?? formatFromExtension(path);
  if (format === undefined) {
    throw new ImageError(
      'IMAGE_WRITE_FAILED',
      `Could not save ${quotedName(path)}: name it .png, .jpg, .webp, .tiff or .avif`,
      path,
    );
  }
  const bytes = await encodeImage(image, { format, quality: options.quality, xmp: options.xmp });
  await replaceAtomically(path, bytes);
}

/**
 * Writes to a hidden temporary file beside the target, flushes it, then renames it over the
 * target: a rename within one folder is atomic, so a crash leaves the old file or the new one.
 */
async function replaceAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await writeSynced(temp, bytes);
    await rename(temp, path);
  } catch (cause) {
    // A failed clean-up (the folder is gone or not a folder) must not hide why the write failed.
    await rm(temp, { force: true }).catch(() => undefined);
    throw writeFailed(path, cause);
  }
}
