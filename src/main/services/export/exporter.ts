import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { EXPORT_FORMATS, Handlers, ImageAsset, Pair, RenderRecord } from '../../../common/contract/index.js';
import { AtelierError } from '../../../common/errors.js';
import type { RgbImage } from '../../../common/progress.js';
import type { Upload } from '../files/upload.js';
import { encodeImage, ImageError, loadSharp, readableFormatNames, readImage, resizeImage } from '../images/index.js';
import { safeFileName } from './file-name.js';
import { renderJsonFromXmp, renderMetadataSchema, renderXmp } from './render-xmp.js';
import { writeNewFile } from './write-new-file.js';
import { parseJson } from '../json/index.js';

/** What the exporter needs from the library; the library service satisfies it. */
export interface ExportLibrary {
  getRender(id: string): RenderRecord | Promise<RenderRecord>;
  getPair(id: string): Pair | Promise<Pair>;
  getImage(id: string): ImageAsset | Promise<ImageAsset>;
  /** The path of the render's full-size PNG. */
  renderFile(id: string, variant: 'full'): string | Promise<string>;
}

export interface ExporterOptions {
  /** The folder exports are written to unless the person chose another; created on the first export. */
  exportDir: string;
  library: ExportLibrary;
  /** The folder the person chose, remembered; null: `exportDir`. */
  chosenDir?: { get(): Promise<string | null>; set(folder: string): Promise<void> };
  /** The desktop's native folder dialog and file manager; without them those calls are refused. */
  shell?: { chooseFolder(title: string): Promise<string | null>; showItemInFolder(path: string): void };
}

/** The contract's export methods; reading settings also takes a file web mode streamed to disk. */
export type ExportService = Handlers['export'] & {
  readSettings(upload: Upload): ReturnType<Handlers['export']['readSettings']>;
};

type ExportFormat = (typeof EXPORT_FORMATS)[number];

const EXTENSIONS: Record<ExportFormat, string> = { png: '.png', jpeg: '.jpg', webp: '.webp', tiff: '.tif', avif: '.avif' };

export function createExporter({ exportDir, library, chosenDir, shell }: ExporterOptions): ExportService {
  /** Only files this exporter wrote may be shown in the file manager: the page names no other path. */
  const written = new Set<string>();
  const folder = async (): Promise<string> => (await chosenDir?.get()) ?? exportDir;
  const desktopOnly = (what: string) => new AtelierError('DESKTOP_ONLY', `${what} needs the desktop app; in the browser, exports download instead`);

  return {
    async render({ renderId, format, quality, size, name, download }) {
      const record = await library.getRender(renderId);
      const pair = await library.getPair(record.pairId);
      const { image } = await readImage(await library.renderFile(record.id, 'full'));
      const sized = size === 'original' ? await toOriginalSize(image, pair, library) : image;
      const imageName = async (id: string) => (await Promise.resolve(library.getImage(id)).catch(() => null))?.name ?? 'a deleted image';
      const xmp = renderXmp({
        settings: record.settings,
        pairName: pair.name,
        content: record.contentId ? await imageName(record.contentId) : null,
        styles: await Promise.all((record.styles ?? []).map(async (s) => ({ name: await imageName(s.imageId), weight: s.weight }))),
      });
      const bytes = await encodeImage(sized, { format, quality, xmp });
      const file = await writeNewFile(await folder(), safeFileName(name, 'atelier-export'), EXTENSIONS[format], bytes);
      written.add(file.path);
      return { ...file, bytes: bytes.length, ...(download && { dataBase64: bytes.toString('base64') }) };
    },

    async folder() {
      return { folder: await folder(), canChoose: !!shell && !!chosenDir };
    },

    async chooseFolder() {
      if (!shell || !chosenDir) throw desktopOnly('Choosing an export folder');
      const chosen = await shell.chooseFolder('Choose where exports are saved');
      if (chosen === null) return null;
      await chosenDir.set(chosen);
      return { folder: chosen };
    },

    async showInFolder({ path }) {
      if (!shell) throw desktopOnly('Showing a file in its folder');
      if (!written.has(path)) throw new AtelierError('NOT_FOUND', `${basename(path)} is not a file Atelier exported in this session`);
      shell.showItemInFolder(path);
      return null;
    },

    async readSettings(upload: Upload) {
      const { name } = upload;
      const label = `"${basename(name)}"`;
      const source = 'path' in upload ? upload.path : Buffer.from(upload.dataBase64, 'base64');
      const size = typeof source === 'string' ? (await stat(source)).size : source.length;
      if (size === 0) throw new ImageError('IMAGE_EMPTY', `${label} is empty (0 bytes)`, name);
      // Only the header is needed; the images service's readImage would decode every pixel.
      const sharp = await loadSharp();
      const metadata = await sharp(source).metadata().catch(async (cause: unknown) => {
        // The images service's wording for a file that is not an image (a test holds them equal).
        throw new ImageError('IMAGE_UNREADABLE', `${label} is not an image Atelier can read (${await readableFormatNames()})`, name, { cause });
      });
      const json = metadata.xmp && renderJsonFromXmp(metadata.xmp.toString('utf8'));
      if (!json) throw new AtelierError('NO_SETTINGS', `${label} was not exported by Atelier (it carries no render settings)`);
      const parsed = renderMetadataSchema.safeParse(parseJson(json));
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'metadata'}: ${i.message}`).join('; ');
        throw new AtelierError('BAD_SETTINGS', `${label} carries Atelier settings this version cannot use (${detail})`);
      }
      return { settings: parsed.data.settings, pairName: parsed.data.pairName };
    },
  };
}

/** The render resized to the content photo's size as imported; a texture has no photo, so no such size. */
async function toOriginalSize(image: RgbImage, pair: Pair, library: ExportLibrary): Promise<RgbImage> {
  if (pair.contentId === null) {
    throw new AtelierError('NO_ORIGINAL_SIZE', `"${pair.name}" has no content photo, so its renders have no original size; export at the rendered size`);
  }
  const { width, height } = await library.getImage(pair.contentId);
  return width === image.width && height === image.height ? image : resizeImage(image, { width, height });
}
