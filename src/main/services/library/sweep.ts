import { readdir, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileNames, type LibraryDocument, type LibraryStorage } from './storage.js';

/** write-file-atomic's temporary copy of a store document or of its backup: the name plus a decimal number. */
const STORE_TEMP = /^[\w-]+\.json(?:\.backup-\d+)?\.\d+$/;
/** writeImage's temporary file beside an image it replaces (see images/write.ts). */
const IMAGE_TEMP = /^\..+\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes only what it can prove is ours and unwanted: temporary files of our own atomic writes, uploads
 * left in staging, and the files of records the person deleted (see `pendingRemovals`) when a crash cut
 * the delete short. A file no record lists is never removed here: recovery lists it again (recover.ts).
 * Run once at startup, before the library takes calls, so nothing it removes can be a write in progress.
 * Returns the removed paths, relative to the data folder.
 */
export async function sweepLeftovers(storage: LibraryStorage): Promise<string[]> {
  const removed: string[] = [];
  const remove = async (path: string): Promise<void> => {
    await rm(path, { recursive: true, force: true });
    removed.push(relative(storage.root, path));
  };
  for (const name of await entries(storage.root)) if (STORE_TEMP.test(name)) await remove(join(storage.root, name));
  for (const name of await entries(storage.staging)) await remove(join(storage.staging, name));
  for (const dir of [storage.images, storage.thumbnails, storage.renders]) {
    for (const name of await entries(dir)) if (IMAGE_TEMP.test(name)) await remove(join(dir, name));
  }

  const doc = await storage.read();
  if (doc.pendingRemovals.length === 0) return removed;
  const listed = listedFiles(doc);
  for (const path of doc.pendingRemovals) {
    const absolute = resolve(storage.root, path);
    // A record that lists the file again (the same image imported anew) wins over the old delete.
    if (listed.has(path) || !absolute.startsWith(storage.root + sep)) continue;
    await remove(absolute);
  }
  await storage.commit((current) => ({ next: { ...current, pendingRemovals: [] }, result: null }));
  return removed;
}

/** Every file the document's records point at, relative to the data folder. */
export function listedFiles(doc: LibraryDocument): Set<string> {
  return new Set([
    ...doc.images.flatMap((image) => imageFiles(image)),
    ...doc.renders.flatMap((render) => renderFiles(render.id)),
  ]);
}

/** An image's files, relative to the data folder: the file as imported and its thumbnail. */
export function imageFiles(image: { id: string; format: string }): string[] {
  return [join('images', fileNames.original(image)), join('thumbnails', fileNames.thumbnail(image.id))];
}

/** A render's files, relative to the data folder: the picture and its thumbnail. */
export function renderFiles(id: string): [picture: string, thumbnail: string] {
  return [join('renders', fileNames.render(id)), join('renders', fileNames.renderThumbnail(id))];
}

/** A folder's entries; none when it does not exist. */
export async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
