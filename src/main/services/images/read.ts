import { readFile } from 'node:fs/promises';
import type { Metadata } from 'sharp';
import type { RgbImage } from '../../../common/progress.js';
import { ImageError, openFailed, quotedName } from './errors.js';
import { readableFormat, readableFormatNames, type ImageFormat } from './formats.js';
import { loadSharp } from './sharp.js';
import { assertSide, toRgbImage } from './rgb.js';

const DEFAULT_MAX_INPUT_PIXELS = 100_000_000;
const DEFAULT_MAX_INPUT_SIDE = 20_000;

export interface ReadImageOptions {
  /** Downsize so the long side is at most this many pixels; smaller images are left as they are. */
  maxLongSide?: number;
  /** Refuse images with more pixels than this (default 100 megapixels). */
  maxInputPixels?: number;
  /** Refuse images with a side longer than this (default 20,000 px). */
  maxInputSide?: number;
}

export interface DecodedImage {
  /** sRGB, 8-bit, alpha flattened onto white, EXIF orientation applied, downsized if asked. */
  image: RgbImage;
  /** Size of the picture as shown (after EXIF orientation), before any downsizing. */
  originalWidth: number;
  originalHeight: number;
  format: ImageFormat;
}

/**
 * Decodes an image file into RGB. Throws ImageError: IMAGE_NOT_FOUND, IMAGE_EMPTY,
 * IMAGE_UNREADABLE (not an image, damaged, or a format Atelier does not read) or IMAGE_TOO_LARGE.
 */
export async function readImage(path: string, options: ReadImageOptions = {}): Promise<DecodedImage> {
  const maxPixels = options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const maxSide = options.maxInputSide ?? DEFAULT_MAX_INPUT_SIDE;
  if (options.maxLongSide !== undefined) assertSide(options.maxLongSide, 'maxLongSide');

  // One read into memory, so the header we check and the pixels we decode are the same bytes, and
  // libvips never caches a stale decode of a file that changed on disk under the same name.
  const bytes = await readFile(path).catch((cause: unknown) => {
    throw openFailed(path, cause);
  });
  const name = quotedName(path);
  if (bytes.length === 0) throw new ImageError('IMAGE_EMPTY', `${name} is empty (0 bytes)`, path);

  const metadata = await readHeader(bytes, path);
  const format = await readableFormat(metadata);
  if (format === undefined) throw await notAnImage(path);

  const { width, height } = metadata.autoOrient;
  if (width * height > maxPixels || Math.max(width, height) > maxSide) {
    throw new ImageError(
      'IMAGE_TOO_LARGE',
      `${name} is too large (${width} × ${height} px); Atelier reads images of up to ` +
        `${formatMegapixels(maxPixels)} megapixels and ${maxSide.toLocaleString('en-US')} px on a side`,
      path,
    );
  }

  // 'truncated' rather than sharp's default 'warning': cameras often write JPEGs with harmless
  // warnings (extraneous bytes), but a cut-off file must fail rather than come back half grey.
  const sharp = await loadSharp();
  let pipeline = sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels })
    .autoOrient()
    .flatten({ background: '#ffffff' });
  if (options.maxLongSide !== undefined) {
    const side = options.maxLongSide;
    pipeline = pipeline.resize({
      width: side,
      height: side,
      fit: 'inside',
      withoutEnlargement: true,
      kernel: 'lanczos3',
    });
  }
  try {
    // Embedded ICC profiles are converted to sRGB by sharp; toColourspace also turns grey, CMYK
    // and 16-bit input into 8-bit sRGB.
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { image: toRgbImage(data, info), originalWidth: width, originalHeight: height, format };
  } catch (cause) {
    throw new ImageError('IMAGE_UNREADABLE', `${name} is damaged or incomplete and could not be read`, path, { cause });
  }
}

/** Reads only the header; the pixel limit is off here because we apply our own limits to its answer. */
async function readHeader(bytes: Buffer, path: string): Promise<Metadata> {
  const sharp = await loadSharp();
  try {
    return await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw await notAnImage(path, cause);
  }
}

async function notAnImage(path: string, cause?: unknown): Promise<ImageError> {
  return new ImageError(
    'IMAGE_UNREADABLE',
    `${quotedName(path)} is not an image Atelier can read (${await readableFormatNames()})`,
    path,
    cause === undefined ? undefined : { cause },
  );
}

function formatMegapixels(pixels: number): string {
  return (pixels / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 1 });
}
