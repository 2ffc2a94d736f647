import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  pairSchema, renderRecordSchema, type EventPayload, type Handlers, type ImageAsset, type NewNotice, type Pair, type RenderRecord,
} from '../../../common/contract/index.js';
import { AtelierError, readsAsDiskFull } from '../../../common/errors.js';
import { diskFullError } from '../files/disk-full.js';
import type { RgbImage } from '../../../common/progress.js';
import { resizeImage, writeImage } from '../images/index.js';
import type { Upload } from '../files/upload.js';
import { folderImages, importFile, importUpload, sampleFiles } from './import-image.js';
import { storeRecoveryNotice } from '../notices/index.js';
import { adoptionNotice, adoptUnlisted, recordXmp } from './recover.js';
import { fileNames, LibraryStorage, THUMBNAIL_LONG_SIDE, THUMBNAIL_QUALITY, type LibraryDocument } from './storage.js';
import { imageFiles, renderFiles, sweepLeftovers } from './sweep.js';

export interface LibraryOptions {
  /** The folder holding library.json, images/, thumbnails/ and renders/. */
  dataDir: string;
  /** Holds `content/` and `style/` sample images, as ../shared/images does; optional. */
  samplesDir?: string;
  /** A native folder dialog (desktop); without it `importFolder` is refused. */
  chooseFolder?: (title: string) => Promise<string | null>;
  /** Told what opening the library found and recovered (a damaged catalog, pictures listed again), for the person. */
  onNotice?: (notice: NewNotice) => void;
}

export type LibraryChange = EventPayload<'library:changed'>;

/** A finished render as the queue hands it over: the record's facts and the pixels; size comes from the pixels. */
export type NewRender = Omit<RenderRecord, 'id' | 'width' | 'height'> & { image: RgbImage };

type LibraryHandlers = Handlers['library'];

/** The contract's `library` methods, plus what the queue, export and the shells need in main. */
export interface Library extends LibraryHandlers {
  /** Also takes a file web mode streamed to `uploadPath()`, so a large upload is never held in memory. */
  importImage(upload: Upload): ReturnType<LibraryHandlers['importImage']>;
  /** A fresh path in the staging folder (same disk as images/, cleared at start) for an upload to stream to. */
  uploadPath(): Promise<string>;
  /** Told which list changed after every successful change; returns the function that stops it. */
  onDidChange(listener: (change: LibraryChange) => void): () => void;
  getImage(id: string): Promise<ImageAsset>;
  getPair(id: string): Promise<Pair>;
  getRender(id: string): Promise<RenderRecord>;
  /** Absolute path of an image's file, for the desktop protocol and the web server. */
  imageFile(id: string, variant: 'original' | 'thumbnail'): Promise<string>;
  renderFile(id: string, variant: 'full' | 'thumbnail'): Promise<string>;
  /** Saves the picture (PNG) and its thumbnail, then records it. */
  addRender(render: NewRender): Promise<RenderRecord>;
}

/**
 * Opens the library in `dataDir`: restores a missing or damaged catalog from its newest good backup,
 * finishes deletes a crash cut short (see sweepLeftovers), and lists again every picture on disk that
 * the catalog does not (see adoptUnlisted). One library per data folder at a time: the document is
 * cached in memory.
 */
export async function createLibrary({ dataDir, samplesDir, chooseFolder, onNotice }: LibraryOptions): Promise<Library> {
  const storage = new LibraryStorage(resolve(dataDir), (recovery) => onNotice?.(storeRecoveryNotice(recovery)));
  await sweepLeftovers(storage);
  const adopted = adoptionNotice(await adoptUnlisted(storage));
  if (adopted) onNotice?.(adopted);

  const listeners = new Set<{ listener: (change: LibraryChange) => void }>();
  const emit = (what: LibraryChange['what']): void => {
    for (const { listener } of [...listeners]) {
      try {
        listener({ what });
      } catch (error) {
        // The change is already on disk; a failing listener must not turn it into a failed call.
        console.error(`atelier: a library listener failed on ${what}:`, error);
      }
    }
  };
  const renderPaths = (id: string): [string, string] => {
    const [picture, thumbnail] = renderFiles(id);
    return [join(storage.root, picture), join(storage.root, thumbnail)];
  };
  /** The document without some records, their files named for the sweep in the same save (see pendingRemovals). */
  const removing = (doc: LibraryDocument, files: string[], change: Partial<LibraryDocument>): LibraryDocument =>
    ({ ...doc, ...change, pendingRemovals: [...doc.pendingRemovals, ...files] });
  const removeFiles = (files: string[]): Promise<unknown> => Promise.all(files.map((file) => rm(join(storage.root, file), { force: true })));
  const read = async <T>(pick: (doc: LibraryDocument) => T): Promise<T> => structuredClone(pick(await storage.read()));

  const library: Library = {
    listImages: () => read((doc) => doc.images),

    async importImage(upload) {
      const result = await importUpload(storage, upload);
      if (!result.duplicate) emit('images');
      return structuredClone(result);
    },

    async uploadPath() {
      await storage.ensureFolders();
      return join(storage.staging, `upload-${randomUUID()}`);
    },

    async importSamples() {
      const results = [];
      // One at a time: each decode of a large photo takes a lot of memory.
      for (const file of await sampleFiles(samplesDir)) results.push(await importFile(storage, file));
      if (results.some((result) => !result.duplicate)) emit('images');
      return structuredClone(results.map((result) => result.image));
    },

    async importFolder() {
      if (!chooseFolder) throw new AtelierError('DESKTOP_ONLY', 'choosing a folder needs the desktop app; in the browser, select the photos instead');
      const folder = await chooseFolder('Choose a folder of photos');
      if (folder === null) return null;
      const images: ImageAsset[] = [];
      const problems: string[] = [];
      // One at a time, as the samples: each decode of a large photo takes a lot of memory.
      for (const file of await folderImages(folder)) {
        try {
          images.push((await importFile(storage, file)).image);
        } catch (error) {
          problems.push(error instanceof Error ? error.message : String(error));
        }
      }
      if (images.length > 0) emit('images');
      return structuredClone({ folder, images, problems });
    },

    async deleteImage({ id }) {
      const image = await storage.commit((doc) => {
        const found = find(doc.images, id, 'image');
        const users = doc.pairs.filter((pair) => pair.contentId === id || pair.initImageId === id || pair.styles.some((style) => style.imageId === id));
        if (users.length > 0) {
          const names = users.map((pair) => `"${pair.name}"`).join(', ');
          throw new AtelierError('IN_USE', users.length === 1
            ? `"${found.name}" is used by the pair ${names}; delete the pair first`
            : `"${found.name}" is used by ${users.length} pairs (${names}); delete them first`);
        }
        return { next: removing(doc, imageFiles(found), { images: doc.images.filter((i) => i.id !== id) }), result: found };
      });
      // Record first, files after: a crash in between leaves them in pendingRemovals for the sweep, never a dangling record.
      await removeFiles(imageFiles(image));
      emit('images');
      return null;
    },

    listPairs: () => read((doc) => doc.pairs),

    async savePair(input) {
      const name = input.name.trim();
      if (name === '') throw new AtelierError('BAD_INPUT', 'a pair needs a name');
      const now = new Date().toISOString();
      const saved = await storage.commit((doc) => {
        const used = [input.contentId, ...input.styles.map((style) => style.imageId), input.initImageId ?? null];
        const missing = used.filter((id) => id !== null && !doc.images.some((image) => image.id === id));
        if (missing.length > 0) throw new AtelierError('NOT_FOUND', `the pair uses images that are not in the library: ${missing.join(', ')}`);
        const previous = input.id === undefined ? undefined : find(doc.pairs, input.id, 'pair');
        // Parsed because the store refuses to load a document with an invalid record in it.
        const pair = pairSchema.parse({
          id: previous?.id ?? randomUUID(), name, contentId: input.contentId, styles: input.styles, settings: input.settings,
          presetId: input.presetId, ...(input.initImageId && { initImageId: input.initImageId }), createdAt: previous?.createdAt ?? now, updatedAt: now,
        });
        const pairs = previous ? doc.pairs.map((p) => (p.id === pair.id ? pair : p)) : [...doc.pairs, pair];
        return { next: { ...doc, pairs }, result: pair };
      });
      emit('pairs');
      return structuredClone(saved);
    },

    async deletePair({ id }) {
      const files = await storage.commit((doc) => {
        find(doc.pairs, id, 'pair');
        const files = doc.renders.filter((render) => render.pairId === id).flatMap((render) => renderFiles(render.id));
        const change = { pairs: doc.pairs.filter((pair) => pair.id !== id), renders: doc.renders.filter((render) => render.pairId !== id) };
        return { next: removing(doc, files, change), result: files };
      });
      await removeFiles(files);
      emit('pairs');
      if (files.length > 0) emit('renders');
      return null;
    },

    listRenders: ({ pairId }) => read((doc) => (pairId === undefined ? doc.renders : doc.renders.filter((render) => render.pairId === pairId))),

    async deleteRender({ id }) {
      await storage.commit((doc) => {
        find(doc.renders, id, 'render');
        return { next: removing(doc, renderFiles(id), { renders: doc.renders.filter((render) => render.id !== id) }), result: null };
      });
      await removeFiles(renderFiles(id));
      emit('renders');
      return null;
    },

    async importRender({ id }) {
      const render = await library.getRender(id);
      const { name } = await library.getPair(render.pairId);
      const result = await importFile(storage, renderPaths(id)[0], `${name}.png`);
      if (!result.duplicate) emit('images');
      return structuredClone(result);
    },

    onDidChange(listener) {
      // A fresh entry per call, so subscribing the same function twice gives two independent subscriptions.
      const entry = { listener };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },

    getImage: (id) => read((doc) => find(doc.images, id, 'image')),
    getPair: (id) => read((doc) => find(doc.pairs, id, 'pair')),
    getRender: (id) => read((doc) => find(doc.renders, id, 'render')),

    async imageFile(id, variant) {
      const image = await library.getImage(id);
      return variant === 'original' ? join(storage.images, fileNames.original(image)) : join(storage.thumbnails, fileNames.thumbnail(id));
    },

    async renderFile(id, variant) {
      await library.getRender(id);
      const [full, thumbnail] = renderPaths(id);
      return variant === 'full' ? full : thumbnail;
    },

    async addRender({ image, ...facts }) {
      // Checked before the files are written, and again when recording, in case the pair goes meanwhile.
      const pair = await library.getPair(facts.pairId);
      const record = renderRecordSchema.parse({ ...facts, id: randomUUID(), width: image.width, height: image.height });
      const [full, thumbnail] = renderPaths(record.id);
      try {
        await storage.ensureFolders();
        // The file carries its own record, so a lost catalog can list it again beside its pair.
        await writeImage(full, image, { xmp: recordXmp(record, pair) });
        await writeImage(thumbnail, await thumbnailOf(image), { quality: THUMBNAIL_QUALITY });
        await storage.commit((doc) => {
          find(doc.pairs, record.pairId, 'pair');
          return { next: { ...doc, renders: [...doc.renders, record] }, result: null };
        });
      } catch (error) {
        // Never recorded: these files are this call's own, not yet the person's.
        await Promise.all([full, thumbnail].map((path) => rm(path, { force: true })));
        // A PNG is at most about its raw size: what to free, measured after the partial files are gone.
        throw readsAsDiskFull(error) ? await diskFullError(storage.root, 'your library', error, image.width * image.height * 3) : error;
      }
      emit('renders');
      return structuredClone(record);
    },
  };
  return library;
}

function find<T extends { id: string }>(items: readonly T[], id: string, what: 'image' | 'pair' | 'render'): T {
  const item = items.find((candidate) => candidate.id === id);
  if (!item) throw new AtelierError('NOT_FOUND', `there is no ${what} with id ${id} in the library`);
  return item;
}

async function thumbnailOf(image: RgbImage): Promise<RgbImage> {
  return Math.max(image.width, image.height) <= THUMBNAIL_LONG_SIDE ? image : resizeImage(image, { longSide: THUMBNAIL_LONG_SIDE });
}
