import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ImageAsset } from '../../../common/contract/index.js';
import { writeSynced } from '../files/write-synced.js';
import { ImageError, readImage, writeImage } from '../images/index.js';
import { fileNames, THUMBNAIL_LONG_SIDE, THUMBNAIL_QUALITY, type LibraryStorage } from './storage.js';

export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

/** The extensions of the formats the images service reads; the samples folder also holds a README. */
const IMAGE_EXTENSION = /\.(jpe?g|png|webp|tiff?|gif|avif)$/i;

export interface ImportResult {
  image: ImageAsset;
  duplicate: boolean;
}

/** An upload from the UI: the file's name and its bytes as base64. */
export async function importUpload(storage: LibraryStorage, { name, dataBase64 }: { name: string; dataBase64: string }): Promise<ImportResult> {
  // Measured before decoding, so an oversized upload is refused without a second copy in memory.
  assertImportSize(name, Buffer.byteLength(dataBase64, 'base64'));
  return importBytes(storage, name, Buffer.from(dataBase64, 'base64'));
}

/** A file on disk (the samples, a render), imported under its file name unless named. */
export async function importFile(storage: LibraryStorage, path: string, name = basename(path)): Promise<ImportResult> {
  assertImportSize(name, (await stat(path)).size);
  return importBytes(storage, name, await readFile(path));
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
 * Adds an image to the library under the sha256 of its bytes, so the same file imported twice is one
 * asset. The bytes must decode with the images service, exactly as a render will read them; on any
 * failure nothing is recorded and the staging copy is removed. Files are in place before the record
 * that points at them, so a crash in between leaves only orphans for the startup sweep.
 */
async function importBytes(storage: LibraryStorage, name: string, bytes: Buffer): Promise<ImportResult> {
  const id = createHash('sha256').update(bytes).digest('hex');
  const known = (await storage.read()).images.find((image) => image.id === id);
  if (known) return { image: known, duplicate: true };

  await storage.ensureFolders();
  const folder = join(storage.staging, randomUUID());
  try {
    await mkdir(folder);
    const staged = join(folder, stagedName(name));
    // Flushed before the rename into images/, so the record never points at a file a power cut emptied.
    await writeSynced(staged, bytes);
    // One decode both proves the file readable and gives the thumbnail (sharp shrinks JPEGs on load).
    const decoded = await readImage(staged, { maxLongSide: THUMBNAIL_LONG_SIDE });
    const asset: ImageAsset = {
      id, name, width: decoded.originalWidth, height: decoded.originalHeight, format: decoded.format,
      bytes: bytes.length, importedAt: new Date().toISOString(),
    };
    await writeImage(join(storage.thumbnails, fileNames.thumbnail(id)), decoded.image, { quality: THUMBNAIL_QUALITY });
    await rename(staged, join(storage.images, fileNames.original(asset)));
    return await storage.commit<ImportResult>((doc) => {
      // Two imports of the same bytes can both get past the check above; the second one recorded loses.
      const existing = doc.images.find((image) => image.id === id);
      if (existing) return { next: doc, result: { image: existing, duplicate: true } };
      return { next: { ...doc, images: [...doc.images, asset] }, result: { image: asset, duplicate: false } };
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function assertImportSize(name: string, bytes: number): void {
  if (bytes > MAX_IMPORT_BYTES) {
    // Rounded up, so a file just over the limit never reads as "100 MB" in a message refusing it.
    const size = (Math.ceil((bytes / 1024 / 1024) * 10) / 10).toLocaleString('en-US');
    throw new ImageError('IMAGE_TOO_LARGE', `"${name}" is ${size} MB; Atelier imports files of up to 100 MB`, name);
  }
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

