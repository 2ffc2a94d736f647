import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { imageAssetSchema, pairSchema, renderRecordSchema, type ImageAsset } from '../../../common/contract/index.js';
import { JsonStore, type StoreRecovery } from '../store/index.js';

/** Long side of the thumbnails the gallery shows, for imported images and renders alike. */
export const THUMBNAIL_LONG_SIDE = 320;
export const THUMBNAIL_QUALITY = 85;

/** Everything the library knows, in one document, so a change to several lists is one atomic write. */
export const libraryDocumentSchema = z.object({
  /** Lets a later release migrate the file instead of setting it aside as invalid. */
  version: z.literal(1),
  images: z.array(imageAssetSchema),
  pairs: z.array(pairSchema),
  renders: z.array(renderRecordSchema),
  /**
   * Files (relative to the data folder) of records the person deleted, written in the same save that
   * removes the records: the startup sweep finishes a delete that a crash cut short, and deletes nothing else.
   */
  pendingRemovals: z.array(z.string()).default([]),
});
export type LibraryDocument = z.output<typeof libraryDocumentSchema>;

const EXTENSIONS: Readonly<Record<string, string>> = { jpeg: 'jpg', tiff: 'tif' };

/** File names inside the data folder; ids match the contract's `[A-Za-z0-9-]`, so no name can escape it. */
export const fileNames = {
  original: (image: Pick<ImageAsset, 'id' | 'format'>) => `${image.id}.${EXTENSIONS[image.format] ?? image.format}`,
  thumbnail: (id: string) => `${id}.jpg`,
  render: (id: string) => `${id}.png`,
  renderThumbnail: (id: string) => `${id}.thumb.jpg`,
};

/** The library's data folder: its document and the folders of the files the records point at. */
export class LibraryStorage {
  readonly images: string;
  readonly thumbnails: string;
  readonly renders: string;
  /** Uploads are checked here before they move into `images/`: same disk, so the move is a rename. */
  readonly staging: string;
  readonly documentFile: string;
  private readonly store: JsonStore<typeof libraryDocumentSchema>;

  constructor(readonly root: string, onRecovered?: (recovery: StoreRecovery) => void) {
    this.images = join(root, 'images');
    this.thumbnails = join(root, 'thumbnails');
    this.renders = join(root, 'renders');
    this.staging = join(root, 'tmp');
    this.documentFile = join(root, 'library.json');
    this.store = new JsonStore(
      this.documentFile, libraryDocumentSchema, () => ({ version: 1, images: [], pairs: [], renders: [], pendingRemovals: [] }),
      { ...(onRecovered && { onRecovered }) },
    );
  }

  read(): Promise<LibraryDocument> {
    return this.store.read();
  }

  /** Earlier good copies of the document, newest first: where recovery looks up lost records. */
  async backups(): Promise<LibraryDocument[]> {
    return (await this.store.backups()).map((backup) => backup.value);
  }

  /** Writes the document `change` returns; a throw inside `change` writes nothing. */
  commit<R>(change: (current: LibraryDocument) => { next: LibraryDocument; result: R }): Promise<R> {
    return this.store.update(change);
  }

  /** Made before every write rather than once, so a folder removed by hand while the app runs comes back. */
  async ensureFolders(): Promise<void> {
    await Promise.all([this.images, this.thumbnails, this.renders, this.staging].map((dir) => mkdir(dir, { recursive: true })));
  }
}
