import { extname } from 'node:path';
import type Sharp from 'sharp';
import type { Metadata } from 'sharp';
import { loadSharp } from './sharp.js';

/** Formats Atelier accepts as input, by the name it reports them under. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif' | 'avif';

/** Formats Atelier can save. */
export type WritableFormat = 'png' | 'jpeg' | 'webp' | 'tiff' | 'avif';

// AVIF arrives through libvips' HEIF loader; prebuilt sharp has the AV1 codec but not HEVC, so only
// AV1-compressed HEIF files are AVIF and decodable.
const INPUT_FORMATS: readonly { format: ImageFormat; label: string; loader: keyof typeof Sharp.format }[] = [
  { format: 'jpeg', label: 'JPEG', loader: 'jpeg' },
  { format: 'png', label: 'PNG', loader: 'png' },
  { format: 'webp', label: 'WebP', loader: 'webp' },
  { format: 'tiff', label: 'TIFF', loader: 'tiff' },
  { format: 'gif', label: 'GIF', loader: 'gif' },
  { format: 'avif', label: 'AVIF', loader: 'heif' },
];

// Only what this sharp build can actually decode, so a message never promises a format it lacks.
async function readable(): Promise<typeof INPUT_FORMATS> {
  const sharp = await loadSharp();
  return INPUT_FORMATS.filter(({ loader }) => sharp.format[loader].input.buffer === true);
}

/** The readable formats as people know them, e.g. "JPEG, PNG, WebP, TIFF, GIF, AVIF". */
export async function readableFormatNames(): Promise<string> {
  return (await readable()).map(({ label }) => label).join(', ');
}

/** The accepted format of a decoded header, or undefined for one Atelier does not read (SVG, HEIC, …). */
export async function readableFormat(metadata: Metadata): Promise<ImageFormat | undefined> {
  if (metadata.format === 'heif' && metadata.compression !== 'av1') return undefined;
  return (await readable()).find(({ loader }) => loader === metadata.format)?.format;
}

const FORMAT_BY_EXTENSION: Readonly<Record<string, WritableFormat>> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
  '.tif': 'tiff',
  '.tiff': 'tiff',
  '.avif': 'avif',
};

/** The output format a file name asks for, or undefined when its extension is not one Atelier writes. */
export function formatFromExtension(path: string): WritableFormat | undefined {
  return FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
}

// AVIF is written by libvips' HEIF saver with the AV1 codec.
const SAVERS: Readonly<Record<WritableFormat, keyof typeof Sharp.format>> = { png: 'png', jpeg: 'jpeg', webp: 'webp', tiff: 'tiff', avif: 'heif' };

/** Whether this sharp build can encode `format` (a build without a saver would fail only at the end). */
export async function canWrite(format: WritableFormat): Promise<boolean> {
  return (await loadSharp()).format[SAVERS[format]].output.buffer === true;
}
