import { readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileNames, type LibraryStorage } from './storage.js';

/** write-file-atomic's temporary copy of library.json: the name plus a decimal number. */
const DOCUMENT_TEMP = /^library\.json\.\d+$/;
/** Where JsonStore keeps a document it could not read, for the person to recover. */
const SET_ASIDE = 'library.json.unreadable-';

/**
 * Removes what a crash can leave behind: files no record points at (written, then killed before the
 * record), half-written temporary files, and staging folders. Run once at startup, before the library
 * takes calls, so nothing it removes can be a write in progress. Returns the removed paths, relative to
 * the data folder.
 */
export async function sweepOrphans(storage: LibraryStorage): Promise<string[]> {
  const doc = await storage.read();
  const rootEntries = await entries(storage.root);
  const removed: string[] = [];
  const remove = async (path: string): Promise<void> => {
    await rm(path, { recursive: true, force: true });
    removed.push(relative(storage.root, path));
  };
  const keepOnly = async (dir: string, expected: ReadonlySet<string>): Promise<void> => {
    for (const name of await entries(dir)) if (!expected.has(name)) await remove(join(dir, name));
  };

  for (const name of rootEntries) if (DOCUMENT_TEMP.test(name)) await remove(join(storage.root, name));
  await keepOnly(storage.staging, new Set());
  // A document set aside as unreadable still names the person's images and renders: until they have
  // dealt with it, its files are not orphans.
  if (rootEntries.some((name) => name.startsWith(SET_ASIDE))) return removed;
  await keepOnly(storage.images, new Set(doc.images.map(fileNames.original)));
  await keepOnly(storage.thumbnails, new Set(doc.images.map((image) => fileNames.thumbnail(image.id))));
  await keepOnly(storage.renders, new Set(doc.renders.flatMap((render) => [fileNames.render(render.id), fileNames.renderThumbnail(render.id)])));
  return removed;
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
