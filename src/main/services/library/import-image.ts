import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import pLimit from 'p-limit';
import { MAX_UPLOAD_BYTES, uploadTooLargeMessage, type ImageAsset } from '../../../common/contract/index.js';
import { readsAsDiskFull } from '../../../common/errors.js';
import { diskFullError } from '../files/disk-full.js';
import { hashFile } from '../files/hash-file.js';
import type { StagedUpload, Upload } from '../files/upload.js';
import { writeSynced } from '../files/write-synced.js';
import { ImageError, readImage, writeImage } from '../images/index.js';
import { fileNames, THUMBNAIL_LONG_SIDE, THUMBNAIL_QUALITY, type LibraryStorage } from './storage.js';

/** The extensions of the formats the images service reads; the samples folder also holds a README. */
const IMAGE_EXTENSION = /\.(jpe?g|png|webp|tiff?|gif|avif)$/i;

export interface ImportResult {
  image: ImageAsset;
  duplicate: boolean;
}

/**
 * How many imports decode at once: one per core. Each holds its file and its pixels in memory while
 * sharp, which runs no more than its thread pool at a time anyway, works on it; fifty uploads arriving
 * together then wait here as files on disk instead of as fifty files in memory (`npm run bench:uploads`).
 */
const decodeSlots = pLimit(availableParallelism());

/** An upload from the UI; a staged one is moved into images/, or removed. */
export async function importUpload(storage: LibraryStorage, upload: Upload): Promise<ImportResult> {
  if ('path' in upload) return importStagedUpload(storage, upload);
  const { name, dataBase64 } = upload;
  // Measured before decoding, so an oversized upload is refused without a second copy in memory.
  assertImportSize(name, Buffer.byteLength(dataBase64, 'base64'));
  const bytes = Buffer.from(dataBase64, 'base64');
  return importStaged(storage, name, sha256(bytes), bytes.length, (staged) => writeSynced(staged, bytes));
}

/** An upload already on disk: hashed as it is read, never held in memory whole. */
async function importStagedUpload(storage: LibraryStorage, { name, path }: StagedUpload): Promise<ImportResult> {
  try {
    const { size } = await stat(path);
    assertImportSize(name, size);
    return await importStaged(storage, name, await hashFile(path), size, async (staged) => {
      // Flushed like every other staged file, before the rename that puts it in images/.
      const file = await open(path, 'r');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(path, staged);
    });
  } finally {
    await rm(path, { force: true });
  }
}

/** A file on disk (the samples, a render), imported under its file name unless named. */
export async function importFile(storage: LibraryStorage, path: string, name = basename(path)): Promise<ImportResult> {
  assertImportSize(name, (await stat(path)).size);
  const bytes = await readFile(path);
  return importStaged(storage, name, sha256(bytes), bytes.length, (staged) => writeSynced(staged, bytes));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The sample images, content photos first, in name order; none when the folder is not installed. */
export async function sampleFiles(samplesDir: string | undefined): Promise<string[]> {
  if (samplesDir === undefined) return [];
  const folders = ['content', 'style'].map((kind) => join(samplesDir, kind));
  const listed = await Promise.all(folders.map((dir) => folderImages(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  })));
  return listed.flat();
}

/** The image files directly in `dir` (not in its subfolders), in name order. */
export async function folderImages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && IMAGE_EXTENSION.test(e.name) && !e.name.startsWith('.')).map((e) => e.name).sort().map((name) => join(dir, name));
}

/**
 * Adds an image to the library under `id`, the sha256 of its bytes, so the same file imported twice is
 * one asset. `put` places the bytes at the staged path given to it; they must decode with the images
 * service, exactly as a render will read them; on any failure nothing is recorded and the staging copy
 * is removed. Files are in place before the record that points at them, so a crash in between leaves
 * only orphans for the startup sweep.
 */
async function importStaged(storage: LibraryStorage, name: string, id: string, size: number, put: (staged: string) => Promise<void>): Promise<ImportResult> {
  const known = (await storage.read()).images.find((image) => image.id === id);
  if (known) return { image: known, duplicate: true };

  const folder = join(storage.staging, randomUUID());
  try {
    await storage.ensureFolders();
    await mkdir(folder);
    const staged = join(folder, stagedName(name));
    // Flushed before the rename into images/, so the record never points at a file a power cut emptied.
    await put(staged);
    // One decode both proves the file readable and gives the thumbnail (sharp shrinks JPEGs on load).
    const asset = await decodeSlots(async (): Promise<ImageAsset> => {
      const decoded = await readImage(staged, { maxLongSide: THUMBNAIL_LONG_SIDE });
      await writeImage(join(storage.thumbnails, fileNames.thumbnail(id)), decoded.image, { quality: THUMBNAIL_QUALITY });
      return {
        id, name, width: decoded.originalWidth, height: decoded.originalHeight, format: decoded.format,
        bytes: size, importedAt: new Date().toISOString(),
      };
    });
    await rename(staged, join(storage.images, fileNames.original(asset)));
    return await storage.commit<ImportResult>((doc) => {
      // Two imports of the same bytes can both get past the check above; the second one recorded loses.
      const existing = doc.images.find((image) => image.id === id);
      if (existing) return { next: doc, result: { image: existing, duplicate: true } };
      return { next: { ...doc, images: [...doc.images, asset] }, result: { image: asset, duplicate: false } };
    });
  } catch (error) {
    if (!readsAsDiskFull(error)) throw error;
    // Said once the staged copy is gone, with the file's own size in what to free.
    await rm(folder, { recursive: true, force: true });
    throw await diskFullError(storage.root, 'your library', error, size);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function assertImportSize(name: string, bytes: number): void {
  if (bytes > MAX_UPLOAD_BYTES) throw new ImageError('IMAGE_TOO_LARGE', uploadTooLargeMessage(name, bytes), name);
}

/**
 * The upload's own name where it makes a safe file name, because readImage's messages quote the file's
 * name and the person should see the one they chose. Short enough in characters that even 4-byte
 * characters stay under the 255-byte limit of common file systems.
 */
function stagedName(name: string): string {
  const last = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f<>:"|?*]/g, '_').trim().slice(-60);
  return last === '' || last === '.' || last === '..' ? 'image' : last;
}

