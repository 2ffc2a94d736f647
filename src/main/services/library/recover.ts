import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { pairSchema, renderRecordSchema, type ImageAsset, type NewNotice, type Pair, type RenderRecord } from '../../../common/contract/index.js';
import { jsonFromXmp, jsonXmp, readImage, readXmp, writeImage } from '../images/index.js';
import { parseJson } from '../json/index.js';
import { fileNames, THUMBNAIL_LONG_SIDE, THUMBNAIL_QUALITY, type LibraryDocument, type LibraryStorage } from './storage.js';
import { entries, listedFiles } from './sweep.js';

/** The XMP element a library render carries its own record in. */
const RECORD_ELEMENT = 'record';
/** What a render file in the library carries, so that a lost catalog can list it again beside its pair. */
const embeddedRecordSchema = z.object({ render: renderRecordSchema, pair: pairSchema });

/** The XMP packet a library render is written with: its record and its pair as they were when it was made. */
export function recordXmp(render: RenderRecord, pair: Pair): string {
  return jsonXmp(RECORD_ELEMENT, { render, pair });
}

const IMAGE_FILE = /^([0-9a-f]{64})\.([a-z0-9]+)$/;
const RENDER_FILE = /^([0-9a-f-]{36})\.png$/;

export interface Adoption {
  images: ImageAsset[];
  pairs: Pair[];
  renders: RenderRecord[];
  /** Files left on disk but not listed, each with why (relative path: reason). */
  kept: string[];
}

/**
 * Lists again what is on disk but in no record, the way a photo catalog re-reads its folders: an image
 * under its content hash, with its name from the newest backup that knew it; a render with its record
 * and pair from a backup or from the record it carries in its own file. What cannot be listed safely is
 * kept on disk, untouched, and named in the report. Nothing is deleted.
 */
export async function adoptUnlisted(storage: LibraryStorage): Promise<Adoption> {
  const doc = await storage.read();
  const listed = listedFiles(doc);
  const imageNames = (await entries(storage.images)).filter((name) => !name.startsWith('.') && !listed.has(join('images', name)));
  const renderNames = (await entries(storage.renders)).filter((name) => RENDER_FILE.test(name) && !listed.has(join('renders', name)));
  const found: Adoption = { images: [], pairs: [], renders: [], kept: [] };
  if (imageNames.length === 0 && renderNames.length === 0) return found;

  const backups = await storage.backups();
  // Thumbnails are made again where they are gone, with their folder.
  await storage.ensureFolders();
  for (const name of imageNames) {
    const result = await imageFromFile(storage, name, backups);
    if (typeof result === 'string') found.kept.push(`images/${name}: ${result}`);
    else found.images.push(result);
  }
  const imageIds = new Set([...doc.images, ...found.images].map((image) => image.id));
  const pairs = new Map(doc.pairs.map((pair) => [pair.id, pair]));
  for (const name of renderNames) {
    const result = await renderFromFile(storage, name, backups);
    if (typeof result === 'string') {
      found.kept.push(`renders/${name}: ${result}`);
      continue;
    }
    const pair = pairs.get(result.render.pairId) ?? result.pair;
    const missing = [pair.contentId, pair.initImageId, ...pair.styles.map((style) => style.imageId)].filter((id) => id && !imageIds.has(id));
    if (missing.length > 0) {
      found.kept.push(`renders/${name}: the pictures it was painted from are not in the library`);
      continue;
    }
    if (!pairs.has(pair.id)) {
      pairs.set(pair.id, pair);
      found.pairs.push(pair);
    }
    found.renders.push(result.render);
  }
  if (found.images.length + found.renders.length === 0) return found;

  await storage.commit((current) => {
    const has = <T extends { id: string }>(list: T[], item: T): boolean => list.some((known) => known.id === item.id);
    return {
      next: {
        ...current,
        images: [...current.images, ...found.images.filter((image) => !has(current.images, image))],
        pairs: [...current.pairs, ...found.pairs.filter((pair) => !has(current.pairs, pair))],
        renders: [...current.renders, ...found.renders.filter((render) => !has(current.renders, render))],
      },
      result: null,
    };
  });
  return found;
}

/** The notice for what adoption listed again and kept, or undefined when it found nothing. */
export function adoptionNotice({ images, pairs, renders, kept }: Adoption): NewNotice | undefined {
  if (images.length + renders.length + kept.length === 0) return undefined;
  const counted = [
    images.length > 0 && plural(images.length, 'image'),
    renders.length > 0 && plural(renders.length, 'render'),
    pairs.length > 0 && plural(pairs.length, 'pair'),
  ].filter(Boolean).join(', ');
  const back = counted === '' ? '' : `${counted} found in the library folder but missing from its list ${images.length + renders.length + pairs.length === 1 ? 'is' : 'are'} back in the library.`;
  const left = kept.length === 0 ? '' : ` ${plural(kept.length, 'file')} could not be listed and ${kept.length === 1 ? 'was' : 'were'} left on disk, untouched.`;
  return {
    title: 'Pictures recovered',
    message: `${back}${left}`.trim(),
    details: [
      ...images.map((image) => `Image: ${image.name}`),
      ...pairs.map((pair) => `Pair: ${pair.name}`),
      ...renders.map((render) => `Render of ${render.finishedAt.slice(0, 16).replace('T', ' ')}`),
      ...kept.map((line) => `Left on disk: ${line}`),
    ],
  };
}

/** An image file as a record, or why it cannot be one. */
async function imageFromFile(storage: LibraryStorage, name: string, backups: LibraryDocument[]): Promise<ImageAsset | string> {
  const match = IMAGE_FILE.exec(name);
  if (!match) return 'not named as Atelier names the images it imports';
  const id = match[1]!;
  const path = join(storage.images, name);
  if ((await sha256(path)) !== id) return 'its contents do not match its name';
  let decoded;
  try {
    decoded = await readImage(path, { maxLongSide: THUMBNAIL_LONG_SIDE });
  } catch {
    return 'it cannot be read as an image';
  }
  const known = backups.flatMap((doc) => doc.images).find((image) => image.id === id);
  const { size, mtime } = await stat(path);
  const asset: ImageAsset = known ?? {
    id, name: `Recovered image ${id.slice(0, 8)}.${match[2]}`, width: decoded.originalWidth, height: decoded.originalHeight,
    format: decoded.format, bytes: size, importedAt: mtime.toISOString(),
  };
  if (fileNames.original(asset) !== name) return `its extension does not match its format (${decoded.format})`;
  const thumbnail = join(storage.thumbnails, fileNames.thumbnail(id));
  if (!(await exists(thumbnail))) await writeImage(thumbnail, decoded.image, { quality: THUMBNAIL_QUALITY });
  return asset;
}

/** A render file's record and the pair it belongs to, or why it cannot be listed. */
async function renderFromFile(storage: LibraryStorage, name: string, backups: LibraryDocument[]): Promise<{ render: RenderRecord; pair: Pair } | string> {
  const id = RENDER_FILE.exec(name)![1]!;
  const path = join(storage.renders, name);
  const xmp = await readXmp(path);
  const json = xmp === undefined ? undefined : jsonFromXmp(xmp, RECORD_ELEMENT);
  const embedded = json === undefined ? undefined : embeddedRecordSchema.safeParse(parseJson(json));
  const render = backups.flatMap((doc) => doc.renders).find((record) => record.id === id) ?? (embedded?.success ? embedded.data.render : undefined);
  if (render === undefined) return 'it carries no record of how it was made (an older version of Atelier wrote it)';
  const pair = backups.flatMap((doc) => doc.pairs).find((p) => p.id === render.pairId) ?? (embedded?.success ? embedded.data.pair : undefined);
  if (pair === undefined) return 'the pair it belongs to is not known';
  const thumbnail = join(storage.renders, fileNames.renderThumbnail(id));
  if (!(await exists(thumbnail))) {
    try {
      await writeImage(thumbnail, (await readImage(path, { maxLongSide: THUMBNAIL_LONG_SIDE })).image, { quality: THUMBNAIL_QUALITY });
    } catch {
      return 'it cannot be read as an image';
    }
  }
  return { render, pair };
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
