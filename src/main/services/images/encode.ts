import type { RgbImage } from '../../../common/progress.js';
import type { WritableFormat } from './formats.js';
import { rgbPipeline } from './rgb.js';

export interface EncodeOptions {
  format: WritableFormat;
  /** 1–100 for JPEG, WebP and AVIF; PNG and TIFF are always lossless and ignore it. */
  quality?: number;
  /** An XMP packet to embed (exports carry their render settings this way); sharp adds it only while encoding. */
  xmp?: string;
}

/** Long side of live progress thumbnails, matching RenderProgress.preview. */
const PREVIEW_LONG_SIDE = 256;

/** Encodes an RGB image as a file's bytes; no metadata but the given XMP is written. */
export async function encodeImage(image: RgbImage, { format, quality, xmp }: EncodeOptions): Promise<Buffer> {
  const rgb = await rgbPipeline(image);
  const pipeline = xmp === undefined ? rgb : rgb.withXmp(xmp);
  switch (format) {
    case 'png':
      return pipeline.png().toBuffer();
    case 'jpeg':
      // Full-resolution chroma: 4:2:0 would smear the saturated edges that brush strokes are made of.
      return pipeline.jpeg({ quality: quality ?? 92, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality: quality ?? 90 }).toBuffer();
    case 'tiff':
      // sharp's TIFF default is lossy JPEG compression; people export TIFF to keep every pixel.
      return pipeline.tiff({ compression: 'deflate', predictor: 'horizontal' }).toBuffer();
    case 'avif':
      return pipeline.avif({ quality: quality ?? 60 }).toBuffer();
  }
}

/** A JPEG thumbnail no larger than PREVIEW_LONG_SIDE on its long side, for live progress. */
export async function encodePreview(image: RgbImage): Promise<Buffer> {
  return (await rgbPipeline(image))
    .resize({ width: PREVIEW_LONG_SIDE, height: PREVIEW_LONG_SIDE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80 })
    .toBuffer();
}
